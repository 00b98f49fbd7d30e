"""The forecast sources side by side (issue 11 §3): the newest current forecast of each provider,
the engine's decision on each, and the model's level probabilities as a table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from hazeguard_platform.forecasts.models import Consultation, Forecast, ForecastDay, Provider
from hazeguard_platform.forecasts.selectors import current_forecasts
from hazeguard_platform.jurisdictions.models import Jurisdiction

#: The order of the sources' table: the model first, then the official forecasts, then the
#: forecaster's own.
PROVIDER_ORDER = (
    Provider.MODEL,
    Provider.MONITORING_CENTRE,
    Provider.WEATHER_BUREAU,
    Provider.FORECASTER,
)


@dataclass(frozen=True)
class SourceRow:
    """One source on the consultation page: its forecast, days and the engine's decision."""

    forecast: Forecast
    days: dict[date, ForecastDay]
    decision: dict[str, Any]
    #: The forecast's day under each column of the table (None where it has none).
    cells: tuple[ForecastDay | None, ...] = ()

    @property
    def provider_label(self) -> str:
        return str(Provider(self.forecast.provider).label)


@dataclass(frozen=True)
class ProbabilityRow:
    """One day of the model's forecast: AQI band, P(AQI > 200) and P(level) of days 1 … d. [-]"""

    day: ForecastDay
    p_heavy: float | None
    levels: list[float]


def latest_by_provider(jurisdiction: Jurisdiction) -> list[Forecast]:
    """The newest forecast of each provider that still covers the coming days, in table order."""
    newest: dict[str, Forecast] = {}
    for forecast in current_forecasts(jurisdiction).prefetch_related("days"):
        newest.setdefault(forecast.provider, forecast)
    return [newest[p] for p in PROVIDER_ORDER if p in newest]


def ordered(forecasts: list[Forecast]) -> list[Forecast]:
    """Forecasts in the sources' table order (provider, then newest first)."""
    return sorted(
        forecasts,
        key=lambda f: (PROVIDER_ORDER.index(Provider(f.provider)), -f.issued_at.timestamp()),
    )


def source_rows(
    jurisdiction: Jurisdiction,
    forecasts: list[Forecast],
    snapshot: dict[str, Any] | None,
    at: datetime,
) -> list[SourceRow]:
    """Each forecast with the engine's decision on it at ``at`` (none without a plan)."""
    from hazeguard_platform.forecasts.services import engine_decision

    rows = [
        SourceRow(
            forecast=forecast,
            days={d.day: d for d in forecast.days.all()},
            decision=engine_decision(jurisdiction, snapshot, forecast, at) if snapshot else {},
        )
        for forecast in forecasts
    ]
    columns = table_days(rows)
    return [replace(row, cells=tuple(row.days.get(day) for day in columns)) for row in rows]


def recorded_rows(consultation: Consultation) -> list[SourceRow]:
    """The sources of a recorded consultation with the engine's decision as it was then."""
    kept = {entry["forecast"]: entry for entry in consultation.sources}
    rows = [
        SourceRow(
            forecast=forecast,
            days={d.day: d for d in forecast.days.all()},
            decision={"level": kept[forecast.pk]["level"]} if forecast.pk in kept else {},
        )
        for forecast in ordered(list(consultation.forecasts.prefetch_related("days")))
    ]
    columns = table_days(rows)
    return [replace(row, cells=tuple(row.days.get(day) for day in columns)) for row in rows]


def earliest_start(decision: dict[str, Any]) -> datetime | None:
    """The decision's earliest start as an aware time (the engine gives naive China time)."""
    text = decision.get("earliest_start")
    if not text:
        return None
    moment = datetime.fromisoformat(str(text))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


def table_days(rows: list[SourceRow], limit: int = 7) -> list[date]:
    """The days the sources' table shows: every day some source forecasts, the first ``limit``."""
    return sorted({day for row in rows for day in row.days})[:limit]


def probability_rows(forecast: Forecast) -> list[ProbabilityRow]:
    """The model's probabilities beside its days (empty for a forecast without them)."""
    chances = forecast.probabilities or {}
    per_day = chances.get("days") or []
    heavy = chances.get("p_heavy") or []
    days = list(forecast.days.all())
    return [
        ProbabilityRow(
            day=day,
            p_heavy=heavy[n] if n < len(heavy) else None,
            levels=list(per_day[n]) if n < len(per_day) else [],
        )
        for n, day in enumerate(days)
    ]
