"""Hourly measurement files (one or many, CSV or Parquet) read into checked arrays.

The columns are ``time`` (ISO 8601 local time, or with an offset), an optional ``station`` and any
of the pollutants ``pm25, pm10, so2, no2, co, o3`` [µg/m³; CO mg/m³ unless ``co_unit="ug"``].
Other layouts are mapped onto these names (``mapping``), and a time can be built from year, month,
day and hour columns, as in the Beijing multi-site data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd

from hazeguard.aqi.indicators import POLLUTANTS
from hazeguard.io.tables import (
    FILE,
    ROW,
    FloatArray,
    TableError,
    check_unique,
    numeric_column,
    read_table,
    table_error,
    time_column,
    time_from_parts,
)

TIME: Final = "time"
STATION: Final = "station"
TARGETS: Final = (TIME, STATION, *POLLUTANTS)
# CO is reported in mg/m³ (HJ 633-2012 Table 1); some data (the Beijing multi-site set) give µg/m³.
# Divisors to mg/m³: dividing by 1000 gives the double nearest to 1.9 for 1900, where
# multiplying by 0.001 gives 1.9000000000000001, one ulp above the decimal value.
CO_UNITS: Final = {"mg": 1.0, "ug": 1000.0}

HourLabel = Literal["end", "start"]


@dataclass(frozen=True)
class Measurements:
    """Checked hourly rows from one or more files.

    Attributes
    ----------
    times
        End of each row's hour, naive local time.
    stations
        Station of each row, or ``None`` when the files have no station column.
    concentrations
        Pollutant to its values, one per row. [µg/m³; CO mg/m³]
    """

    times: pd.Series
    stations: pd.Series | None
    concentrations: Mapping[str, FloatArray]


def read_measurements(
    paths: Sequence[str | Path],
    *,
    mapping: Mapping[str, str] | None = None,
    time_parts: Sequence[str] | None = None,
    hour_label: HourLabel = "end",
    co_unit: str = "mg",
    on_file: Callable[[Path], None] | None = None,
    negative_ok: bool = False,
) -> Measurements:
    """Read and check hourly measurement files.

    Parameters
    ----------
    paths
        The files (CSV, ``.csv.gz`` or Parquet).
    mapping
        Column of the file to one of ``time``, ``station`` or a pollutant, e.g.
        ``{"PM2.5": "pm25"}``; unmapped columns keep their names.
    time_parts
        Year, month, day and hour columns to build the time from, instead of a ``time`` column.
    hour_label
        Whether a time labels the ``end`` of its hour (the Chinese publication convention) or its
        ``start`` (then one hour is added).
    co_unit
        ``"mg"`` or ``"ug"``: the unit of CO in the files. [mg/m³ or µg/m³]
    on_file
        Called after each file is read (for a progress bar).
    negative_ok
        Keep negative concentrations (for plausibility checks to flag) instead of rejecting them.

    Raises
    ------
    TableError
        For a missing column, a cell that is not a number, a negative value, a time that does not
        parse, or a station with two rows for one hour (file, row and column named).
    ValueError
        For a mapping onto an unknown name or an unknown CO unit.
    """
    mapping = _checked_mapping(mapping, co_unit)
    if not paths:
        raise ValueError("no input files")
    parts: list[pd.DataFrame] = []
    for number, path in enumerate(paths):
        raw = read_table(path, number)
        parts.append(_checked(raw, path, paths, mapping, time_parts, negative_ok))
        if on_file is not None:
            on_file(Path(path))
    return _measurements(parts, paths, mapping, time_parts, hour_label, co_unit)


def measurements_from_frame(
    raw: pd.DataFrame,
    source: str,
    *,
    first_row: int = 2,
    mapping: Mapping[str, str] | None = None,
    co_unit: str = "mg",
    negative_ok: bool = False,
) -> Measurements:
    """Check hourly rows that arrived in memory (a CSV body, JSON records) as
    :func:`read_measurements` checks a file: the same columns, missing marks, units and errors.

    Parameters
    ----------
    raw
        The rows as read, columns as in a file.
    source
        What the rows came from (a URL, an upload's file name), named in errors as a file is.
    first_row
        Number of the first row in ``source``: 2 for CSV text (the header is row 1), 1 for a
        list of records.
    mapping, co_unit, negative_ok
        As :func:`read_measurements`.

    Raises
    ------
    TableError
        As :func:`read_measurements`, naming ``source``, the row and the column.
    """
    checked_mapping = _checked_mapping(mapping, co_unit)
    if raw.empty:
        raise TableError(source, first_row, "*", "no rows")
    raw = raw.copy()
    raw[FILE] = np.int32(0)
    raw[ROW] = np.arange(first_row, first_row + len(raw), dtype=np.int64)
    part = _checked(raw, source, [source], checked_mapping, None, negative_ok)
    return _measurements([part], [source], checked_mapping, None, "end", co_unit)


def _checked_mapping(mapping: Mapping[str, str] | None, co_unit: str) -> dict[str, str]:
    checked = dict(mapping or {})
    unknown = sorted(set(checked.values()) - set(TARGETS))
    if unknown:
        raise ValueError(f"cannot map onto {unknown}: the names are {', '.join(TARGETS)}")
    if co_unit not in CO_UNITS:
        raise ValueError(f"unknown CO unit {co_unit!r}; expected one of {', '.join(CO_UNITS)}")
    return checked


def _measurements(
    parts: Sequence[pd.DataFrame],
    paths: Sequence[str | Path],
    mapping: Mapping[str, str],
    time_parts: Sequence[str] | None,
    hour_label: HourLabel,
    co_unit: str,
) -> Measurements:
    """The checked parts of one or more sources joined and checked for repeated hours."""
    pollutant_sets = [frozenset(part.columns) & set(POLLUTANTS) for part in parts]
    pollutants = [p for p in POLLUTANTS if any(p in found for found in pollutant_sets)]
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    has_station = STATION in table.columns
    if has_station and not all(STATION in part.columns for part in parts):
        missing = next(i for i, part in enumerate(parts) if STATION not in part.columns)
        raise TableError(paths[missing], 1, STATION, "missing here but present in other files")
    times, stations = checked_keys(table, paths, mapping, time_parts, hour_label)
    divisor = CO_UNITS[co_unit]
    concentrations = {
        p: (table[p].to_numpy(dtype=np.float64) / (divisor if p == "co" else 1.0))
        for p in pollutants
    }
    return Measurements(times=times, stations=stations, concentrations=concentrations)


def checked_keys(
    table: pd.DataFrame,
    paths: Sequence[str | Path],
    mapping: Mapping[str, str],
    time_parts: Sequence[str] | None,
    hour_label: HourLabel,
) -> tuple[pd.Series, pd.Series | None]:
    """The end-of-hour times and the stations of a table from :func:`keyed_rows`, checked.

    Raises
    ------
    TableError
        At an empty station or a station's second row for one hour.
    """
    stations = table[STATION].astype("string") if STATION in table.columns else None
    if stations is not None and stations.isna().any():
        position = int(np.argmax(stations.isna().to_numpy()))
        column = next((s for s, t in mapping.items() if t == STATION), STATION)
        raise table_error(table, paths, position, column, "station is empty")
    times = table[TIME]
    if hour_label == "start":
        times = times + pd.Timedelta(hours=1)
    check_unique(table, times, stations, paths, _time_name(mapping, time_parts))
    return times, stations


def keyed_rows(
    raw: pd.DataFrame,
    path: str | Path,
    paths: Sequence[str | Path],
    source_of: Mapping[str, str],
    time_parts: Sequence[str] | None,
) -> pd.DataFrame:
    """The file and row, time and (if given) station of each row of a file read by read_table.

    ``source_of`` names the file's column for ``time`` and ``station``.
    """
    out = pd.DataFrame({FILE: raw[FILE], ROW: raw[ROW]})
    if time_parts is not None:
        for column in time_parts:
            if column not in raw.columns:
                raise TableError(path, 1, column, "no such column (named as a time part)")
        out[TIME] = time_from_parts(raw, time_parts, paths)
    elif source_of[TIME] in raw.columns:
        out[TIME] = time_column(raw, source_of[TIME], paths)
    else:
        raise TableError(path, 1, TIME, "no time column (map one or give the time parts)")
    if source_of[STATION] in raw.columns:
        out[STATION] = raw[source_of[STATION]]
    return out


def _checked(
    raw: pd.DataFrame,
    path: str | Path,
    paths: Sequence[str | Path],
    mapping: Mapping[str, str],
    time_parts: Sequence[str] | None,
    negative_ok: bool,
) -> pd.DataFrame:
    for source in mapping:
        if source not in raw.columns:
            raise TableError(path, 1, source, "no such column (named in --map)")
    # Errors name the file's own column, so checks run on the unmapped table.
    source_of = {target: target for target in TARGETS} | {t: s for s, t in mapping.items()}
    out = keyed_rows(raw, path, paths, source_of, time_parts)
    found = [p for p in POLLUTANTS if source_of[p] in raw.columns]
    if not found:
        raise TableError(path, 1, "*", f"no pollutant column: expected some of {POLLUTANTS}")
    for pollutant in found:
        out[pollutant] = numeric_column(raw, source_of[pollutant], paths, negative_ok=negative_ok)
    return out


def _time_name(mapping: Mapping[str, str], time_parts: Sequence[str] | None) -> str:
    if time_parts is not None:
        return ",".join(time_parts)
    return next((source for source, target in mapping.items() if target == TIME), TIME)
