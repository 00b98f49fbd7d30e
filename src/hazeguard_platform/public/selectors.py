"""What the public pages read: each jurisdiction's warning, forecast and observed AQI, in bulk.

The home page lists every jurisdiction (13 with Liaocheng's counties, more with each city).
Reading them one by one cost about 4 queries each (55 for 13); here the warnings in force, the
newest forecast days and the newest observed hours of all the jurisdictions asked for come in
a fixed number of queries, whatever their count (``test_public_queries.py`` holds it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from hazeguard_platform.forecasts.models import Forecast, ForecastDay
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import Reading
from hazeguard_platform.public.presenters import (
    PUBLIC_CATEGORIES,
    MeasureView,
    aqi_advice,
    measures_of,
)
from hazeguard_platform.warnings.models import ACTIVE_STATES, Warning

if TYPE_CHECKING:
    from hazeguard.aqi import LevelInfo


@dataclass(frozen=True)
class JurisdictionStatus:
    """A jurisdiction with its warning in force (if any), its measures and its latest forecast."""

    jurisdiction: Jurisdiction
    warning: Warning | None
    measures: list[MeasureView]
    today: ForecastDay | None
    # Every station's AQI at the newest indexed hour, highest first.
    observed: list[Reading] = field(default_factory=list)

    @property
    def observed_aqi(self) -> LevelInfo | None:
        """Category and health advice of the highest station AQI of the newest hour."""
        aqi = self.observed[0].aqi if self.observed else None
        return aqi_advice(aqi) if aqi is not None else None

    @property
    def level_class(self) -> str:
        return f"level-{self.warning.level}" if self.warning else "level-none"

    @property
    def aqi(self) -> LevelInfo | None:
        """Category and health advice of today's forecast upper AQI."""
        return aqi_advice(self.today.aqi_high) if self.today else None


def _active_warnings(ids: Sequence[int]) -> dict[int, Warning]:
    """Per jurisdiction, its newest issued or in-force warning (an adjustment waiting to start
    comes before the warning it replaces). One query; the plan snapshot stays in the database:
    the measures are read once per plan version (``presenters.measures_of``)."""
    found: dict[int, Warning] = {}
    warnings = (
        # Never a drill (演练). The advisory notice (提示信息, 003 §3.1) is shown, named as such.
        Warning.objects.filter(jurisdiction_id__in=ids, state__in=ACTIVE_STATES, drill=False)
        .select_related("plan_version", "jurisdiction", "regional_source__jurisdiction")
        # The engine's decisions and the plan snapshot are JSON the cards never show.
        .defer("decision", "regional_source__decision", "plan_version__snapshot")
        .order_by("-proposed_at", "-id")
    )
    for warning in warnings:
        found.setdefault(warning.jurisdiction_id, warning)
    return found


def _forecast_days(ids: Sequence[int], today: date) -> dict[int, ForecastDay]:
    """Per jurisdiction: today's day of the newest forecast that covers today, else the newest
    forecast's first day. Two queries."""
    newest = Forecast.objects.filter(jurisdiction=OuterRef("pk")).order_by("-issued_at", "-id")
    places = Jurisdiction.objects.filter(pk__in=ids).annotate(
        newest=Subquery(newest.values("pk")[:1]),
        covering=Subquery(newest.filter(days__day=today).values("pk")[:1]),
    )
    wanted = {place.pk: (place.covering, place.newest) for place in places}
    forecast_ids = {f for pair in wanted.values() for f in pair if f is not None}
    first: dict[int, ForecastDay] = {}
    today_of: dict[int, ForecastDay] = {}
    for day in ForecastDay.objects.filter(forecast_id__in=forecast_ids).order_by("day"):
        first.setdefault(day.forecast_id, day)
        if day.day == today:
            today_of[day.forecast_id] = day
    chosen: dict[int, ForecastDay] = {}
    for place_id, (covering, newest_id) in wanted.items():
        shown = today_of.get(covering) if covering is not None else None
        shown = shown or (first.get(newest_id) if newest_id is not None else None)
        if shown is not None:
            chosen[place_id] = shown
    return chosen


def _observed(ids: Sequence[int]) -> dict[int, list[Reading]]:
    """Per jurisdiction, its stations' AQI at the newest indexed hour, highest first. Two
    queries."""
    hours = Reading.objects.filter(station__jurisdiction_id__in=ids, aqi__isnull=False)
    newest: dict[int, datetime] = dict(
        hours.values_list("station__jurisdiction_id")
        .annotate(newest=Max("hour_end"))
        .values_list("station__jurisdiction_id", "newest")
    )
    found: dict[int, list[Reading]] = {place_id: [] for place_id in newest}
    if not newest:
        return found
    at_newest = Q()
    for place_id, moment in newest.items():
        at_newest |= Q(station__jurisdiction_id=place_id, hour_end=moment)
    rows = (
        hours.filter(at_newest)
        .select_related("station")
        .annotate(place_id=F("station__jurisdiction_id"))
        .order_by("-aqi", "station__code")
    )
    for row in rows:
        found[row.place_id].append(row)
    return found


def statuses_key(statuses: Sequence[JurisdictionStatus]) -> str:
    """A digest of everything the status cards show, for caching their rendering: it changes
    whenever a card would (the measures are those of the plan version's digest and level)."""
    parts = []
    for status in statuses:
        place, warning, today = status.jurisdiction, status.warning, status.today
        shown = None
        if warning is not None:
            source = warning.regional_source
            shown = (
                *(warning.pk, warning.version, warning.state, warning.level, warning.response),
                *(warning.issued_at, warning.starts_at, warning.ended_at),
                source.jurisdiction.code if source else None,
                warning.plan_version.digest,
                len(status.measures),
            )
        parts.append(
            (
                (place.pk, place.code, place.name_zh, place.name_en),
                shown,
                (today.pk, today.day, today.aqi_low, today.aqi_high, today.primary_pollutant)
                if today
                else None,
                tuple(
                    (h.pk, h.station.code, h.hour_end, h.aqi, h.primary_pollutants)
                    for h in status.observed
                ),
            )
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def statuses_of(places: Sequence[Jurisdiction], *, brief: bool = False) -> list[JurisdictionStatus]:
    """The status of each jurisdiction, in the order given, in a fixed number of queries.

    ``brief``: a county following its city's regional warning lists no measures of its own
    on the overview (its page does), so the overview stays readable.
    """
    ids = [place.pk for place in places]
    warnings = _active_warnings(ids)
    days = _forecast_days(ids, timezone.localdate())
    observed = _observed(ids)
    statuses = []
    for place in places:
        warning = warnings.get(place.pk)
        regional = warning is not None and warning.regional_source_id is not None
        measures = (
            []
            if warning is None or (brief and regional)
            else measures_of(warning, PUBLIC_CATEGORIES)
        )
        statuses.append(
            JurisdictionStatus(
                place, warning, measures, days.get(place.pk), observed.get(place.pk, [])
            )
        )
    return statuses
