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
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.city_store import (
    DERIVED,
    Derived,
    Rows,
    changed_rows,
    pending_rows,
    recompute,
    save_city_values,
    save_derived,
    station_table,
    stored_rows,
)
from hazeguard_platform.monitoring.models import (
    POLLUTANT_FIELDS,
    Content,
    Correction,
    Delivery,
    Reading,
    Station,
    Way,
)
from hazeguard_platform.monitoring.selectors import places_under
from hazeguard_platform.pages import page_language
from hazeguard_platform.table_errors import table_error_text

MONITORING_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)
# A month of 2,000 stations (1.5 million rows) is one delivery: a backfill goes month by month.
MAX_ROWS = 1_500_000


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
            raise TableError(source, MAX_ROWS + 2, "*", f"more than {MAX_ROWS} rows")
        stations = _stations_of(jurisdiction, hours.stations, source, 2 if fmt == "csv" else 1)
    except (TableError, ValueError) as error:
        # The delivery's log keeps the core's words; the person reads them in the page's language.
        delivery_refused(actor, jurisdiction, Content.READINGS, way, source, str(error))
        shown = table_error_text(error) if isinstance(error, TableError) else str(error)
        raise InvalidInputError(shown, field="file") from None
    assert hours.stations is not None  # station_hours requires the column
    count = len(hours.times)
    hour_end = (
        pd.DatetimeIndex(hours.times)
        .tz_localize(CHINA)
        .tz_convert("UTC")
        .tz_localize(None)
        .to_numpy(dtype="datetime64[ns]")
    )
    values = np.column_stack(
        [
            np.asarray(hours.concentrations.get(p, np.full(count, np.nan)), dtype=np.float64)
            for p in POLLUTANT_FIELDS
        ]
    )
    with transaction.atomic():
        delivery = delivery_open(actor, jurisdiction, Content.READINGS, way, source, count)
        changed = _store(delivery, stations.ids, hour_end, values)
        delivery_audit(actor, delivery, "readings.ingest")
    if changed:
        from hazeguard_platform.monitoring.alerts import observed_check, polluted_places

        for place_id in polluted_places(stations.places):
            observed_check(jurisdiction_id=place_id)
    return delivery


def delivery_open(
    actor: Actor,
    jurisdiction: Jurisdiction,
    content: Content,
    way: str,
    source: str,
    rows: int = 0,
    error: str = "",
) -> Delivery:
    """The row of one arrival (readings or weather), before what it changed is counted."""
    return Delivery.objects.create(
        jurisdiction=jurisdiction,
        content=content,
        way=way,
        source=source[:300],
        received_by=actor if isinstance(actor, User) else None,
        rows=rows,
        error=error,
    )


def delivery_audit(actor: Actor, delivery: Delivery, action: str) -> None:
    """The audit record of a stored arrival: what it held and what it changed."""
    audit_record(
        actor=actor,
        action=action,
        obj=delivery,
        after={
            "source": delivery.source,
            "rows": delivery.rows,
            "stored": delivery.stored,
            "unchanged": delivery.unchanged,
            "corrected": delivery.corrected,
        },
    )


def delivery_refused(
    actor: Actor, jurisdiction: Jurisdiction, content: Content, way: str, source: str, error: str
) -> None:
    """Keep a refused arrival (nothing of it stored) and its reason, with an audit record."""
    delivery = delivery_open(actor, jurisdiction, content, way, source, error=error)
    action = "readings.ingest" if content == Content.READINGS else "weather.ingest"
    audit_record(actor=actor, action=action, obj=delivery, message=error)


class StationsOf(NamedTuple):
    """The station of each row as ingestion needs it: ids, and the places they count for."""

    ids: npt.NDArray[np.int64]
    places: set[int]


def _stations_of(jurisdiction: Jurisdiction, codes: Any, source: str, first_row: int) -> StationsOf:
    """The station of each row; a ``TableError`` naming the first row with an unknown code."""
    from hazeguard.io.tables import TableError

    places = places_under(jurisdiction)
    known = pd.DataFrame.from_records(
        list(
            Station.objects.filter(jurisdiction__in=places).values_list(
                "id", "code", "jurisdiction_id"
            )
        ),
        columns=["id", "code", "place"],
    ).set_index("code")
    texts = pd.Index(pd.Series(codes, dtype=object).astype(str))
    at = known.index.get_indexer(texts)
    if (at < 0).any():
        position = int(np.flatnonzero(at < 0)[0])
        code = list(codes)[position]
        place = jurisdiction.name_in(page_language())
        raise TableError(
            source, first_row + position, "station", f"{code!r} is not a station of {place}"
        )
    used = np.unique(at)
    return StationsOf(
        known["id"].to_numpy(dtype=np.int64)[at],
        set(known["place"].to_numpy(dtype=np.int64)[used].tolist()),
    )


