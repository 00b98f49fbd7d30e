"""From hourly concentrations to the indicators the index is computed from (HJ 633, HJ 663).

Hourly data of one or more stations are put on a full grid (stations × hours, missing hours NaN)
by :func:`hourly_grid`; three builders then give the indicators of the three reports:

* :func:`daily_indicators`: the daily report of each natural day (HJ 633-2012 §5.1.2 Table 3,
  HJ 633-2026 §4.2.2): 24-h means, O3 daily maximum 8-h mean (as ``o3_8h``) and daily maximum
  1-h value (as ``o3_1h``).
* :func:`rolling_indicators`: the same statistics over the 24 hours ending at each hour, which may
  cross midnight — the plans' "AQI日均值按连续24小时（可跨自然日）均值计算" (seed 000 §1.3, seed 003
  §3.1). It is not the daily report; at 24:00 it equals the daily report of that day.
* :func:`hourly_indicators`: the real-time report (HJ 633-2012 §5.1.3 Table 4, HJ 633-2026
  §4.2.3): 1-h values, the O3 8-h moving mean and 24-h moving means.

Times are local (Beijing time for the national network) and label an hour by its **end**: the
hour 00:00–01:00 is 01:00, and a natural day holds the hours ending 01:00 … 24:00 (reference
aqi-hj633.md §4.2). With ``city=True`` the stations' concentrations are averaged first and the
city's index is computed from those means (reference §2.6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi.windows import (
    HOURS_PER_DAY,
    FloatArray,
    by_row_blocks,
    daily_max,
    daily_mean,
    group_mean,
    moving_max,
    moving_mean,
    station_mean,
)

POLLUTANTS: Final = ("pm25", "pm10", "so2", "no2", "co", "o3")
# Pollutants reported as 24-h means (HJ 633-2012 Table 3); O3 has 1-h and 8-h statistics instead.
MEAN_POLLUTANTS: Final = ("pm25", "pm10", "so2", "no2", "co")
_TICKS_PER_SECOND: Final = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
CITY: Final = "city"

# GB 3095-2012 Table 4 (unchanged in GB 3095-2026 Table 4): a 24-h mean needs ≥ 20 hourly values,
# an 8-h mean ≥ 6 of its 8 hours.
MIN_HOURS_24H: Final = 20
MIN_HOURS_8H: Final = 6
# HJ 663-2013 (reference aqi-hj633.md §4.2): the daily maximum 8-h mean is taken over the 17 means
# ending 08:00 … 24:00 and needs ≥ 14 of them, unless it exceeds the limit anyway.
MDA8_FIRST_HOUR: Final = 8
MDA8_WINDOWS: Final = HOURS_PER_DAY - MDA8_FIRST_HOUR + 1
MIN_MDA8_WINDOWS: Final = 14
# GB 3095-2012 Table 1 grade-II limits (same in GB 3095-2026): O3 8-h 160, O3 1-h 200 [µg/m³].
O3_8H_LIMIT: Final = 160.0
O3_1H_LIMIT: Final = 200.0


@dataclass(frozen=True)
class HourlyGrid:
    """Hourly concentrations on a full grid: one row per station, one column per hour.

    Attributes
    ----------
    stations
        Station names, one per row (``("",)`` for data without a station column).
    first_day
        Midnight starting the first natural day; column ``k`` is the hour ending at
        ``first_day + (k + 1) h``. [local time]
    concentrations
        Pollutant (``pm25``, ``pm10``, ``so2``, ``no2``, ``co``, ``o3``) to an array of shape
        ``(stations, days * 24)``, NaN where an hour is missing. [µg/m³; CO mg/m³]
    first_hour, last_hour
        Columns of the first and last hour present in the input (the grid is padded to whole
        days; outputs are trimmed back to this span).
    """

    stations: tuple[str, ...]
    first_day: pd.Timestamp
    concentrations: Mapping[str, FloatArray]
    first_hour: int
    last_hour: int
    # Several cities in one grid (see :func:`with_cities`): their names and each station's city.
    cities: tuple[str, ...] = (CITY,)
    city_of: npt.NDArray[np.int64] | None = None

    @property
    def days(self) -> int:
        """Number of natural days the grid covers."""
        first = next(iter(self.concentrations.values()))
        return int(first.shape[1]) // HOURS_PER_DAY

    def hour_ends(self) -> pd.DatetimeIndex:
        """End of each hour of the grid. [local time]"""
        return pd.date_range(
            self.first_day + pd.Timedelta(hours=1), periods=self.days * HOURS_PER_DAY, freq="h"
        )

    def dates(self) -> pd.DatetimeIndex:
        """Midnight starting each natural day of the grid. [local date]"""
        return pd.date_range(self.first_day, periods=self.days, freq="D")


def hourly_grid(
    times: pd.DatetimeIndex | pd.Series[pd.Timestamp],
    concentrations: Mapping[str, npt.ArrayLike],
    stations: npt.ArrayLike | pd.Categorical | None = None,
) -> HourlyGrid:
    """Put long-format hourly rows on a full stations × hours grid.

    Parameters
    ----------
    times
        End of each row's hour, timezone-naive local time on a full hour.
    concentrations
        Pollutant to its hourly values, one per row; any subset of ``POLLUTANTS``.
        [µg/m³; CO mg/m³]
    stations
        Station of each row; ``None`` for one unnamed station.

    Returns
    -------
    HourlyGrid
        The grid, with missing hours as NaN.

    Raises
    ------
    ValueError
        For a timezone-aware or missing time, a time not on the hour, no or an unknown
        pollutant, values not one per row, or a station with two rows for one hour.
    """
    index = pd.DatetimeIndex(times)
    if index.tz is not None:
        raise ValueError("times must be naive local times; convert them first")
    if len(index) == 0:
        raise ValueError("no hourly rows")
    if index.hasnans:
        raise ValueError("a time is missing")
    unknown = sorted(set(concentrations) - set(POLLUTANTS))
    if unknown or not concentrations:
        raise ValueError(f"unknown pollutants {unknown}; expected some of {list(POLLUTANTS)}")
    arrays = {p: np.asarray(v, dtype=np.float64) for p, v in concentrations.items()}
    lengths = {p: a.shape for p, a in arrays.items() if a.shape != (len(index),)}
    if lengths:
        raise ValueError(f"{len(index)} times but concentrations of shapes {lengths}")
    ticks = np.asarray(index.asi8)
    ticks_per_hour = 3600 * _TICKS_PER_SECOND[index.unit]
    if np.any(ticks % ticks_per_hour):
        raise ValueError("a time is not on a full hour")
    hours = ticks // ticks_per_hour
    # The day of an hour is the day of its start: the hour ending 24:00 belongs to the day before.
    first_day_hour = ((int(hours.min()) - 1) // HOURS_PER_DAY) * HOURS_PER_DAY
    columns = hours - (first_day_hour + 1)
    n_hours = (int(columns.max()) // HOURS_PER_DAY + 1) * HOURS_PER_DAY
    codes, names = _station_codes(stations, len(index))
    cells = codes * n_hours + columns
    n_cells = len(names) * n_hours
    # Rows already sorted by station and hour on a full grid (the usual layout of a big file)
    # are reshaped as they are, without a copy; anything else is scattered onto a NaN grid.
    on_grid = cells.size == n_cells and bool(np.all(cells[1:] > cells[:-1]))
    if not on_grid and np.bincount(cells, minlength=n_cells).max() > 1:
        raise ValueError("a station has two rows for the same hour")
    grid: dict[str, FloatArray] = {}
    for pollutant, array in arrays.items():
        if on_grid:
            flat = array
        else:
            flat = np.full(n_cells, np.nan)
            flat[cells] = array
        grid[pollutant] = flat.reshape(len(names), n_hours)
    return HourlyGrid(
        stations=names,
        first_day=pd.Timestamp(first_day_hour * 3600, unit="s"),
        concentrations=grid,
        first_hour=int(columns.min()),
        last_hour=int(columns.max()),
    )


def with_cities(grid: HourlyGrid, city_of: Mapping[str, str]) -> HourlyGrid:
    """The grid with each station assigned to a city, so that ``city=True`` gives one row per
    city (each the mean of its own stations) in one pass over all cities.

    Parameters
    ----------
    city_of
        Station name to city name, for every station of the grid.

    Raises
    ------
    KeyError
        For a station without a city.
    """
    names = tuple(sorted({city_of[station] for station in grid.stations}))
    code = {name: k for k, name in enumerate(names)}
    codes = np.array([code[city_of[station]] for station in grid.stations], dtype=np.int64)
    return replace(grid, cities=names, city_of=codes)


def _city_mean(values: FloatArray, grid: HourlyGrid) -> FloatArray:
    """Mean over each city's stations of their valid values, shape ``(cities, …)``."""
    if grid.city_of is None:
        return station_mean(values)
    return group_mean(values, grid.city_of, len(grid.cities))


