"""Every change to monitoring data (STYLE.md §7): hourly readings in (pull, push, upload), the
city values recomputed for exactly what changed, polls of the configured endpoints.

All three ways in end in :func:`readings_ingest`, which checks the rows with the core
(:func:`hazeguard.monitoring.layouts.station_hours`), stores new hours, leaves an hour delivered
again unchanged, replaces a corrected one with a :class:`Correction`, and recomputes the
plausibility flags, station AQI and city values (:mod:`hazeguard.monitoring.city`) of the hours
and days the arrival touched (:func:`hazeguard.monitoring.recompute.recompute_span`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from hazeguard.vocabulary import pollutant_of_measurement
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import (
    COUNTING_KINDS,
    POLLUTANT_FIELDS,
    CityDay,
    CityHour,
    Correction,
    Delivery,
    Reading,
    Station,
    Way,
)

if TYPE_CHECKING:
    from hazeguard.monitoring.city import CityValues
    from hazeguard.monitoring.recompute import Recompute

MONITORING_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)
MAX_ROWS = 500_000
# Stations that count for no city's AQI (micro-sensors) are grouped under this name and dropped.
_NOT_COUNTED = "\x00"
_DERIVED = ("flags", "aqi", "level", "primary_pollutants")
HOUR = timedelta(hours=1)


def places_under(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """``jurisdiction`` and every place below it (one query per level)."""
    found, level = [jurisdiction], [jurisdiction]
    while level:
        level = list(Jurisdiction.objects.filter(parent__in=level))
        found += level
    return found


def primary_names(primary: str) -> str:
    """The core's primary indicators (``pm25_1h;o3_8h``) as people read them (``PM2.5+O3``)."""
    names: list[str] = []
    for part in primary.split(";"):
        name = pollutant_of_measurement(part)
        if name and name not in names:
            names.append(name)
    return "+".join(names)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(CHINA).replace(tzinfo=None)


def _aware(naive: Any) -> datetime:
    return datetime.fromisoformat(str(naive)).replace(tzinfo=CHINA)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def readings_ingest(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    body: str,
    fmt: str,
    layout: str,
    way: Way | str,
    source: str,
) -> Delivery:
    """Check and store hourly station rows, then recompute what they changed.

    ``fmt`` is ``csv`` or ``json``, ``layout`` one of :data:`hazeguard.monitoring.layouts.LAYOUTS`.
    ``actor`` ``None`` is the worker polling an endpoint. All or nothing: a bad row stores no row
    and raises :class:`InvalidInputError` naming source, row and column (kept on the
    :class:`Delivery`). A station-hour delivered again with the same values changes nothing; with
    other values it replaces the stored one and leaves a :class:`Correction` and an audit record.
    """
    from hazeguard.io.tables import TableError
    from hazeguard.monitoring.layouts import layout_named, station_hours

    if actor is not None:
        require_role(actor, jurisdiction, MONITORING_ROLES, action="readings.ingest")
    if way not in Way.values:
        raise InvalidInputError(f"unknown way {way!r}", field="way")
    try:
        chosen = layout_named(layout)
        if fmt not in ("csv", "json"):
            raise ValueError(f"unknown format {fmt!r}; expected csv or json")
        hours = station_hours(body, source, fmt=fmt, layout=chosen)  # type: ignore[arg-type]
        if len(hours.times) > MAX_ROWS:
            raise ValueError(f"{source}: more than {MAX_ROWS} rows; split the delivery")
        stations = _stations_of(jurisdiction, hours.stations, source, 2 if fmt == "csv" else 1)
    except (TableError, ValueError) as error:
        _refused(actor, jurisdiction, way, source, str(error))
        raise InvalidInputError(str(error), field="file") from None
    assert hours.stations is not None  # station_hours requires the column
    times = [t.to_pydatetime().replace(tzinfo=CHINA) for t in hours.times]
    values = np.column_stack(
        [hours.concentrations.get(p, np.full(len(times), np.nan)) for p in POLLUTANT_FIELDS]
    )
    with transaction.atomic():
        delivery = Delivery.objects.create(
            jurisdiction=jurisdiction,
            way=way,
            source=source[:300],
            received_by=actor if getattr(actor, "pk", None) else None,
            rows=len(times),
        )
        changed = _store(delivery, stations, times, values)
        audit_record(
            actor=actor,
            action="readings.ingest",
            obj=delivery,
            after={
                "source": source,
                "rows": delivery.rows,
                "stored": delivery.stored,
                "unchanged": delivery.unchanged,
                "corrected": delivery.corrected,
            },
        )
    if changed:
        from hazeguard_platform.monitoring.alerts import observed_check, polluted_places

        for place_id in polluted_places({station.jurisdiction_id for station in stations}):
            observed_check(jurisdiction_id=place_id)
    return delivery


