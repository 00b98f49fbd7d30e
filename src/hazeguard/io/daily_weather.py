"""Daily weather of a city: read a weather table, or build one from hourly station records.

A daily weather table has a header row and one row per day: ``date`` and any of

=========================  ===============================================  ========
column                     meaning                                          unit
=========================  ===============================================  ========
``temperature``            daily mean air temperature                       °C
``dew_point``              daily mean dew point                             °C
``relative_humidity``      daily mean relative humidity                     %
``pressure``               daily mean surface pressure                      hPa
``wind_speed``             daily mean wind speed                            m/s
``wind_direction``         direction the mean wind blows **from**           ° (0 = N)
                           (degrees, or a compass point such as ``NNW``)
``precipitation``          daily total                                      mm
``boundary_layer_height``  daily mean (or afternoon) boundary-layer height  m
=========================  ===============================================  ========

Unknown columns are ignored; a day may be missing or blank (the forecast model treats it as
unknown). :func:`daily_weather_from_hourly` makes such a table from the hourly meteorology of the
Beijing multi-site files (``TEMP, PRES, DEWP, RAIN, wd, WSPM``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from hazeguard.io.beijing import WEATHER_MAPPING
from hazeguard.io.daily import day_index
from hazeguard.io.tables import (
    TableError,
    numeric_column,
    read_table,
    time_from_parts,
)
from hazeguard.io.weather import SIGNED_VARIABLES, WEATHER_VARIABLES, wind_direction_degrees

#: The daily weather columns, in the order of :data:`hazeguard.io.weather.WEATHER_VARIABLES`.
WEATHER_COLUMNS: Final = tuple(WEATHER_VARIABLES)
#: Column names of the hourly meteorology in the Beijing multi-site files.
BEIJING_HOURLY: Final = {
    source: name for source, name in WEATHER_MAPPING.items() if name in WEATHER_VARIABLES
}


def read_daily_weather(path: str | Path) -> pd.DataFrame:
    """Read a daily weather table (module docstring) into one row per calendar day.

    Returns
    -------
    pandas.DataFrame
        Indexed by consecutive days (``date``); the :data:`WEATHER_COLUMNS` present in the file
        (units as in the module docstring), ``wind_direction`` in degrees.

    Raises
    ------
    TableError
        No ``date`` column, no weather column, a bad date, number or direction, a repeated day.
    """
    paths: list[str | Path] = [path]
    frame = read_table(path)
    frame.columns = [str(name).strip() for name in frame.columns]
    cells = [name for name in frame.columns if not name.startswith("__")]
    frame = frame.dropna(how="all", subset=cells)
    if "date" not in frame.columns:
        raise TableError(path, 1, "date", "no 'date' column in the header")
    present = [name for name in WEATHER_COLUMNS if name in frame.columns]
    if not present:
        message = f"no weather column; expected any of {', '.join(WEATHER_COLUMNS)}"
        raise TableError(path, 1, "", message)
    if frame.empty:
        raise TableError(path, 2, "date", "no data rows")
    weather = pd.DataFrame(index=day_index(frame, paths))
    for name in present:
        if name == "wind_direction":
            weather[name] = wind_direction_degrees(frame, name, paths)
        else:
            weather[name] = numeric_column(frame, name, paths, negative_ok=name in SIGNED_VARIABLES)
    weather = weather.sort_index()
    full = pd.date_range(weather.index[0], weather.index[-1], freq="D", name="date")
    return weather.reindex(full)


def daily_weather_from_hourly(
    paths: Sequence[str | Path],
    *,
    mapping: dict[str, str] | None = None,
    time_parts: Sequence[str] = ("year", "month", "day", "hour"),
    station: str = "station",
) -> pd.DataFrame:
    """Daily city weather from hourly station records (e.g. the Beijing multi-site files).

    Each station's hours are grouped into calendar days (the hour column is the start of the
    hour, as :mod:`hazeguard.io.beijing` reads it); a station-day is the mean of its hours
    (precipitation: the sum, blank when fewer than 18 of 24 hours are known), and the city value
    is the mean over the stations that day. Wind is averaged as a vector: the daily
    ``wind_speed`` is the mean speed, ``wind_direction`` the direction of the mean vector.

    Parameters
    ----------
    paths
        Hourly CSV files (one or more stations each).
    mapping
        File column → weather column; default :data:`BEIJING_HOURLY`.
    time_parts
        The year, month, day and hour columns.
    station
        The station column.

    Returns
    -------
    pandas.DataFrame
        ``date`` plus the mapped weather columns, one row per day (see :func:`read_daily_weather`).
    """
    columns = mapping or BEIJING_HOURLY
    parts = []
    for number, path in enumerate(paths):
        frame = read_table(path, number)
        frame = frame.dropna(how="all", subset=[c for c in frame.columns if c in columns])
        missing = [name for name in (*columns, *time_parts, station) if name not in frame.columns]
        if missing:
            raise TableError(path, 1, missing[0], "column missing from the header")
        # The hour column is the hour's start; the hourly weather table labels the end.
        hours = pd.DataFrame(
            {"time": time_from_parts(frame, time_parts, paths) + pd.Timedelta(hours=1)}
        )
        hours["station"] = frame[station].astype(str).to_numpy()
        for source, name in columns.items():
            if name == "wind_direction":
                hours[name] = wind_direction_degrees(frame, source, paths)
            else:
                hours[name] = numeric_column(
                    frame, source, paths, negative_ok=name in SIGNED_VARIABLES
                )
        parts.append(hours)
    return daily_weather_from_table(pd.concat(parts, ignore_index=True))


def daily_weather_from_table(table: pd.DataFrame) -> pd.DataFrame:
    """Daily city weather from an hourly weather table (:func:`hazeguard.io.weather.weather_table`).

    An hour belongs to the calendar day of its start (``time`` is the hour's end). A station-day
    is the mean of its hours (precipitation: the sum, blank when fewer than 18 of 24 hours are
    known); rows without a station form one series of their own. The city value is the mean over
    the series that day; wind is averaged as a vector (``wind_speed`` the mean speed,
    ``wind_direction`` the direction of the mean vector).

    Parameters
    ----------
    table
        ``time`` (end of the hour, naive local time), optional ``station`` and any of
        :data:`WEATHER_COLUMNS`. [units of :data:`hazeguard.io.weather.WEATHER_VARIABLES`]

    Returns
    -------
    pandas.DataFrame
        One row per consecutive day (``date``), as :func:`read_daily_weather` returns.

    Raises
    ------
    ValueError
        For a table without rows or without any weather column.
    """
    present = [name for name in WEATHER_COLUMNS if name in table.columns]
    if table.empty or not present:
        raise ValueError("no hourly weather to make days of")
    hours = pd.DataFrame(
        {"date": (pd.DatetimeIndex(table["time"]) - pd.Timedelta(hours=1)).normalize()}
    )
    stations = table["station"] if "station" in table.columns else None
    hours["station"] = "" if stations is None else stations.fillna("").astype(str).to_numpy()
    for name in present:
        hours[name] = table[name].to_numpy(dtype=np.float64)
    if "wind_direction" in hours and "wind_speed" in hours:
        radians = np.deg2rad(hours.pop("wind_direction").to_numpy())
        hours["u"] = -hours["wind_speed"] * np.sin(radians)
        hours["v"] = -hours["wind_speed"] * np.cos(radians)
    grouped = hours.groupby(["station", "date"])
    station_days = grouped.mean(numeric_only=True)
    if "precipitation" in hours:
        counts = grouped["precipitation"].count()
        totals = grouped["precipitation"].sum()
        station_days["precipitation"] = totals.where(counts >= 18)
    city = station_days.groupby(level="date").mean()
    if "u" in city:
        u, v = city.pop("u").to_numpy(), city.pop("v").to_numpy()
        # The direction the mean wind blows from, clockwise from north.
        city["wind_direction"] = np.round(np.rad2deg(np.arctan2(-u, -v)) % 360.0, 1)
    ordered = [name for name in WEATHER_COLUMNS if name in city.columns]
    city = city[ordered].round(2)
    full = pd.date_range(city.index[0], city.index[-1], freq="D", name="date")
    return city.reindex(full)