def _station_codes(
    stations: npt.ArrayLike | pd.Categorical | None, rows: int
) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    """Station codes 0 … n-1 (in sorted name order) and the names."""
    if stations is None:
        return np.zeros(rows, dtype=np.int64), ("",)
    if isinstance(stations, pd.Series) and isinstance(stations.dtype, pd.CategoricalDtype):
        stations = pd.Categorical(stations)
    if isinstance(stations, pd.Categorical):
        # Categorical codes need no hashing of the names: much faster for millions of rows.
        # Unused categories are dropped by counting the codes (one bincount), not with
        # remove_unused_categories(), which re-codes every row (a third of the grid's time).
        raw_codes = np.asarray(stations.codes, dtype=np.int64)
        if raw_codes.size and raw_codes.min() < 0:
            raise ValueError("a station is missing")
        used = np.flatnonzero(np.bincount(raw_codes, minlength=len(stations.categories)))
        labels = np.asarray(stations.categories, dtype=str)[used]
        order = np.argsort(labels, kind="stable")
        rank = np.full(len(stations.categories), -1, dtype=np.int64)
        rank[used[order]] = np.arange(len(order))
        return rank[raw_codes], tuple(str(name) for name in labels[order])
    station_codes, uniques = pd.factorize(pd.Series(np.asarray(stations, dtype=object)), sort=True)
    if np.any(station_codes < 0):
        raise ValueError("a station is missing")
    return station_codes.astype(np.int64), tuple(str(name) for name in uniques)