def _refused(actor: Actor, jurisdiction: Jurisdiction, way: str, source: str, error: str) -> None:
    delivery = Delivery.objects.create(
        jurisdiction=jurisdiction,
        way=way,
        source=source[:300],
        received_by=actor if getattr(actor, "pk", None) else None,
        error=error,
    )
    audit_record(actor=actor, action="readings.ingest", obj=delivery, message=error)


def _stations_of(
    jurisdiction: Jurisdiction, codes: Any, source: str, first_row: int
) -> list[Station]:
    """The station of each row; ``ValueError`` naming the first row with an unknown code."""
    places = places_under(jurisdiction)
    known = {s.code: s for s in Station.objects.filter(jurisdiction__in=places)}
    found: list[Station] = []
    for position, code in enumerate(codes):
        station = known.get(str(code))
        if station is None:
            raise ValueError(
                f"{source}: row {first_row + position}, column 'station': {code!r} is not a "
                f"station of {jurisdiction.code}; add it to the station registry first"
            )
        found.append(station)
    return found


def _store(
    delivery: Delivery, stations: Sequence[Station], times: Sequence[datetime], values: Any
) -> list[tuple[int, datetime]]:
    """Store new hours, replace corrected ones, recompute what they changed; returns the
    (station id, hour) that changed. New readings get their flags and AQI before they are
    inserted, so an hour of 2,000 stations is one insert, not an insert and an update."""
    ids = {s.pk for s in stations}
    stored = {
        (r.station_id, r.hour_end): r
        for r in Reading.objects.filter(
            station_id__in=ids, hour_end__gte=min(times), hour_end__lte=max(times)
        )
    }
    new: list[Reading] = []
    corrected: list[Reading] = []
    corrections: list[Correction] = []
    changed: list[tuple[int, datetime]] = []
    for station, moment, row in zip(stations, times, values, strict=True):
        incoming = {p: _optional(v) for p, v in zip(POLLUTANT_FIELDS, row, strict=True)}
        reading = stored.get((station.pk, moment))
        if reading is None:
            new.append(Reading(station=station, hour_end=moment, delivery=delivery, **incoming))
        elif all(_same(getattr(reading, p), incoming[p]) for p in POLLUTANT_FIELDS):
            delivery.unchanged += 1
            continue
        else:
            before = {p: getattr(reading, p) for p in POLLUTANT_FIELDS}
            for p, v in incoming.items():
                setattr(reading, p, v)
            reading.delivery = delivery
            corrected.append(reading)
            corrections.append(
                Correction(reading=reading, delivery=delivery, before=before, after=incoming)
            )
        changed.append((station.pk, moment))
    if changed:
        city_recompute(
            station_ids={s for s, _ in changed},
            hours=[t for _, t in changed],
            pending=[*new, *corrected],
        )
    Reading.objects.bulk_create(new, batch_size=2000)
    Reading.objects.bulk_update(
        corrected, [*POLLUTANT_FIELDS, "delivery", *_DERIVED], batch_size=2000
    )
    Correction.objects.bulk_create(corrections, batch_size=2000)
    delivery.stored, delivery.corrected = len(new), len(corrected)
    delivery.save(update_fields=["stored", "unchanged", "corrected"])
    return changed


