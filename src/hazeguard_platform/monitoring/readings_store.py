"""Readings in and out of the database as arrays: an hour of 2,000 stations and a month of them
(a backfill, 1.5 million rows) go the same way, with no Python object per reading.

* :func:`stored_readings`: the stored readings of some stations over a period, found for the
  incoming rows by an integer key (station id, hour), so a delivery is split into new, unchanged
  and corrected rows with array comparisons;
* :func:`insert_rows`: new readings written in one statement: PostgreSQL ``COPY … FROM STDIN
  (FORMAT csv)`` of a CSV text built by pandas, SQLite a prepared ``INSERT … executemany`` of
  tuples built from the columns. The unique index ``reading_once_per_hour`` stays: a row that
  slipped past the match would fail the whole delivery, never be stored twice.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from hazeguard_platform.monitoring.models import POLLUTANT_FIELDS, Reading

_HOUR = np.timedelta64(1, "h")


def hour_keys(
    station_id: npt.NDArray[np.int64], hour_end: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.int64]:
    """One integer per station-hour: station id in the high bits, hours since 1970 (UTC) in
    the low 24 (enough until the year 3884)."""
    hours = (hour_end.astype("datetime64[h]") - np.datetime64(0, "h")) // _HOUR
    return (station_id.astype(np.int64) << 24) | hours.astype(np.int64)


@dataclass(frozen=True)
class Stored:
    """Stored readings matching incoming rows: for each incoming row the position of its stored
    reading (-1 when new), and the stored ids and concentrations [µg/m³; CO mg/m³]."""

    position: npt.NDArray[np.int64]
    pk: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]


def stored_readings(
    station_id: npt.NDArray[np.int64], hour_end: npt.NDArray[np.datetime64]
) -> Stored:
    """The stored readings of the incoming rows (station ids, hour ends as UTC ``datetime64``),
    read with one query over the stations and the rows' period into arrays."""
    first, last = (
        pd.Timestamp(moment).tz_localize("UTC").to_pydatetime()
        for moment in (hour_end.min(), hour_end.max())
    )
    query = (
        Reading.objects.filter(
            station_id__in=np.unique(station_id).tolist(), hour_end__gte=first, hour_end__lte=last
        )
        .annotate(hour_text=Cast("hour_end", output_field=CharField()))
        .values_list("id", "station_id", "hour_text", *POLLUTANT_FIELDS)
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        frame = pd.DataFrame.from_records(
            cursor.fetchall(), columns=["id", "station_id", "hour", *POLLUTANT_FIELDS]
        )
    if not len(frame):
        empty = np.empty(0, dtype=np.int64)
        return Stored(
            np.full(len(station_id), -1, dtype=np.int64),
            empty,
            np.empty((0, len(POLLUTANT_FIELDS))),
        )
    times = pd.to_datetime(frame["hour"], utc=True, format="ISO8601")
    keys = hour_keys(
        frame["station_id"].to_numpy(dtype=np.int64),
        times.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]"),
    )
    position = pd.Index(keys).get_indexer(pd.Index(hour_keys(station_id, hour_end)))
    values = np.column_stack(
        [
            pd.to_numeric(frame[p], errors="coerce").to_numpy(dtype=np.float64)
            for p in POLLUTANT_FIELDS
        ]
    )
    return Stored(position.astype(np.int64), frame["id"].to_numpy(dtype=np.int64), values)