def daily_arrays(grid: HourlyGrid, *, city: bool = False) -> dict[str, FloatArray]:
    """Daily-report indicators of each natural day, shape ``(stations or 1, days)``.

    ``<pollutant>_24h`` are 24-h means (≥ 20 hours), ``o3_8h`` the daily maximum 8-h mean and
    ``o3_1h`` the daily maximum 1-h value (HJ 633-2012 Table 3). [µg/m³; CO mg/m³]
    """
    return _report_arrays(grid, city, _daily_mean, _daily_max_8h, _daily_max_1h)


def rolling_arrays(grid: HourlyGrid, *, city: bool = False) -> dict[str, FloatArray]:
    """Daily-report statistics over the 24 hours ending at each hour, shape ``(rows, hours)``.

    The same indicators as :func:`daily_arrays`, but for the 24 hours ending at each hour
    (crossing midnight): 24-h moving means, the largest of the 17 O3 8-h means that lie inside
    the 24 hours (≥ 14), and the largest O3 1-h value (≥ 20 hours). [µg/m³; CO mg/m³]
    """
    return _report_arrays(grid, city, _moving_mean_24h, _moving_max_8h, _moving_max_1h)


def _report_arrays(
    grid: HourlyGrid,
    city: bool,
    mean_24h: Callable[[FloatArray], FloatArray],
    max_8h: Callable[[FloatArray], FloatArray],
    max_1h: Callable[[FloatArray], FloatArray],
) -> dict[str, FloatArray]:
    """The daily-report indicators, each computed by the window statistic given for it."""
    source = grid.concentrations
    out: dict[str, FloatArray] = {}
    for pollutant in MEAN_POLLUTANTS:
        if pollutant in source:
            means = by_row_blocks(mean_24h, source[pollutant])
            out[f"{pollutant}_24h"] = _city_mean(means, grid) if city else means
    if "o3" in source:
        hourly, eight_hour = _o3_series(source["o3"], city, grid)
        out["o3_8h"] = by_row_blocks(max_8h, eight_hour)
        out["o3_1h"] = by_row_blocks(max_1h, hourly)
    return out


def hourly_arrays(grid: HourlyGrid, *, city: bool = False) -> dict[str, FloatArray]:
    """Real-time-report indicators of each hour, shape ``(rows, hours)``.

    ``<pollutant>_1h`` are the hourly values, ``o3_8h`` the 8-h moving mean (≥ 6 of 8) and
    ``<pollutant>_24h`` the 24-h moving means (≥ 20 of 24) that the 2012 real-time report
    indexes PM with and falls back to for SO2 above 800 (HJ 633-2012 Table 4, Table 1 note 2).
    [µg/m³; CO mg/m³]
    """
    source = grid.concentrations
    out: dict[str, FloatArray] = {}
    for pollutant in POLLUTANTS:
        if pollutant in source:
            values = source[pollutant]
            out[f"{pollutant}_1h"] = _city_mean(values, grid) if city else values
    if "o3" in source:
        out["o3_8h"] = _o3_series(source["o3"], city, grid)[1]
    for pollutant in MEAN_POLLUTANTS:
        if pollutant in source:
            means = by_row_blocks(_moving_mean_24h, source[pollutant])
            out[f"{pollutant}_24h"] = _city_mean(means, grid) if city else means
    return out


