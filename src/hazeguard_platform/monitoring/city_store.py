"""Recompute what arriving hours changed, as arrays: flags, station AQI and city values.

An hour of 2,000 stations touches ~60,000 stored readings (the span the core names,
:func:`hazeguard.monitoring.recompute.recompute_span`). They are read with one query into numpy
arrays (no model instances, no per-row datetime conversion), computed by the core in one pass for
every city (:func:`hazeguard.monitoring.city.city_values`), compared with what is stored as
arrays, and only the rows that changed are written (docs/monitoring.md, "Speed").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from hazeguard.vocabulary import pollutant_of_measurement
from hazeguard_platform.core import CHINA
from hazeguard_platform.monitoring.models import (
    COUNTING_KINDS,
    POLLUTANT_FIELDS,
    CityDay,
    CityHour,
    Reading,
    Station,
)

if TYPE_CHECKING:
    from hazeguard.monitoring.city import CityValues
    from hazeguard.monitoring.recompute import Recompute

# Stations that count for no city's AQI (micro-sensors) are grouped under this name and dropped.
NOT_COUNTED = "\x00"
DERIVED = ("flags", "aqi", "level", "primary_pollutants")
_HOUR = np.timedelta64(1, "h")


def primary_names(primary: str) -> str:
    """The core's primary indicators (``pm25_1h;o3_8h``) as people read them (``PM2.5+O3``)."""
    names: list[str] = []
    for part in primary.split(";"):
        name = pollutant_of_measurement(part)
        if name and name not in names:
            names.append(name)
    return "+".join(names)


@dataclass
class Rows:
    """Station hours as columns: database id (-1 when not stored yet), station id, hour end
    (UTC, ``datetime64[ns]``), the six concentrations [µg/m³; CO mg/m³] and, for stored rows,
    what was derived from them (flags as stored, AQI and level with NaN for none, primary)."""

    pk: npt.NDArray[np.int64]
    station_id: npt.NDArray[np.int64]
    hour_end: npt.NDArray[np.datetime64]
    values: npt.NDArray[np.float64]  # (rows, 6) in POLLUTANT_FIELDS order
    flags: list[Any]
    aqi: npt.NDArray[np.float64]
    level: npt.NDArray[np.float64]
    primary: npt.NDArray[np.object_]

    def __len__(self) -> int:
        return len(self.pk)

    def take(self, chosen: npt.NDArray[np.bool_] | npt.NDArray[np.int64]) -> Rows:
        index = np.flatnonzero(chosen) if chosen.dtype == bool else chosen
        return Rows(
            self.pk[index],
            self.station_id[index],
            self.hour_end[index],
            self.values[index],
            [self.flags[k] for k in index],
            self.aqi[index],
            self.level[index],
            self.primary[index],
        )

    @staticmethod
    def concat(parts: Sequence[Rows]) -> Rows:
        return Rows(
            np.concatenate([p.pk for p in parts]),
            np.concatenate([p.station_id for p in parts]),
            np.concatenate([p.hour_end for p in parts]),
            np.concatenate([p.values for p in parts]),
            [flag for p in parts for flag in p.flags],
            np.concatenate([p.aqi for p in parts]),
            np.concatenate([p.level for p in parts]),
            np.concatenate([p.primary for p in parts]),
        )


def pending_rows(
    station_ids: npt.NDArray[np.int64],
    times: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
) -> Rows:
    """Rows about to be stored (no id yet, nothing derived); ``times`` are UTC hour ends."""
    count = len(station_ids)
    return Rows(
        np.full(count, -1, dtype=np.int64),
        np.asarray(station_ids, dtype=np.int64),
        np.asarray(times, dtype="datetime64[ns]"),
        np.asarray(values, dtype=np.float64).reshape(count, len(POLLUTANT_FIELDS)),
        [{}] * count,
        np.full(count, np.nan),
        np.full(count, np.nan),
        np.full(count, "", dtype=object),
    )


def _utc(times: pd.DatetimeIndex) -> npt.NDArray[np.datetime64]:
    if times.tz is None:
        times = times.tz_localize("UTC")
    return times.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[ns]")