def _store(
    delivery: Delivery,
    station_id: npt.NDArray[np.int64],
    hour_end: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
) -> int:
    """Store new hours, replace corrected ones, recompute what they changed; returns how many
    rows changed. Rows are arrays (station ids, hour ends UTC, concentrations (rows, 6)), an hour
    of 2,000 stations or a month of them: the rows are matched to the stored ones by key,
    the new and corrected ones get their flags and AQI in one recomputation and the new ones are
    written in one statement (``readings_store``)."""
    from hazeguard_platform.monitoring.readings_store import (
        flag_texts,
        insert_rows,
        same_values,
        stored_readings,
    )

    stored = stored_readings(station_id, hour_end)
    found = stored.position >= 0
    unchanged = np.zeros(len(station_id), dtype=bool)
    unchanged[found] = same_values(stored.values[stored.position[found]], values[found])
    new = np.flatnonzero(~found)
    corrected = np.flatnonzero(found & ~unchanged)
    delivery.unchanged = int(unchanged.sum())
    delivery.stored, delivery.corrected = len(new), len(corrected)
    waiting = np.concatenate([new, corrected])
    if len(waiting):
        derived = city_recompute(
            station_ids=station_id[waiting], hours=hour_end[waiting], values=values[waiting]
        )
        flags = flag_texts(derived.bits)
        fresh = slice(0, len(new))
        insert_rows(
            station_id=station_id[new],
            hour_end=hour_end[new],
            values=values[new],
            flags=flags[fresh],
            aqi=derived.aqi[fresh],
            level=derived.level[fresh],
            primary=derived.primary[fresh],
            delivery_id=delivery.pk,
        )
        _correct(delivery, stored.pk[stored.position[corrected]], values[corrected],
                 derived.take(np.arange(len(new), len(waiting))))  # fmt: skip
    delivery.save(update_fields=["stored", "unchanged", "corrected"])
    return len(waiting)


def _correct(
    delivery: Delivery,
    pks: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    derived: Derived,
) -> None:
    """Replace stored readings by corrected values, each leaving a :class:`Correction` (a few
    rows a delivery: model instances are fine here)."""
    if not len(pks):
        return
    readings = Reading.objects.in_bulk(pks.tolist())
    corrections: list[Correction] = []
    changed: list[Reading] = []
    for k, pk in enumerate(pks.tolist()):
        reading = readings[pk]
        before = {p: getattr(reading, p) for p in POLLUTANT_FIELDS}
        after = {p: _optional(v) for p, v in zip(POLLUTANT_FIELDS, values[k], strict=True)}
        for p, v in after.items():
            setattr(reading, p, v)
        reading.delivery = delivery
        reading.flags = derived.flags(k)
        reading.aqi, reading.level, reading.primary_pollutants = derived.optional(k)
        changed.append(reading)
        corrections.append(
            Correction(reading=reading, delivery=delivery, before=before, after=after)
        )
    Reading.objects.bulk_update(changed, [*POLLUTANT_FIELDS, "delivery", *DERIVED], batch_size=2000)
    Correction.objects.bulk_create(corrections, batch_size=2000)


def city_recompute(
    *,
    station_ids: npt.NDArray[np.int64],
    hours: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
) -> Derived:
    """Recompute flags, station AQI and city values that these station hours changed.

    ``station_ids``, ``hours`` (hour ends, UTC ``datetime64``) and ``values`` (rows x
    POLLUTANT_FIELDS [µg/m³; CO mg/m³]) are readings about to be saved by the caller (new or
    corrected): they stand in for any stored ones. Every station of the stations' jurisdictions
    is read over the span the core names, so a late or corrected hour updates the windows it
    falls in and nothing else. Stored readings and city values whose derived values changed are
    saved here; the derived values of the given readings are returned, in their order, for the
    caller to save.
    """
    from hazeguard.monitoring.recompute import recompute_span

    arrived = pd.DatetimeIndex(np.unique(hours)).tz_localize("UTC").tz_convert(CHINA)
    span = recompute_span(arrived.tz_localize(None).to_pydatetime())
    place_ids = set(
        Station.objects.filter(pk__in=np.unique(station_ids).tolist()).values_list(
            "jurisdiction_id", flat=True
        )
    )
    inputs = (span.inputs[0].replace(tzinfo=CHINA), span.inputs[1].replace(tzinfo=CHINA))
    recomputed = (span.hours[0].replace(tzinfo=CHINA), span.hours[1].replace(tzinfo=CHINA))
    pending = pending_rows(station_ids, hours, values)
    stored = stored_rows(place_ids, inputs, recomputed)
    if len(stored):
        waiting = pd.MultiIndex.from_arrays([pending.station_id, pending.hour_end])
        replaced = pd.MultiIndex.from_arrays([stored.station_id, stored.hour_end]).isin(waiting)
        stored = stored.take(~replaced)
    rows = Rows.concat([stored, pending])
    city, inside, derived = recompute(station_table(place_ids), rows, span)
    positions = np.flatnonzero(inside)
    of_stored = positions < len(stored)
    mine = derived.take(np.flatnonzero(of_stored))
    around = stored.take(positions[of_stored])
    save_derived(around, mine, changed_rows(around, mine))
    save_city_values(city, place_ids, span)
    # Every given reading lies in the span (the span is built around them), in order.
    return derived.take(np.flatnonzero(~of_stored))


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
