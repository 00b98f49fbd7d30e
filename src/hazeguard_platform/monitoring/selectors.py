"""What the pages, the decision and the alerts read of monitoring data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from django.db.models import Max, Q, QuerySet

from hazeguard_platform.core import CHINA, ForecastDayValues
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import (
    WEATHER_FIELDS,
    CityDay,
    CityHour,
    Reading,
    Station,
    WeatherHour,
)

# Days of observations given to the engine before the forecast's first day: enough for the
# longest persistence a plan counts (3 days, Liaocheng 003 §3.1 red) to see the episode under way.
OBSERVED_DAYS = 3


def latest_city_hour(jurisdiction: Jurisdiction, at: datetime | None = None) -> CityHour | None:
    """The newest hour with a rolling 24-h AQI, at or before ``at``."""
    hours = CityHour.objects.filter(jurisdiction=jurisdiction, rolling_aqi__isnull=False)
    if at is not None:
        hours = hours.filter(hour_end__lte=at)
    return hours.order_by("-hour_end").first()


def observed_days(
    jurisdiction: Jurisdiction, *, first_forecast_day: date, at: datetime
) -> list[ForecastDayValues]:
    """The observed AQI of the days just before the forecast's first day, as the engine takes
    them: HJ 633 daily AQI of each finished day, and for the day under way (if any) the rolling
    24-h AQI ending at the newest hour by ``at`` (the plans' "连续24小时（可跨自然日）").

    Consecutive days ending the day before ``first_forecast_day``; empty when that day has no
    value, since the engine joins the observed series directly to the forecast.
    """
    wanted = [first_forecast_day - timedelta(days=n) for n in range(OBSERVED_DAYS, 0, -1)]
    today = at.astimezone(CHINA).date()
    daily = {
        d.day: d
        for d in CityDay.objects.filter(
            jurisdiction=jurisdiction, day__in=wanted, aqi__isnull=False
        )
    }
    values: dict[date, ForecastDayValues] = {
        day: ForecastDayValues(day, row.aqi, row.aqi, row.primary_pollutants, False)
        for day, row in daily.items()
        if row.aqi is not None and day < today
    }
    if today in wanted:
        hour = latest_city_hour(jurisdiction, at)
        if (
            hour is not None
            and hour.rolling_aqi is not None
            and (hour.hour_end.astimezone(CHINA) - timedelta(hours=1)).date() == today
        ):
            values[today] = ForecastDayValues(
                today, hour.rolling_aqi, hour.rolling_aqi, hour.rolling_primary, False
            )
    chain: list[ForecastDayValues] = []
    for day in reversed(wanted):
        if day not in values:
            break
        chain.insert(0, values[day])
    return chain


@dataclass(frozen=True)
class StationNow:
    """A station and its newest reading (``None`` when it has none)."""

    station: Station
    reading: Reading | None


#: How far back before the places' newest reading a station's reading still counts as its
#: current one (the chart's 7 days); older stations show none, and the query stays bounded as
#: years of readings accumulate.
CURRENT_WINDOW = timedelta(days=7)


def newest_reading_hour(stations: QuerySet[Station] | list[Station]) -> datetime | None:
    """The newest hour end any of these stations has a reading for: a backward scan of the
    readings' hour index that stops at the first match, not a ``Max`` over every reading."""
    return (
        Reading.objects.filter(station__in=stations)
        .order_by("-hour_end")
        .values_list("hour_end", flat=True)
        .first()
    )


def stations_now(places: list[Jurisdiction]) -> list[StationNow]:
    """Every station of these places with its newest reading of the :data:`CURRENT_WINDOW`
    before the places' newest one. Four queries, each bounded by the window."""
    stations = list(Station.objects.filter(jurisdiction__in=places).order_by("code"))
    last = newest_reading_hour(stations)
    if last is None:
        return [StationNow(s, None) for s in stations]
    recent = Reading.objects.filter(
        station__in=stations, hour_end__gt=last - CURRENT_WINDOW, hour_end__lte=last
    )
    newest = dict(
        recent.values_list("station_id")
        .annotate(newest=Max("hour_end"))
        .values_list("station_id", "newest")
    )
    readings = {
        r.station_id: r
        for r in recent.filter(hour_end__in=set(newest.values()))
        if newest.get(r.station_id) == r.hour_end
    }
    return [StationNow(s, readings.get(s.pk)) for s in stations]


def city_hours(jurisdiction: Jurisdiction, since: datetime) -> QuerySet[CityHour]:
    """The jurisdiction's city hours since ``since``, oldest first."""
    return CityHour.objects.filter(jurisdiction=jurisdiction, hour_end__gt=since).order_by(
        "hour_end"
    )


def city_days(jurisdiction: Jurisdiction, since: date) -> QuerySet[CityDay]:
    """The jurisdiction's daily AQI since ``since``, oldest first."""
    return CityDay.objects.filter(jurisdiction=jurisdiction, day__gte=since).order_by("day")


def flagged_readings(places: list[Jurisdiction], hours: int = 48) -> QuerySet[Reading]:
    """Readings with a plausibility flag in the ``hours`` before the newest reading of these
    places, newest first (for the office)."""
    newest = newest_reading_hour(Station.objects.filter(jurisdiction__in=places))
    if newest is None:
        return Reading.objects.none()
    return (
        Reading.objects.filter(
            station__jurisdiction__in=places, hour_end__gt=newest - timedelta(hours=hours)
        )
        .exclude(flags={})
        .select_related("station")
        .order_by("-hour_end", "station__code")
    )


def places_under(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """``jurisdiction`` and every place below it (one query per level)."""
    found, level = [jurisdiction], [jurisdiction]
    while level:
        level = list(Jurisdiction.objects.filter(parent__in=level))
        found += level
    return found


def observed_weather(
    jurisdiction: Jurisdiction, start: dt.datetime | dt.date, end: dt.datetime | dt.date
) -> pd.DataFrame:
    """The stored hourly weather of ``jurisdiction`` for the hours ending after ``start`` and at
    or before ``end``, in the core's hourly weather table (:func:`hazeguard.io.weather.
    weather_table`; :func:`hazeguard.io.weather.weather_from_table` makes it a ``Weather``).

    Parameters
    ----------
    jurisdiction
        The place: its own weather rows and those of the stations of it and the places below it.
    start, end
        Aware times, naive China times, or dates (their 00:00 China time): ``start=date(2015,
        12, 1), end=date(2016, 1, 1)`` is December's 744 hours.

    Returns
    -------
    pandas.DataFrame
        ``time`` (end of the hour, naive China time), ``station`` (the station's code, missing
        for the jurisdiction's own rows) and the variables with at least one known value, in the
        order of ``hazeguard.io.weather.WEATHER_VARIABLES`` [m/s, ° from north, °C, °C, %, hPa,
        mm, m], sorted by station and time. No rows: only ``time`` and ``station``.
    """
    first, last = _aware(start), _aware(end)
    places = places_under(jurisdiction)
    rows = WeatherHour.objects.filter(hour_end__gt=first, hour_end__lte=last).filter(
        _own_or_stations(jurisdiction, places)
    )
    records = list(rows.values_list("hour_end", "station__code", *WEATHER_FIELDS))
    table = pd.DataFrame.from_records(records, columns=["time", "station", *WEATHER_FIELDS])
    table["time"] = pd.to_datetime(
        [_local(moment) for moment in table["time"]], errors="raise"
    ).astype("datetime64[ns]")
    table["station"] = table["station"].astype("string")
    for field in WEATHER_FIELDS:
        table[field] = table[field].astype(np.float64)
    known = [f for f in WEATHER_FIELDS if table[f].notna().any()]
    table = table[["time", "station", *known]]
    return table.sort_values(["station", "time"], kind="stable", na_position="first").reset_index(
        drop=True
    )


def _own_or_stations(jurisdiction: Jurisdiction, places: list[Jurisdiction]) -> Q:
    return Q(station__isnull=True, jurisdiction=jurisdiction) | Q(station__jurisdiction__in=places)


def _aware(moment: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        return dt.datetime.combine(moment, dt.time(), tzinfo=CHINA)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(CHINA).replace(tzinfo=None)