def city_recompute(
    *, station_ids: Iterable[int], hours: Iterable[datetime], pending: Sequence[Reading] = ()
) -> int:
    """Recompute flags, station AQI and city values that hours of these stations changed.

    Every station of the stations' jurisdictions is read over the span the core names, so a
    late or corrected hour updates the windows it falls in and nothing else. ``pending`` are
    readings about to be saved by the caller (new or corrected): they are used in place of the
    stored ones and get their flags and AQI set, unsaved. Returns the number of stored readings
    whose flags or AQI changed (saved here).
    """
    from hazeguard.monitoring.recompute import recompute_span

    span = recompute_span(_local(h) for h in hours)
    place_ids = set(
        Station.objects.filter(pk__in=set(station_ids)).values_list("jurisdiction_id", flat=True)
    )
    stations = list(Station.objects.filter(jurisdiction_id__in=place_ids))
    first, last = (s.replace(tzinfo=CHINA) for s in span.inputs)
    waiting = {(r.station_id, r.hour_end) for r in pending}
    # Plain rows, not model instances: an hour of 2,000 stations reads ~60,000 of them. Only the
    # hours to recompute need their flags and AQI (to compare); the others only their values.
    begin, end = (s.replace(tzinfo=CHINA) for s in span.hours)
    around = Reading.objects.filter(station__in=stations, hour_end__gte=first, hour_end__lte=last)
    readings: list[Any] = []
    for query, columns in (
        (
            around.exclude(hour_end__gte=begin, hour_end__lte=end),
            ("pk", "station_id", "hour_end", *POLLUTANT_FIELDS),
        ),
        (
            around.filter(hour_end__gte=begin, hour_end__lte=end),
            ("pk", "station_id", "hour_end", *POLLUTANT_FIELDS, *_DERIVED),
        ),
    ):
        readings += [
            SimpleNamespace(**dict(zip(columns, row, strict=True)))
            for row in query.values_list("id", *columns[1:])
            if (row[1], row[2]) not in waiting
        ]
    readings += pending
    if not readings:
        return 0
    values = _city_values(stations, readings, span)
    changed = _station_results(stations, readings, values, span)
    saved = [
        Reading(pk=r.pk, **{field: getattr(r, field) for field in _DERIVED})
        for r in changed
        if r.pk is not None and (r.station_id, r.hour_end) not in waiting
    ]
    Reading.objects.bulk_update(saved, list(_DERIVED), batch_size=2000)
    _city_results(stations, values)
    return len(saved)


def _city_values(
    stations: Sequence[Station], readings: Sequence[Any], span: Recompute
) -> CityValues:
    import pandas as pd

    from hazeguard.aqi.indicators import hourly_grid, with_cities
    from hazeguard.monitoring.city import city_values

    code_of = {s.pk: s.code for s in stations}
    ends = pd.to_datetime([r.hour_end for r in readings], utc=True)
    grid = hourly_grid(
        ends.tz_convert(CHINA).tz_localize(None),
        {
            p: np.array([np.nan if getattr(r, p) is None else getattr(r, p) for r in readings])
            for p in POLLUTANT_FIELDS
        },
        np.array([code_of[r.station_id] for r in readings], dtype=object),
    )
    city_of = {
        s.code: str(s.jurisdiction_id) if s.kind in COUNTING_KINDS else _NOT_COUNTED
        for s in stations
    }
    return city_values(with_cities(grid, city_of), span)


def _station_results(
    stations: Sequence[Station], readings: Sequence[Any], values: CityValues, span: Recompute
) -> list[Any]:
    """Set the flags and real-time AQI of every reading in the recomputed span; returns those
    that changed (unsaved)."""
    from hazeguard.monitoring.plausibility import Flag

    first, last = (s.replace(tzinfo=CHINA) for s in span.hours)
    aqi = {
        (str(row.station), _aware(row.time)): row for row in values.stations.itertuples(index=False)
    }
    code_of = {s.pk: s.code for s in stations}
    # The grid's rows are the stations read, by code; its columns start at the midnight before
    # the first hour read (hazeguard.aqi.indicators.hourly_grid).
    row_of = {code: k for k, code in enumerate(sorted({code_of[r.station_id] for r in readings}))}
    first_end = min(_local(r.hour_end) for r in readings)
    first_day = datetime.combine((first_end - HOUR).date(), datetime.min.time())
    kept_bits = ~int(Flag.GAP)
    changed: list[Any] = []
    for reading in readings:
        if not first <= reading.hour_end <= last:
            continue
        code = code_of[reading.station_id]
        column = int((_local(reading.hour_end) - first_day) / HOUR) - 1
        flags = {}
        for pollutant, bits in values.flags.items():
            value = int(bits[row_of[code], column]) & kept_bits
            if value:
                flags[pollutant] = value
        result = aqi.get((code, reading.hour_end))
        derived = (
            flags,
            None if result is None or _missing(result.aqi) else int(result.aqi),
            None if result is None or _missing(result.level) else int(result.level),
            "" if result is None else primary_names(str(result.primary_pollutants)),
        )
        if derived != tuple(getattr(reading, f) for f in _DERIVED):
            for field, value in zip(_DERIVED, derived, strict=True):
                setattr(reading, field, value)
            changed.append(reading)
    return changed


