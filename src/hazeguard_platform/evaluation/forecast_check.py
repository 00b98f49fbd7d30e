"""Forecast against observed over an episode: the platform's ``Forecast`` rows (per source) and
the monitoring app's ``CityDay`` (HJ 633 daily AQI computed from the stations per HJ 663)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from hazeguard_platform.core import CHINA
from hazeguard_platform.evaluation.records import ForecastDayCheck, ForecastSkill
from hazeguard_platform.forecasts.models import ForecastDay
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import CityDay


def observed_days(place: Jurisdiction, first: dt.date, last: dt.date) -> dict[dt.date, float]:
    """Each day's observed daily AQI of ``place`` between ``first`` and ``last`` [1]."""
    rows = CityDay.objects.filter(
        jurisdiction=place, day__gte=first, day__lte=last, aqi__isnull=False
    ).values_list("day", "aqi")
    return {day: float(aqi) for day, aqi in rows if aqi is not None}


def forecast_checks(
    place: Jurisdiction, days: list[dt.date], observed: dict[dt.date, float]
) -> tuple[ForecastDayCheck, ...]:
    """Per day and source, the newest forecast issued before the day began (China time)."""
    rows = (
        ForecastDay.objects.filter(forecast__jurisdiction=place, day__in=days)
        .select_related("forecast")
        .order_by("day", "forecast__source", "forecast__issued_at", "pk")
    )
    newest: dict[tuple[dt.date, str], ForecastDay] = {}
    for row in rows:
        issued = timezone.localtime(row.forecast.issued_at, CHINA)
        if issued.date() < row.day:  # a forecast, not a same-day nowcast
            newest[(row.day, row.forecast.source)] = row  # ordered: the newest wins
    return tuple(
        ForecastDayCheck(
            day=row.day,
            source=source,
            issued_at=row.forecast.issued_at,
            lead_days=(row.day - timezone.localtime(row.forecast.issued_at, CHINA).date()).days,
            aqi_low=row.aqi_low,
            aqi_high=row.aqi_high,
            observed=observed.get(row.day),
        )
        for (_, source), row in sorted(newest.items())
    )


def forecast_skill(checks: tuple[ForecastDayCheck, ...]) -> tuple[ForecastSkill, ...]:
    """Per source: days with an observation, the share inside the range, the mean absolute
    error of the range's middle."""
    by_source: dict[str, list[ForecastDayCheck]] = defaultdict(list)
    for check in checks:
        by_source[check.source].append(check)
    skills = []
    for source, rows in sorted(by_source.items()):
        errors = [abs(row.error) for row in rows if row.error is not None]
        inside = [bool(row.inside) for row in rows if row.inside is not None]
        skills.append(
            ForecastSkill(
                source,
                len(errors),
                sum(inside) / len(inside) if inside else None,
                sum(errors) / len(errors) if errors else None,
            )
        )
    return tuple(skills)
