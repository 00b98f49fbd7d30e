"""The model's own forecast (issue 11 §3): the core's statistical forecast
(:mod:`hazeguard.forecast`), trained on the city days the platform holds (monitoring's
``CityDay``), with the probability of each level of the jurisdiction's plan; with weather where
the platform holds both the observed weather of the training days and the weather bureau's
forecast of the target days (:func:`model_weather`), else without.

Nothing here writes: :func:`hazeguard_platform.forecasts.services.forecast_model_make` stores what
:func:`model_forecast_values` returns. pandas and scikit-learn are imported only when a forecast
is made, so the web pages do not load them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hazeguard_platform.core import ForecastDayValues
from hazeguard_platform.errors import ConflictError
from hazeguard_platform.jurisdictions.models import Jurisdiction

if TYPE_CHECKING:
    import pandas as pd

#: Days the model forecasts (the lead days of the core model). [days]
MODEL_DAYS = 7
#: Observed days before the worker tries: the core's minimum training rows plus the lead days.
MIN_HISTORY_DAYS = 120 + MODEL_DAYS
#: Trajectories drawn for the level probabilities.
SAMPLES = 2000
#: Observed days of weather before the model trains with weather. [days]
MIN_WEATHER_DAYS = 120


@dataclass(frozen=True)
class ModelForecastValues:
    """A forecast made by the model, ready to store: the 10-90 % band as the range, the median,
    and the probabilities (``Forecast.probabilities``)."""

    days: list[ForecastDayValues]
    medians: list[int]
    probabilities: dict[str, Any] = field(default_factory=dict)


def observed_history(jurisdiction: Jurisdiction, until: date) -> pd.DataFrame:
    """The jurisdiction's observed daily AQI up to ``until`` as the core reads a daily history:
    consecutive days, ``aqi`` [index], ``primary_pollutant``; the concentrations are not kept
    with the city days and enter as a constant 0."""
    import numpy as np
    import pandas as pd

    from hazeguard.io.daily import POLLUTANTS, primary_name
    from hazeguard_platform.monitoring.models import CityDay

    rows = list(
        CityDay.objects.filter(jurisdiction=jurisdiction, day__lte=until, aqi__isnull=False)
        .order_by("day")
        .values_list("day", "aqi", "primary_pollutants")
    )
    if not rows:
        return pd.DataFrame(columns=["aqi", *POLLUTANTS, "primary_pollutant"], dtype=float)
    index = pd.DatetimeIndex([pd.Timestamp(day) for day, _, _ in rows], name="date")
    data = pd.DataFrame(index=index)
    data["aqi"] = np.array([aqi for _, aqi, _ in rows], dtype=np.float64)
    for code in POLLUTANTS:
        # Not NaN: a column missing on every day breaks scikit-learn's binning, while a constant
        # one is simply never split on, so the model learns from the AQI and the calendar.
        data[code] = 0.0
    data["primary_pollutant"] = [primary_name(text) for _, _, text in rows]
    data.loc[~(data["aqi"] > 50), "primary_pollutant"] = ""  # HJ 633-2012 §5.2
    full = pd.date_range(index[0], index[-1], freq="D", name="date")
    data = data.reindex(full)
    data["primary_pollutant"] = data["primary_pollutant"].fillna("")
    return data


def model_weather(jurisdiction: Jurisdiction, since: date, first_day: date) -> pd.DataFrame | None:
    """The daily weather the model reads: the observed weather of the days before ``first_day``
    (monitoring's hourly store, made daily by the core) joined with the weather bureau's forecast
    of the seven target days. None, and the model runs without weather, when no forecast covers
    the target days or fewer than :data:`MIN_WEATHER_DAYS` days have observed weather."""
    import pandas as pd

    from hazeguard.io.daily_weather import daily_weather_from_table
    from hazeguard_platform.forecasts.weather_forecasts import weather_for_days
    from hazeguard_platform.monitoring.selectors import observed_weather

    ahead = weather_for_days(jurisdiction, first_day, MODEL_DAYS)
    if ahead is None:
        return None
    hours = observed_weather(jurisdiction, since, first_day)
    if not set(hours.columns) - {"time", "station"}:
        return None
    observed = daily_weather_from_table(hours)
    # A variable never observed cannot be learnt (and breaks scikit-learn's binning): left out.
    observed = observed.loc[observed.index < pd.Timestamp(first_day)].dropna(axis=1, how="all")
    if int(observed.notna().any(axis=1).sum()) < MIN_WEATHER_DAYS:
        return None
    joined = pd.concat([observed, ahead[list(observed.columns)]])
    full = pd.date_range(joined.index[0], joined.index[-1], freq="D", name="date")
    return joined.reindex(full)


def model_forecast_values(
    jurisdiction: Jurisdiction, snapshot: dict[str, Any] | None, at: datetime
) -> ModelForecastValues:
    """Train on every observed day before ``at``'s China date and forecast that date and the
    six after it, with P(level) of the plan ``snapshot`` (none without a plan).

    Raises ``ConflictError`` (in the active language) when the history cannot train a model or
    yesterday's AQI is not known yet.
    """
    from django.conf import settings
    from django.utils.translation import gettext as _

    from hazeguard.forecast import (
        ForecastInputError,
        ModelSettings,
        TrainingError,
        forecast,
        train,
    )
    from hazeguard.warnings.adapter import rules_from_plan
    from hazeguard_platform.core import plan_from_snapshot

    first_day = timezone.localdate(at)
    history = observed_history(jurisdiction, first_day - timedelta(days=1))
    try:
        weather = model_weather(jurisdiction, history.index[0].date(), first_day)
        chosen = ModelSettings(max_iter=settings.MODEL_FORECAST_ITERATIONS)
        model = train(history, weather, settings=chosen)
        result = forecast(
            model,
            history,
            first_day,
            MODEL_DAYS,
            weather=weather,
            rules=rules_from_plan(plan_from_snapshot(snapshot)) if snapshot else None,
            samples=SAMPLES,
        )
    except (TrainingError, ForecastInputError, KeyError, IndexError) as error:
        message = _("The model cannot forecast for %(place)s from %(day)s: %(why)s") % {
            "place": jurisdiction.name_zh,
            "day": first_day.isoformat(),
            "why": error,
        }
        raise ConflictError(message) from None
    days = [
        ForecastDayValues(day, round(float(low)), round(float(high)), primary, False)
        for day, low, high, primary in zip(
            result.dates, result.aqi_low, result.aqi_high, result.primary, strict=True
        )
    ]
    probabilities: dict[str, Any] = {
        "plan": result.plan_id,
        "levels": list(result.level_names),
        "days": [[round(float(p), 3) for p in row] for row in result.level_probabilities],
        "p_heavy": [round(float(p), 3) for p in result.p_heavy],
        "weather": result.uses_weather,
        "trained_from": model.trained_from.date().isoformat(),
        "trained_to": model.trained_to.date().isoformat(),
    }
    return ModelForecastValues(
        days=days,
        medians=[round(float(m)) for m in result.aqi_median],
        probabilities=probabilities,
    )


def model_forecast_due(now: datetime, consultation_time: Any, lead: timedelta) -> bool:
    """Whether the day's model forecast is due at ``now``: from ``lead`` before the consultation
    time (China time) to the end of the day."""
    local = timezone.localtime(now)
    due = timezone.make_aware(datetime.combine(local.date(), consultation_time)) - lead
    return local >= due
