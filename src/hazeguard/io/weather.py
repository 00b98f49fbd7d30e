"""Hourly weather files (CSV or Parquet) read into checked columns; errors name file, row, column.

The columns are ``time`` (ISO 8601 local time, or with an offset; or year, month, day and hour
columns), an optional ``station`` and any of the :data:`WEATHER_VARIABLES`. Other layouts are
mapped onto these names (``mapping``), as for measurement files (:mod:`hazeguard.io.measurements`).

Rows that arrive in memory (an upload's text) are checked the same way by
:func:`weather_from_frame`. The *hourly weather table* (:func:`weather_table`) is the same data
as one pandas DataFrame: ``time`` (end of the hour, naive local time), ``station`` (a code, or
missing for a row that serves every station) and the variables; :func:`weather_from_table`
turns it back into :class:`Weather`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from hazeguard.io.measurements import STATION, TIME, HourLabel, checked_keys, keyed_rows
from hazeguard.io.tables import (
    FILE,
    ROW,
    FloatArray,
    TableError,
    numeric_column,
    read_table,
    table_error,
)

#: Weather variables and their units. Wind direction is degrees from north (0 … 360) or one of the
#: 16 compass points (``N``, ``NNE``, … ``NNW``).
WEATHER_VARIABLES: Final = {
    "wind_speed": "m/s",
    "wind_direction": "degrees",
    "temperature": "°C",
    "dew_point": "°C",
    "relative_humidity": "%",
    "pressure": "hPa",
    "precipitation": "mm",
    "boundary_layer_height": "m",
}
# 16 points, 22.5° apart, clockwise from north
COMPASS: Final = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip
#: Temperature and dew point may be below zero; the others never are.
SIGNED_VARIABLES: Final = frozenset({"temperature", "dew_point"})
_RANGES: Final = {"wind_direction": (0.0, 360.0), "relative_humidity": (0.0, 100.0)}


@dataclass(frozen=True)
class Weather:
    """Checked hourly weather rows from one or more files.

    Attributes
    ----------
    times
        End of each row's hour, naive local time.
    stations
        Station of each row, or ``None`` when one weather series serves every station.
    variables
        Variable name (a key of :data:`WEATHER_VARIABLES`) to its values, one per row; wind
        direction in degrees from north. [units of :data:`WEATHER_VARIABLES`]
    """

    times: pd.Series
    stations: pd.Series | None
    variables: Mapping[str, FloatArray]


def read_weather(
    paths: Sequence[str | Path],
    *,
    mapping: Mapping[str, str] | None = None,
    time_parts: Sequence[str] | None = None,
    hour_label: HourLabel = "end",
) -> Weather:
    """Read and check hourly weather files.

    Parameters
    ----------
    paths
        The files (CSV, ``.csv.gz`` or Parquet).
    mapping
        Column of the file to ``time``, ``station`` or a weather variable, e.g. ``{"WSPM":
        "wind_speed"}``; columns neither named nor mapped are ignored.
    time_parts
        Year, month, day and hour columns to build the time from, instead of a ``time`` column.
    hour_label
        Whether a time labels the ``end`` of its hour or its ``start`` (then one hour is added).

    Raises
    ------
    TableError
        For a missing time column, no weather column, a cell that is not a number (or compass
        point), a value out of range, or a station with two rows for one hour.
    """
    mapping = _checked_mapping(mapping)
    if not paths:
        raise ValueError("no weather files")
    parts = [
        _checked(read_table(path, number), path, paths, mapping, time_parts)
        for number, path in enumerate(paths)
    ]
    return _weather(parts, paths, mapping, time_parts, hour_label)


def weather_from_frame(
    raw: pd.DataFrame,
    source: str,
    *,
    first_row: int = 2,
    mapping: Mapping[str, str] | None = None,
    time_parts: Sequence[str] | None = None,
    hour_label: HourLabel = "end",
) -> Weather:
    """Check hourly weather rows that arrived in memory (an upload's CSV text read as text, JSON
    records) as :func:`read_weather` checks a file: the same columns, missing marks and errors.

    Parameters
    ----------
    raw
        The rows as read, columns as in a file.
    source
        What the rows came from (an upload's file name, a URL), named in errors as a file is.
    first_row
        Number of the first row in ``source``: 2 for CSV text (the header is row 1), 1 for a
        list of records.
    mapping, time_parts, hour_label
        As :func:`read_weather`.

    Raises
    ------
    TableError
        As :func:`read_weather`, naming ``source``, the row and the column.
    """
    checked_mapping = _checked_mapping(mapping)
    if raw.empty:
        raise TableError(source, first_row, "*", "no rows")
    raw = raw.copy()
    raw[FILE] = np.int32(0)
    raw[ROW] = np.arange(first_row, first_row + len(raw), dtype=np.int64)
    part = _checked(raw, source, [source], checked_mapping, time_parts)
    return _weather([part], [source], checked_mapping, time_parts, hour_label)


def weather_table(weather: Weather) -> pd.DataFrame:
    """The hourly weather table of checked rows (module docstring), sorted by station and time.

    Returns
    -------
    pandas.DataFrame
        ``time`` (end of the hour, naive local time), ``station`` (when the rows have one) and
        the variables present, in the order of :data:`WEATHER_VARIABLES`. [their units]
    """
    table = pd.DataFrame({TIME: weather.times.to_numpy()})
    keys = [TIME]
    if weather.stations is not None:
        table[STATION] = weather.stations.to_numpy()
        keys = [STATION, TIME]
    for variable in WEATHER_VARIABLES:
        if variable in weather.variables:
            table[variable] = np.asarray(weather.variables[variable], dtype=np.float64)
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def weather_from_table(table: pd.DataFrame) -> Weather:
    """:class:`Weather` of an hourly weather table (see :func:`weather_table`).

    A ``station`` column that is missing or empty on every row gives ``stations=None`` (one
    series for every station).

    Raises
    ------
    ValueError
        Without a ``time`` column or without any weather variable.
    """
    if TIME not in table.columns:
        raise ValueError("the hourly weather table has no 'time' column")
    found = [v for v in WEATHER_VARIABLES if v in table.columns]
    if not found:
        raise ValueError(f"no weather column: expected some of {', '.join(WEATHER_VARIABLES)}")
    stations = None
    if STATION in table.columns and table[STATION].notna().any():
        stations = table[STATION].astype("string").reset_index(drop=True)
    return Weather(
        times=pd.Series(pd.DatetimeIndex(table[TIME])),
        stations=stations,
        variables={v: table[v].to_numpy(dtype=np.float64) for v in found},
    )


def _checked_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    checked = dict(mapping or {})
    targets = (TIME, STATION, *WEATHER_VARIABLES)
    unknown = sorted(set(checked.values()) - set(targets))
    if unknown:
        raise ValueError(f"cannot map onto {unknown}: the names are {', '.join(targets)}")
    return checked


def _weather(
    parts: Sequence[pd.DataFrame],
    paths: Sequence[str | Path],
    mapping: Mapping[str, str],
    time_parts: Sequence[str] | None,
    hour_label: HourLabel,
) -> Weather:
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    found = [v for v in WEATHER_VARIABLES if v in table.columns]
    times, stations = checked_keys(table, paths, mapping, time_parts, hour_label)
    variables = {v: table[v].to_numpy(dtype=np.float64) for v in found}
    return Weather(times=times.reset_index(drop=True), stations=stations, variables=variables)


def _checked(
    raw: pd.DataFrame,
    path: str | Path,
    paths: Sequence[str | Path],
    mapping: Mapping[str, str],
    time_parts: Sequence[str] | None,
) -> pd.DataFrame:
    for source in mapping:
        if source not in raw.columns:
            raise TableError(path, 1, source, "no such column (named in the mapping)")
    source_of = {t: t for t in (TIME, STATION, *WEATHER_VARIABLES)} | {
        t: s for s, t in mapping.items()
    }
    out = keyed_rows(raw, path, paths, source_of, time_parts)
    found = [v for v in WEATHER_VARIABLES if source_of[v] in raw.columns]
    if not found:
        raise TableError(
            path, 1, "*", f"no weather column: expected some of {', '.join(WEATHER_VARIABLES)}"
        )
    for variable in found:
        column = source_of[variable]
        if variable == "wind_direction":
            values = wind_direction_degrees(raw, column, paths)
        else:
            values = numeric_column(raw, column, paths, negative_ok=variable in SIGNED_VARIABLES)
        low, high = _RANGES.get(variable, (-np.inf, np.inf))
        outside = (values < low) | (values > high)
        if outside.any():
            position = int(np.argmax(outside))
            message = (
                f"{values[position]:g} is outside {low:g} … {high:g} {WEATHER_VARIABLES[variable]}"
            )
            raise table_error(raw, paths, position, column, message)
        out[variable] = values
    return out


def wind_direction_degrees(
    frame: pd.DataFrame, column: str, paths: Sequence[str | Path]
) -> FloatArray:
    """Wind direction in degrees from north, from degrees or the 16 compass points (``NNE``…).

    Raises
    ------
    TableError
        At the first cell that is neither a number nor a compass point, or outside 0 … 360°.
    """
    raw = frame[column]
    values: FloatArray
    if pd.api.types.is_numeric_dtype(raw):
        values = numeric_column(frame, column, paths)
    else:
        text = raw.astype("string").str.strip().str.upper()
        degrees = text.map({point: 22.5 * i for i, point in enumerate(COMPASS)})
        numbers = pd.to_numeric(text, errors="coerce")
        filled = degrees.astype("Float64").fillna(numbers)
        values = np.asarray(filled.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
        bad = (
            np.isnan(values)
            & raw.notna().to_numpy()
            & ~text.isin(["NA", "", "/"]).fillna(False).to_numpy()
        )
        if bad.any():
            position = int(np.argmax(bad))
            message = (
                f"{raw.iat[position]!r} is neither degrees nor a compass point (N, NNE, … NNW)"
            )
            raise table_error(frame, paths, position, column, message)
    outside = (values < 0) | (values > 360)
    if outside.any():
        position = int(np.argmax(outside))
        message = f"{values[position]:g}° is not a direction (0 … 360)"
        raise table_error(frame, paths, position, column, message)
    return np.asarray(values, dtype=np.float64)