def same_values(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Rows of two (rows, 6) arrays that hold the same values (NaN, missing, equals NaN)."""
    same: npt.NDArray[np.bool_] = ((a == b) | (np.isnan(a) & np.isnan(b))).all(axis=1)
    return same


def flag_texts(bits: npt.NDArray[np.uint8]) -> npt.NDArray[np.object_]:
    """The stored JSON of each row's flags (pollutant field to bits, flagged ones only; ``{}``
    for none), one text built per distinct combination of bits, not per row."""
    if not len(bits):
        return np.empty(0, dtype=object)
    # The six bytes of a row as one integer: a 1-D unique, not a (slow) unique of rows.
    packed = np.zeros(len(bits), dtype=np.int64)
    for k in range(bits.shape[1]):
        packed |= bits[:, k].astype(np.int64) << (8 * k)
    kinds, first, which = np.unique(packed, return_index=True, return_inverse=True)
    texts = np.array(
        [
            json.dumps({p: int(b) for p, b in zip(POLLUTANT_FIELDS, bits[row], strict=True) if b})
            for row in first
        ],
        dtype=object,
    )
    chosen: npt.NDArray[np.object_] = texts[np.asarray(which).reshape(-1)]
    assert len(kinds) == len(texts)
    return chosen


def _nullable(values: npt.NDArray[np.float64], whole: bool = False) -> list[Any]:
    """Floats (integers when ``whole``) with ``None`` for NaN, as the database driver takes
    them."""
    missing = np.isnan(values)
    column = np.where(missing, 0, values).astype(np.int64 if whole else np.float64).astype(object)
    column[missing] = None
    return list(column)


def _whole_column(values: npt.NDArray[np.float64]) -> pd.arrays.IntegerArray:
    """Integers with a mask for NaN: written as integers, missing ones as empty fields."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def insert_rows(
    *,
    station_id: npt.NDArray[np.int64],
    hour_end: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
    flags: npt.NDArray[np.object_],
    aqi: npt.NDArray[np.float64],
    level: npt.NDArray[np.float64],
    primary: npt.NDArray[np.object_],
    delivery_id: int,
) -> int:
    """Insert new readings (hour ends UTC, concentrations (rows, 6) in ``POLLUTANT_FIELDS`` order,
    NaN for missing, flags as :func:`flag_texts`) in one statement; returns how many."""
    count = len(station_id)
    if not count:
        return 0
    ops = connection.ops
    table = ops.quote_name(Reading._meta.db_table)
    names = ["station_id", "hour_end", *POLLUTANT_FIELDS, "flags", "aqi", "level"]
    names += ["primary_pollutants", "delivery_id"]
    columns = ", ".join(ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            frame = pd.DataFrame(
                {
                    "station_id": station_id,
                    "hour_end": np.datetime_as_string(
                        hour_end.astype("datetime64[s]"), timezone="UTC"
                    ),
                    **{p: values[:, k] for k, p in enumerate(POLLUTANT_FIELDS)},
                    "flags": flags,
                    "aqi": _whole_column(aqi),
                    "level": _whole_column(level),
                    "primary_pollutants": primary,
                    "delivery_id": np.full(count, delivery_id, dtype=np.int64),
                }
            )
            text = io.StringIO()
            # Empty unquoted fields are NULL (missing values); the primary pollutants column is
            # never NULL, its empty text stays empty (FORCE_NOT_NULL). Floats are written as
            # their shortest text that reads back as the same double.
            frame.to_csv(text, header=False, index=False)
            sql = (
                f"COPY {table} ({columns}) FROM STDIN "
                "(FORMAT csv, FORCE_NOT_NULL (primary_pollutants))"
            )
            with cursor.cursor.copy(sql) as copy:
                copy.write(text.getvalue())
        else:
            marks = ", ".join(["%s"] * len(names))
            hours = pd.Series(np.datetime_as_string(hour_end.astype("datetime64[s]")))
            rows = list(
                zip(
                    station_id.tolist(),
                    hours.str.replace("T", " ", regex=False).tolist(),
                    *(_nullable(values[:, k]) for k in range(len(POLLUTANT_FIELDS))),
                    flags.tolist(),
                    _nullable(aqi, whole=True),
                    _nullable(level, whole=True),
                    primary.tolist(),
                    [delivery_id] * count,
                    strict=True,
                )
            )
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    return count


def _times_text(times: npt.NDArray[np.datetime64]) -> list[str]:
    """UTC times as the database reads them: ISO 8601 with ``Z`` (PostgreSQL), Django's
    ``YYYY-MM-DD HH:MM:SS`` (SQLite)."""
    seconds = times.astype("datetime64[s]")
    if connection.vendor == "postgresql":
        return list(np.datetime_as_string(seconds, timezone="UTC"))
    return [text.replace("T", " ") for text in np.datetime_as_string(seconds)]


def upsert_rows(
    model: Any, keys: tuple[str, str], columns: dict[str, list[Any] | npt.NDArray[Any]]
) -> int:
    """Insert rows or update the stored row with the same ``keys`` (a unique constraint), in one
    statement on PostgreSQL (``INSERT … SELECT FROM unnest(arrays) ON CONFLICT … DO UPDATE``)
    and a prepared ``executemany`` of the same upsert on SQLite. ``columns``: column name to
    values (Python values, ``None`` for NULL; ``datetime64`` arrays are UTC times); returns
    how many rows."""
    names = list(columns)
    count = len(next(iter(columns.values()))) if columns else 0
    if not count:
        return 0
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    values = [
        _times_text(column)
        if isinstance(column, np.ndarray) and column.dtype.kind == "M"
        else list(column)
        for column in columns.values()
    ]
    quoted = ", ".join(ops.quote_name(name) for name in names)
    updates = ", ".join(
        f"{ops.quote_name(name)} = EXCLUDED.{ops.quote_name(name)}"
        for name in names
        if name not in keys
    )
    conflict = f"ON CONFLICT ({', '.join(ops.quote_name(k) for k in keys)}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [
                model._meta.get_field(name.removesuffix("_id")).db_type(connection).split("(")[0]
                if not name.endswith("_id")
                else "bigint"
                for name in names
            ]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) SELECT * FROM unnest({arrays}) {conflict}", values
            )
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks}) {conflict}",
                list(zip(*values, strict=True)),
            )
    return count