def daily_indicators(grid: HourlyGrid, *, city: bool = False) -> pd.DataFrame:
    """Daily-report indicators as a long table: ``station``, ``date`` and one column each.

    Parameters
    ----------
    grid
        Hourly concentrations on a grid.
    city
        Average the stations' concentrations into one city row per day (station ``"city"``).

    Returns
    -------
    pandas.DataFrame
        One row per station and natural day that has input hours. [µg/m³; CO mg/m³]
    """
    arrays = daily_arrays(grid, city=city)
    first, last = grid.first_hour // HOURS_PER_DAY, grid.last_hour // HOURS_PER_DAY
    return _long_frame(grid, arrays, city, "date", grid.dates(), first, last)


def rolling_indicators(grid: HourlyGrid, *, city: bool = False) -> pd.DataFrame:
    """Rolling-24-h indicators as a long table: ``station``, ``time`` and one column each.

    See :func:`rolling_arrays`; parameters as :func:`daily_indicators`. ``time`` is the end of
    the 24 hours. [µg/m³; CO mg/m³]
    """
    arrays = rolling_arrays(grid, city=city)
    return _long_frame(
        grid, arrays, city, "time", grid.hour_ends(), grid.first_hour, grid.last_hour
    )


def hourly_indicators(grid: HourlyGrid, *, city: bool = False) -> pd.DataFrame:
    """Real-time indicators as a long table: ``station``, ``time`` and one column each.

    See :func:`hourly_arrays`; parameters as :func:`daily_indicators`. ``time`` is the end of
    the hour. [µg/m³; CO mg/m³]
    """
    arrays = hourly_arrays(grid, city=city)
    return _long_frame(
        grid, arrays, city, "time", grid.hour_ends(), grid.first_hour, grid.last_hour
    )


def _o3_series(o3: FloatArray, city: bool, grid: HourlyGrid) -> tuple[FloatArray, FloatArray]:
    """Hourly O3 and its 8-h moving means, each averaged over stations for a city.

    A city's 8-h mean is the mean of its stations' 8-h means; its daily maxima are then taken
    from the city series, since a maximum of means is not a mean of maxima (HJ 663-2013 defines
    each city statistic from the city's concentrations; reference aqi-hj633.md §2.6).
    """
    eight_hour = by_row_blocks(_moving_mean_8h, o3)
    if city:
        return _city_mean(o3, grid), _city_mean(eight_hour, grid)
    return o3, eight_hour


def _moving_mean_24h(values: FloatArray) -> FloatArray:
    return moving_mean(values, HOURS_PER_DAY, MIN_HOURS_24H)


def _moving_mean_8h(values: FloatArray) -> FloatArray:
    return moving_mean(values, 8, MIN_HOURS_8H)


def _moving_max_8h(eight_hour: FloatArray) -> FloatArray:
    return moving_max(eight_hour, MDA8_WINDOWS, MIN_MDA8_WINDOWS, O3_8H_LIMIT)


def _moving_max_1h(hourly: FloatArray) -> FloatArray:
    return moving_max(hourly, HOURS_PER_DAY, MIN_HOURS_24H, O3_1H_LIMIT)


def _daily_mean(values: FloatArray) -> FloatArray:
    return daily_mean(values, MIN_HOURS_24H)


def _daily_max_8h(eight_hour: FloatArray) -> FloatArray:
    return daily_max(eight_hour, MDA8_FIRST_HOUR, MIN_MDA8_WINDOWS, O3_8H_LIMIT)


def _daily_max_1h(hourly: FloatArray) -> FloatArray:
    return daily_max(hourly, 1, MIN_HOURS_24H, O3_1H_LIMIT)


def _long_frame(
    grid: HourlyGrid,
    arrays: Mapping[str, FloatArray],
    city: bool,
    time_name: str,
    times: pd.DatetimeIndex,
    first: int,
    last: int,
) -> pd.DataFrame:
    stations = grid.cities if city else grid.stations
    span = slice(first, last + 1)
    n_times = last + 1 - first
    columns: dict[str, npt.ArrayLike] = {
        "station": np.repeat(np.asarray(stations, dtype=object), n_times),
        time_name: np.tile(times[span].to_numpy(), len(stations)),
    }
    for name, values in arrays.items():
        columns[name] = values[:, span].ravel()
    return pd.DataFrame(columns)
