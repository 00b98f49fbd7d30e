"""Regional triggers: a level starts when enough contiguous counties meet it.

"研判3个及以上连片县（市）平均日AQI达到重污染天气预警分级标准时，地区启动相应级别的
喀什区域预警" (seed 001 §3.4): the *mean* daily AQI of a group of at least *m* counties,
connected through the adjacency list, meets the level's criteria. Per step, the *regional value*
is the highest mean AQI over all such groups; a regional criterion "AQI > 200 for 2 days" then
holds when on each of the 2 days some group's mean is above 200 (the group may change from day
to day, as the pollution moves). The regional value is a series like any other, so episodes,
lifting and lead time work unchanged. Groups are enumerated exhaustively, which is exact and
fast for a prefecture's dozen or so counties (at most :data:`MAX_COUNTIES`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from hazeguard.warnings.criteria import FloatArray
from hazeguard.warnings.dust import exclude_dust
from hazeguard.warnings.forecast import DailyForecast, Forecast, HourlyForecast
from hazeguard.warnings.rules import WarningRules

MAX_COUNTIES = 16


def connected_groups(
    counties: Sequence[str], adjacency: Mapping[str, tuple[str, ...]], size: int
) -> npt.NDArray[np.float64]:
    """Membership matrix of every connected group of at least ``size`` counties.

    Row *g* holds ``1/len(group)`` for the group's counties and 0 elsewhere, so that
    ``matrix @ values`` gives each group's mean. Columns follow ``counties``.
    """
    n = len(counties)
    if n > MAX_COUNTIES:
        raise ValueError(f"regional trigger: {n} counties, at most {MAX_COUNTIES} are supported")
    position = {county: i for i, county in enumerate(counties)}
    neighbours = [0] * n
    for county, others in adjacency.items():
        if county in position:
            for other in others:
                if other in position:
                    neighbours[position[county]] |= 1 << position[other]
                    neighbours[position[other]] |= 1 << position[county]
    rows: list[list[float]] = []
    for subset in range(1, 1 << n):
        count = subset.bit_count()
        if count < size:
            continue
        # Flood fill from the lowest member; the group is connected if the fill reaches all.
        reached = subset & -subset
        frontier = reached
        while frontier:
            spread = 0
            for i in range(n):
                if frontier >> i & 1:
                    spread |= neighbours[i]
            frontier = spread & subset & ~reached
            reached |= frontier
        if reached == subset:
            rows.append([1.0 / count if subset >> i & 1 else 0.0 for i in range(n)])
    return np.array(rows, dtype=np.float64).reshape(len(rows), n)


def regional_values(
    matrix: npt.NDArray[np.float64], values: npt.NDArray[np.float64]
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Highest group mean per step, and which group gave it (-1 when no group is complete).

    ``values`` has one row per county and one column per step; a group with a missing (NaN)
    county has no mean. [index]
    """
    if matrix.shape[0] == 0:
        steps = values.shape[1]
        return np.full(steps, np.nan), np.full(steps, -1, dtype=np.int64)
    means = matrix @ np.nan_to_num(values, nan=0.0)
    missing = (matrix > 0) @ np.isnan(values)
    means = np.where(missing > 0, -np.inf, means)
    best = np.argmax(means, axis=0).astype(np.int64)
    top = means[best, np.arange(values.shape[1])]
    return np.where(np.isfinite(top), top, np.nan), np.where(np.isfinite(top), best, -1)


def regional_forecast(
    rules: WarningRules, counties: Mapping[str, Forecast]
) -> tuple[Forecast, tuple[tuple[str, ...], ...]]:
    """The region's forecast built from county forecasts, and the county group at each step.

    Dust rows are removed county by county first. Raises ValueError when the plan has no regional
    trigger, when a county is not in the adjacency list, or when the counties' rows differ.
    """
    size = rules.min_contiguous_counties
    if size is None:
        raise ValueError(f"plan {rules.plan_id} has no regional (contiguous counties) trigger")
    unknown = sorted(set(counties) - set(rules.adjacency))
    if unknown:
        raise ValueError(f"counties not in plan {rules.plan_id}'s adjacency list: {unknown}")
    names = sorted(counties)
    first = counties[names[0]]
    rows = []
    for name in names:
        forecast = counties[name]
        if type(forecast) is not type(first) or _labels(forecast) != _labels(first):
            raise ValueError(f"county {name}: its rows differ from those of the other counties")
        cleaned, _ = exclude_dust(
            forecast, forecast.aqi(rules.range_bound), rules.dust_ratio, rules.pollution_threshold
        )
        rows.append(cleaned)
    matrix = connected_groups(names, rules.adjacency, size)
    values, best = regional_values(matrix, np.array(rows, dtype=np.float64))
    groups = tuple(
        tuple(n for n, w in zip(names, matrix[g], strict=True) if w > 0) if g >= 0 else ()
        for g in best
    )
    if isinstance(first, HourlyForecast):
        return HourlyForecast(values, values, times=first.times), groups
    if isinstance(first, DailyForecast):
        return DailyForecast(values, values, dates=first.dates), groups
    raise TypeError(f"unsupported forecast type {type(first).__name__}")


def _labels(forecast: Forecast) -> tuple[str, ...]:
    return tuple(forecast.label(i) for i in range(len(forecast)))
