"""The deweathered change between two periods, with a block-bootstrap confidence interval.

The change is the difference of the mean weather-normalised concentration of the two periods
(e.g. two heating seasons). Its interval resamples whole days (or weeks) of each period's
deweathered series, the normalised value plus the model's residual of that day (observed minus
predicted with the actual weather), so that it carries the day-to-day variation the model does
not explain and not only the Monte Carlo noise of the weather resampling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from hazeguard.evaluation.bootstrap import Block, block_means

N_BOOT: Final = 2000
LEVEL: Final = 0.95


@dataclass(frozen=True)
class TrendChange:
    """Deweathered change of one pollutant at one station (or the city) between two periods.

    Attributes
    ----------
    station, pollutant
        What changed.
    before, after
        Mean weather-normalised concentration of each period. [µg/m³; CO mg/m³]
    observed_before, observed_after
        Mean observed concentration of each period, for comparison. [µg/m³; CO mg/m³]
    change, low, high
        ``after - before`` and its confidence interval. [µg/m³; CO mg/m³]
    percent, percent_low, percent_high
        The change relative to ``before`` and its interval. [%]
    days_before, days_after
        Days with a value in each period.
    block, level
        Bootstrap block (``day`` or ``week``) and confidence level. [1]
    """

    station: str
    pollutant: str
    before: float
    after: float
    observed_before: float
    observed_after: float
    change: float
    low: float
    high: float
    percent: float
    percent_low: float
    percent_high: float
    days_before: int
    days_after: int
    block: str
    level: float


def trend_change(
    daily: pd.DataFrame,
    before: tuple[pd.Timestamp, pd.Timestamp],
    after: tuple[pd.Timestamp, pd.Timestamp],
    *,
    block: Block = "week",
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = 0,
) -> list[TrendChange]:
    """The deweathered change of every station and pollutant in ``daily``.

    Parameters
    ----------
    daily
        Columns ``station, pollutant, date, observed, predicted, normalised``
        (:attr:`Normalised.daily` or :meth:`Normalised.city`).
    before, after
        First and last day (inclusive) of each period.
    block
        Bootstrap block: ``day`` or ``week``.
    n_boot
        Bootstrap draws.
    level
        Confidence level of the interval, e.g. 0.95.
    seed
        Seed of the bootstrap.

    Raises
    ------
    ValueError
        When a period holds no day of some series, or the periods are given backwards.
    """
    for name, (first, last) in (("before", before), ("after", after)):
        if last < first:
            raise ValueError(f"the {name} period ends ({last:%Y-%m-%d}) before it starts")
    rng = np.random.default_rng(seed)
    tail = (1.0 - level) / 2.0
    results = []
    for (station, pollutant), rows in daily.groupby(["station", "pollutant"], sort=True):
        dates = pd.DatetimeIndex(rows["date"])
        periods = []
        for name, (first, last) in (("before", before), ("after", after)):
            inside = np.asarray((dates >= first) & (dates <= last))
            if not inside.any():
                raise ValueError(
                    f"{station} {pollutant}: no day between {first:%Y-%m-%d} and {last:%Y-%m-%d}"
                    f" ({name} period)"
                )
            periods.append(rows[inside])
        means = []
        draws = []
        for part in periods:
            normalised = part["normalised"].to_numpy(dtype=np.float64)
            deweathered = normalised + (part["observed"] - part["predicted"]).to_numpy(np.float64)
            boot = block_means(pd.DatetimeIndex(part["date"]), deweathered, block, n_boot, rng)
            centre = float(np.nanmean(deweathered))
            means.append(float(np.nanmean(normalised)))
            draws.append(means[-1] + (boot - centre))
        change = draws[1] - draws[0]
        percent = 100.0 * (draws[1] / draws[0] - 1.0)
        point = means[1] - means[0]
        results.append(
            TrendChange(
                station=str(station),
                pollutant=str(pollutant),
                before=means[0],
                after=means[1],
                observed_before=float(periods[0]["observed"].mean()),
                observed_after=float(periods[1]["observed"].mean()),
                change=point,
                low=float(np.quantile(change, tail)),
                high=float(np.quantile(change, 1.0 - tail)),
                percent=100.0 * point / means[0],
                percent_low=float(np.quantile(percent, tail)),
                percent_high=float(np.quantile(percent, 1.0 - tail)),
                days_before=len(periods[0]),
                days_after=len(periods[1]),
                block=block,
                level=level,
            )
        )
    return results