def _missing(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _city_results(stations: Sequence[Station], values: CityValues) -> None:
    hours: dict[tuple[int, datetime], CityHour] = {}
    for report, prefix in ((values.hourly, ""), (values.rolling, "rolling_")):
        for row in report.itertuples(index=False):
            if row.city == _NOT_COUNTED:
                continue
            key = (int(row.city), _aware(row.time))
            hour = hours.setdefault(key, CityHour(jurisdiction_id=key[0], hour_end=key[1]))
            setattr(hour, f"{prefix}aqi", None if _missing(row.aqi) else int(row.aqi))
            setattr(hour, f"{prefix}level", None if _missing(row.level) else int(row.level))
            primary = primary_names(str(row.primary_pollutants))
            setattr(hour, "rolling_primary" if prefix else "primary_pollutants", primary)
    CityHour.objects.bulk_create(
        hours.values(),
        update_conflicts=True,
        unique_fields=["jurisdiction", "hour_end"],
        update_fields=[
            "aqi",
            "level",
            "primary_pollutants",
            "rolling_aqi",
            "rolling_level",
            "rolling_primary",
        ],
    )
    days = [
        CityDay(
            jurisdiction_id=int(row.city),
            day=row.date.date(),
            aqi=None if _missing(row.aqi) else int(row.aqi),
            level=None if _missing(row.level) else int(row.level),
            primary_pollutants=primary_names(str(row.primary_pollutants)),
        )
        for row in values.daily.itertuples(index=False)
        if row.city != _NOT_COUNTED
    ]
    CityDay.objects.bulk_create(
        days,
        update_conflicts=True,
        unique_fields=["jurisdiction", "day"],
        update_fields=["aqi", "level", "primary_pollutants"],
    )


def pull_due(*, now: datetime, limit: int = 10) -> list[int]:
    """Claim the endpoints due for a poll (conditional UPDATE: several workers may run) and
    move their next poll on; returns the claimed ids."""
    from hazeguard_platform.monitoring.models import PullSource

    claimed: list[int] = []
    for source in PullSource.objects.filter(active=True, next_poll_at__lte=now)[:limit]:
        won = PullSource.objects.filter(pk=source.pk, next_poll_at=source.next_poll_at).update(
            next_poll_at=now + timedelta(seconds=source.interval)
        )
        if won:
            claimed.append(source.pk)
    return claimed


def pull_source_poll(*, source_id: int, timeout: float = 30.0) -> Delivery | None:
    """Fetch one endpoint and ingest what it returns; the outcome is kept on the source."""
    from urllib.error import URLError
    from urllib.request import urlopen

    from hazeguard_platform.monitoring.models import PullSource

    source = PullSource.objects.select_related("jurisdiction").get(pk=source_id)
    now = timezone.now()
    try:
        with urlopen(source.url, timeout=timeout) as response:
            body = response.read().decode(response.headers.get_content_charset() or "utf-8")
        delivery = readings_ingest(
            actor=None,
            jurisdiction=source.jurisdiction,
            body=body,
            fmt=source.format,
            layout=source.layout,
            way=Way.PULL,
            source=source.url,
        )
    except (OSError, URLError, UnicodeDecodeError, InvalidInputError) as error:
        PullSource.objects.filter(pk=source_id).update(
            last_polled_at=now, last_outcome=str(getattr(error, "message", error))[:2000]
        )
        return None
    outcome = (
        f"{delivery.rows} rows: {delivery.stored} new, {delivery.corrected} corrected, "
        f"{delivery.unchanged} unchanged"
    )
    PullSource.objects.filter(pk=source_id).update(last_polled_at=now, last_outcome=outcome)
    return delivery
