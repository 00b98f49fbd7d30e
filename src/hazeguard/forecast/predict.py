"""Forecasting with a trained model: the AQI band, the primary pollutant and level probabilities.

:func:`quantiles` and :func:`trajectories` work on many issue days at once (the backtest);
:func:`forecast` is the one-issue-day case that ``hazeguard forecast predict`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from threadpoolctl import threadpool_limits

from hazeguard.forecast.distribution import from_scores, joint_scores
from hazeguard.forecast.features import DAY
from hazeguard.forecast.model import ForecastModel
from hazeguard.forecast.probability import level_probabilities, outcomes
from hazeguard.warnings.forecast import DailyForecast
from hazeguard.warnings.rules import WarningRules

FloatArray = npt.NDArray[np.float64]

#: The AQI scale ends at 500 (HJ 633-2012 Table 1). [index]
AQI_CEILING: Final = 500.0
HEAVY_ABOVE: Final = 200.0  # GLOSSARY.md: heavy pollution = daily AQI > 200
DEFAULT_SAMPLES: Final = 2000
#: HJ 633-2012 §5.2: no primary pollutant when the AQI is 50 or less. [index]
PRIMARY_ABOVE: Final = 50.0


class ForecastInputError(ValueError):
    """The recent history or the weather do not allow a forecast from the day asked."""


@dataclass(frozen=True)
class Quantiles:
    """The forecast band for many issue days (rows) and lead days (columns). [index]"""

    low: FloatArray
    median: FloatArray
    high: FloatArray
    primary: npt.NDArray[np.str_]


def quantiles(
    model: ForecastModel,
    history: pd.DataFrame,
    origins: pd.DatetimeIndex,
    weather: pd.DataFrame | None = None,
) -> Quantiles:
    """The 10 %, 50 % and 90 % AQI and the primary pollutant of forecasts issued on ``origins``.

    Parameters
    ----------
    history
        Daily history covering each origin day and the 6 days before it.
    origins
        Issue days: the last day whose AQI is observed; the forecast is for the days after.
    weather
        Daily weather of the target days (and the day before each), or None.

    Returns
    -------
    Quantiles
        Arrays of shape (origins, lead days), in log(AQI) made AQI again, at most 500.
    """
    tables = model.features(history, origins, weather if model.uses_weather else None)
    shape = (len(origins), model.max_lead)
    low, median, high = np.empty(shape), np.empty(shape), np.empty(shape)
    primary = np.empty(shape, dtype=object)
    with threadpool_limits(model.settings.threads):
        for lead, (table, fitted) in enumerate(zip(tables, model.leads, strict=True)):
            values = np.sort(np.vstack([m.predict(table) for m in fitted.quantiles]), axis=0)
            low[:, lead] = values[0] + fitted.low_shift
            median[:, lead] = values[1]
            high[:, lead] = values[2] + fitted.high_shift
            if isinstance(model.primary, str):
                primary[:, lead] = model.primary
            else:
                primary[:, lead] = model.primary.predict(table)
    low, high = np.minimum(low, median), np.maximum(high, median)
    aqi_median = _aqi(median)
    primary = np.where(aqi_median > PRIMARY_ABOVE, primary, "").astype(str)
    return Quantiles(_aqi(low), aqi_median, _aqi(high), primary)


def trajectories(
    correlation: FloatArray, band: Quantiles, samples: int, rng: np.random.Generator, days: int
) -> FloatArray:
    """Joint AQI trajectories over the first ``days`` lead days, shape (origins, samples, days).

    Parameters
    ----------
    correlation
        Lead-by-lead correlation of the normal scores (:attr:`ForecastModel.correlation`).
    band
        The 10/50/90 % AQI of each origin and lead day. [index]

    The same correlated normal scores are used for every origin: the scores carry the
    day-to-day correlation, the band of each origin scales them. [index]
    """
    scores = joint_scores(correlation[:days, :days], samples, rng)
    logs = [
        np.log(np.maximum(part[:, None, :days], 1.0)) for part in (band.low, band.median, band.high)
    ]
    sampled = from_scores(scores[None, :, :], logs[0], logs[1], logs[2])
    return _aqi(sampled)


@dataclass(frozen=True)
class ForecastResult:
    """One forecast: per day the band, the primary pollutant and the probabilities.

    Parameters
    ----------
    dates
        The forecast days, consecutive.
    aqi_low, aqi_median, aqi_high
        10 %, 50 % and 90 % AQI of each day. [index]
    primary
        Most likely primary pollutant (``""`` when the median AQI is 50 or less).
    p_heavy
        P(AQI > 200) of each day. [-]
    level_names
        The plan's outcomes (``none`` …), empty without a plan.
    level_probabilities
        Shape (days, outcomes): row *d* is P(level decided from days 1 … *d*). [-]
    plan_id
        The plan the probabilities are for, or ``""``.
    uses_weather
        Whether the target days' weather went in.
    """

    dates: tuple[date, ...]
    aqi_low: FloatArray
    aqi_median: FloatArray
    aqi_high: FloatArray
    primary: tuple[str, ...]
    p_heavy: FloatArray
    level_names: tuple[str, ...] = ()
    level_probabilities: FloatArray = field(default_factory=lambda: np.empty((0, 0)))
    plan_id: str = ""
    uses_weather: bool = False

    def as_forecast(self) -> DailyForecast:
        """The 10-90 % band as a forecast the warning engine reads (``aqi_low, aqi_high``)."""
        return DailyForecast(
            aqi_low=np.round(self.aqi_low),
            aqi_high=np.round(self.aqi_high),
            primary=self.primary,
            dates=self.dates,
        )

    def to_frame(self) -> pd.DataFrame:
        """The table ``hazeguard forecast predict`` writes (``warn evaluate`` reads its band)."""
        frame = pd.DataFrame(
            {
                "date": [day.isoformat() for day in self.dates],
                "aqi_low": np.round(self.aqi_low).astype(int),
                "aqi_median": np.round(self.aqi_median).astype(int),
                "aqi_high": np.round(self.aqi_high).astype(int),
                "primary_pollutant": list(self.primary),
                "p_aqi_over_200": np.round(self.p_heavy, 3),
            }
        )
        for position, name in enumerate(self.level_names):
            frame[f"p_{name}"] = np.round(self.level_probabilities[:, position], 3)
        return frame


def forecast(
    model: ForecastModel,
    recent: pd.DataFrame,
    first_day: date,
    days: int,
    *,
    weather: pd.DataFrame | None = None,
    rules: WarningRules | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> ForecastResult:
    """Forecast ``days`` days from ``first_day``, issued at the end of the day before.

    Parameters
    ----------
    recent
        Daily history whose last days include the day before ``first_day`` (its AQI is needed).
    weather
        Forecast weather of the days (the day before ``first_day`` too, where known); required by
        a model trained with weather.
    rules
        A plan's warning rules: adds P(level) per day.
    samples
        Trajectories drawn for the probabilities.
    seed
        Random seed (the same inputs and seed give the same probabilities).

    Raises
    ------
    ForecastInputError
        ``days`` beyond the model's lead days, no AQI on the issue day, weather missing.
    """
    if not 1 <= days <= model.max_lead:
        raise ForecastInputError(f"the model forecasts 1 to {model.max_lead} days, not {days}")
    origin = pd.Timestamp(first_day) - DAY
    observed = recent["aqi"].reindex([origin]).to_numpy(dtype=np.float64)
    if not np.isfinite(observed[0]):
        known = recent.index[recent["aqi"].notna().to_numpy()]
        said = f"the last observed day is {known[-1]:%Y-%m-%d}" if len(known) else "no AQI at all"
        raise ForecastInputError(
            f"a forecast from {first_day} needs the observed AQI of {origin:%Y-%m-%d}; {said}"
        )
    if model.uses_weather and weather is None:
        raise ForecastInputError(
            "this model was trained with weather: give the forecast weather of the days, "
            "or train a model without weather"
        )
    if model.uses_weather and weather is not None:
        targets = pd.date_range(first_day, periods=days, freq="D")
        covered = weather.reindex(targets).notna().any(axis=1)
        if not covered.all():
            gap = targets[~covered.to_numpy()][0]
            raise ForecastInputError(f"the weather gives nothing for {gap:%Y-%m-%d}")
    band = quantiles(model, recent, pd.DatetimeIndex([origin]), weather)
    sampled = trajectories(model.correlation, band, samples, np.random.default_rng(seed), days)
    result = ForecastResult(
        dates=tuple((origin + (k + 1) * DAY).date() for k in range(days)),
        aqi_low=band.low[0, :days],
        aqi_median=band.median[0, :days],
        aqi_high=band.high[0, :days],
        primary=tuple(str(name) for name in band.primary[0, :days]),
        p_heavy=(sampled[0] > HEAVY_ABOVE).mean(axis=0),
        uses_weather=model.uses_weather,
    )
    if rules is None:
        return result
    probabilities = level_probabilities(rules, sampled[0])
    return replace(
        result,
        level_names=outcomes(rules),
        level_probabilities=probabilities,
        plan_id=rules.plan_id,
    )


def _aqi(log_values: FloatArray) -> FloatArray:
    result: FloatArray = np.minimum(np.exp(log_values), AQI_CEILING)
    return result