def _fetched(query: Any, columns: Sequence[str]) -> pd.DataFrame:
    """Run a ``values_list`` query on the cursor, without the ORM's per-value conversions."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))


def stored_rows(
    place_ids: Iterable[int], inputs: tuple[datetime, datetime], hours: tuple[datetime, datetime]
) -> Rows:
    """The stored readings of the places' stations with hour ends in ``inputs``, read with two
    queries straight into arrays: ids and derived values only for those in ``hours`` (the ones
    recomputed), concentrations for all."""
    # The hour as the database writes it (text), parsed in one vectorised call: 100,000
    # datetimes built one by one by the driver cost more than the rest of the read.
    around = Reading.objects.filter(
        station__jurisdiction_id__in=list(place_ids),
        hour_end__gte=inputs[0],
        hour_end__lte=inputs[1],
    ).annotate(hour_text=Cast("hour_end", output_field=CharField()))
    inside = ("id", "station_id", "hour_text", *POLLUTANT_FIELDS, *DERIVED)
    outside = ("station_id", "hour_text", *POLLUTANT_FIELDS)
    parts = [
        _fetched(
            around.filter(hour_end__gte=hours[0], hour_end__lte=hours[1]).values_list(*inside),
            inside,
        ),
        _fetched(
            around.exclude(hour_end__gte=hours[0], hour_end__lte=hours[1]).values_list(*outside),
            outside,
        ),
    ]
    frame = (
        pd.concat([part for part in parts if len(part)], ignore_index=True)
        if any(len(part) for part in parts)
        else parts[0]
    )
    count = len(frame)
    if not count:
        return pending_rows(
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype="datetime64[ns]"),
            np.empty((0, len(POLLUTANT_FIELDS))),
        )
    known = frame["id"].notna() if "id" in frame else pd.Series(False, index=frame.index)

    def numbers(column: str) -> npt.NDArray[np.float64]:
        if column not in frame:
            return np.full(count, np.nan)
        return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)

    return Rows(
        np.where(known, numbers("id"), -1).astype(np.int64),
        frame["station_id"].to_numpy(dtype=np.int64),
        _utc(pd.DatetimeIndex(pd.to_datetime(frame["hour_text"], utc=True, format="ISO8601"))),
        np.column_stack([numbers(p) for p in POLLUTANT_FIELDS]),
        frame["flags"].tolist() if "flags" in frame else [None] * count,
        numbers("aqi"),
        numbers("level"),
        frame["primary_pollutants"].fillna("").to_numpy(dtype=object)
        if "primary_pollutants" in frame
        else np.full(count, "", dtype=object),
    )


@dataclass(frozen=True)
class Derived:
    """What the core derived for some rows: flag bits (rows, 6) without GAP, AQI, level (NaN for
    none) and primary pollutants as people read them."""

    bits: npt.NDArray[np.uint8]
    aqi: npt.NDArray[np.float64]
    level: npt.NDArray[np.float64]
    primary: npt.NDArray[np.object_]

    def flags(self, k: int) -> dict[str, int]:
        """Row ``k``'s flags as stored: pollutant field to its bits, flagged ones only."""
        return {p: int(b) for p, b in zip(POLLUTANT_FIELDS, self.bits[k], strict=True) if b}

    def take(self, index: npt.NDArray[np.int64]) -> Derived:
        return Derived(self.bits[index], self.aqi[index], self.level[index], self.primary[index])

    def optional(self, k: int) -> tuple[int | None, int | None, str]:
        aqi, level = self.aqi[k], self.level[k]
        return (
            None if np.isnan(aqi) else int(aqi),
            None if np.isnan(level) else int(level),
            str(self.primary[k]),
        )


def recompute(
    stations: Sequence[tuple[int, str, str, int]], rows: Rows, span: Recompute
) -> tuple[CityValues, npt.NDArray[np.bool_], Derived]:
    """City values of the rows (stations as ``(id, code, kind, jurisdiction id)``), and the
    derived values of the rows whose hour end is in ``span.hours`` (the mask returned)."""
    from hazeguard.aqi.indicators import hourly_grid, with_cities
    from hazeguard.monitoring.city import city_values
    from hazeguard.monitoring.plausibility import Flag

    code_of = pd.Series({pk: code for pk, code, _, _ in stations})
    codes = code_of.reindex(rows.station_id).to_numpy(dtype=object)
    local = (
        pd.DatetimeIndex(rows.hour_end)
        .tz_localize("UTC")
        .tz_convert(CHINA)
        .tz_localize(None)
        .to_numpy(dtype="datetime64[ns]")
    )
    grid = hourly_grid(
        pd.DatetimeIndex(local),
        {p: rows.values[:, k] for k, p in enumerate(POLLUTANT_FIELDS)},
        codes,
    )
    city_of = {
        code: str(place) if kind in COUNTING_KINDS else NOT_COUNTED
        for _, code, kind, place in stations
    }
    values = city_values(with_cities(grid, {c: city_of[c] for c in grid.stations}), span)
    first, last = (np.datetime64(moment) for moment in span.hours)
    inside = (local >= first) & (local <= last)
    row = pd.Index(grid.stations).get_indexer(pd.Index(codes[inside]))
    column = ((local[inside] - grid.first_day.to_datetime64()) // _HOUR).astype(np.int64) - 1
    kept = np.uint8(0xFF & ~int(Flag.GAP))
    bits = np.column_stack([values.flags[p][row, column] & kept for p in POLLUTANT_FIELDS]).astype(
        np.uint8
    )
    shape = (len(grid.stations), next(iter(grid.concentrations.values())).shape[1])
    aqi, level = np.full(shape, np.nan), np.full(shape, np.nan)
    primary = np.full(shape, "", dtype=object)
    at = values.stations
    if len(at):
        r = pd.Index(grid.stations).get_indexer(pd.Index(at["station"].to_numpy(dtype=object)))
        c = ((at["time"].to_numpy() - grid.first_day.to_datetime64()) // _HOUR).astype(np.int64) - 1
        aqi[r, c] = at["aqi"].to_numpy(dtype=np.float64, na_value=np.nan)
        level[r, c] = at["level"].to_numpy(dtype=np.float64, na_value=np.nan)
        named = {text: primary_names(str(text)) for text in at["primary_pollutants"].unique()}
        primary[r, c] = [named[text] for text in at["primary_pollutants"]]
    derived = Derived(bits, aqi[row, column], level[row, column], primary[row, column])
    return values, inside, derived


def _stored_bits(flags: Sequence[Any]) -> npt.NDArray[np.uint8]:
    bits = np.zeros((len(flags), len(POLLUTANT_FIELDS)), dtype=np.uint8)
    position = {p: k for k, p in enumerate(POLLUTANT_FIELDS)}
    for n, stored in enumerate(flags):
        if stored in ("{}", None) or stored == {}:
            continue
        for pollutant, value in (json.loads(stored) if isinstance(stored, str) else stored).items():
            bits[n, position[pollutant]] = value
    return bits


def changed_rows(rows: Rows, derived: Derived) -> npt.NDArray[np.int64]:
    """Positions of ``rows`` (stored, in the recomputed span) whose derived values differ."""

    def differs(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        same: npt.NDArray[np.bool_] = (a == b) | (np.isnan(a) & np.isnan(b))
        return ~same

    change = np.asarray(
        (_stored_bits(rows.flags) != derived.bits).any(axis=1)
        | differs(rows.aqi, derived.aqi)
        | differs(rows.level, derived.level)
        | (rows.primary != derived.primary),
        dtype=bool,
    )
    return np.flatnonzero(change)


def save_derived(rows: Rows, derived: Derived, positions: npt.NDArray[np.int64]) -> int:
    """Write the derived values of these stored rows (one prepared UPDATE); returns how many."""
    if not len(positions):
        return 0
    ops = connection.ops
    fields = [Reading._meta.get_field(name) for name in DERIVED]
    assignments = ", ".join(f"{ops.quote_name(_column(field))} = %s" for field in fields)
    sql = f"UPDATE {ops.quote_name(Reading._meta.db_table)} SET {assignments} WHERE id = %s"
    params = [
        (
            ops.adapt_json_value(derived.flags(int(k)), None),
            *derived.optional(int(k)),
            int(rows.pk[k]),
        )
        for k in positions
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def _report(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    frame = frame[frame["city"] != NOT_COUNTED]
    named = {text: primary_names(str(text)) for text in frame["primary_pollutants"].unique()}
    primary = "rolling_primary" if prefix else "primary_pollutants"
    return pd.DataFrame(
        {
            "city": frame["city"].astype(np.int64).to_numpy(),
            "time": frame["time"].to_numpy(),
            f"{prefix}aqi": frame["aqi"].to_numpy(dtype=np.float64, na_value=np.nan),
            f"{prefix}level": frame["level"].to_numpy(dtype=np.float64, na_value=np.nan),
            primary: [named[text] for text in frame["primary_pollutants"]],
        }
    )


_CITY_FIELDS = (
    "aqi",
    "level",
    "primary_pollutants",
    "rolling_aqi",
    "rolling_level",
    "rolling_primary",
)


def save_city_values(values: CityValues, place_ids: Iterable[int], span: Recompute) -> int:
    """Upsert the city hours and days that differ from what is stored; returns how many."""
    merged = _report(values.hourly, "").merge(
        _report(values.rolling, "rolling_"), on=["city", "time"], how="outer"
    )
    for field in ("primary_pollutants", "rolling_primary"):
        merged[field] = merged[field].fillna("")
    first, last = (moment.replace(tzinfo=CHINA) for moment in span.hours)
    stored = pd.DataFrame(
        CityHour.objects.filter(
            jurisdiction_id__in=list(place_ids), hour_end__gte=first, hour_end__lte=last
        ).values_list("jurisdiction_id", "hour_end", *_CITY_FIELDS),
        columns=["city", "time", *(f"old_{f}" for f in _CITY_FIELDS)],
    )
    if len(stored):
        stored["time"] = pd.to_datetime(stored["time"], utc=True).dt.tz_convert(CHINA)
        stored["time"] = stored["time"].dt.tz_localize(None)
        merged = merged.merge(stored, on=["city", "time"], how="left")
        same = np.ones(len(merged), dtype=bool)
        for field in _CITY_FIELDS:
            new, old = merged[field], merged[f"old_{field}"]
            if field.endswith(("aqi", "level")):
                old = old.astype("float64")
                same &= ((new == old) | (new.isna() & old.isna())).to_numpy()
            else:
                same &= (new == old.fillna("")).to_numpy()
        merged = merged[~same]
    from hazeguard_platform.monitoring.readings_store import upsert_rows

    local = pd.DatetimeIndex(merged["time"]).tz_localize(CHINA).tz_convert("UTC")
    hours = upsert_rows(
        CityHour,
        ("jurisdiction_id", "hour_end"),
        {
            "jurisdiction_id": merged["city"].astype(np.int64).tolist(),
            "hour_end": local.tz_localize(None).to_numpy(dtype="datetime64[ns]"),
            **{
                field: _optional_whole(merged[field])
                if field.endswith(("aqi", "level"))
                else merged[field].tolist()
                for field in _CITY_FIELDS
            },
        },
    )
    daily = values.daily[values.daily["city"] != NOT_COUNTED]
    named = {text: primary_names(str(text)) for text in daily["primary_pollutants"].unique()}
    days = upsert_rows(
        CityDay,
        ("jurisdiction_id", "day"),
        {
            "jurisdiction_id": daily["city"].astype(np.int64).tolist(),
            "day": [str(day) for day in pd.DatetimeIndex(daily["date"]).date],
            "aqi": _optional_whole(daily["aqi"]),
            "level": _optional_whole(daily["level"]),
            "primary_pollutants": [named[text] for text in daily["primary_pollutants"]],
        },
    )
    return hours + days


def station_table(place_ids: Iterable[int]) -> list[tuple[int, str, str, int]]:
    """``(id, code, kind, jurisdiction id)`` of every station of the places."""
    return list(
        Station.objects.filter(jurisdiction_id__in=list(place_ids)).values_list(
            "id", "code", "kind", "jurisdiction_id"
        )
    )


def _optional_whole(column: pd.Series) -> list[int | None]:
    """A table column as integers, None where missing."""
    numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
    return [None if np.isnan(v) else int(v) for v in numbers]


def _column(field: Any) -> str:
    """The database column of a model field (a concrete field always has one)."""
    column = field.column
    assert isinstance(column, str)
    return column
