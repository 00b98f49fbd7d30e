"""A city's daily AQI computed from its stations against the daily AQI a source published.

The computed side is what the platform stores (:func:`hazeguard.monitoring.city.city_values`:
plausibility flags, HJ 663 mean of the valid stations, the HJ 633 daily report), plus the mean of
the day's real-time AQIs, the recipe the national release's daily figure follows (docs/aqi-data.md).
The comparison gives bias, mean absolute error, Pearson correlation, the share of days in the same
HJ 633 category and the agreement on heavy days (AQI > 200) as hits, misses and false alarms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from hazeguard.aqi.indicators import HourlyGrid
from hazeguard.aqi.levels import level_of
from hazeguard.monitoring.city import city_values

#: Heavy pollution (重度污染) starts above this AQI (HJ 633-2012 Table 2, level 5).
HEAVY_ABOVE: Final = 200


@dataclass(frozen=True)
class DailyComparison:
    """Computed against published daily AQI over the days both give.

    Attributes
    ----------
    days
        Days with both values. [d]
    bias
        Mean of computed − published. [AQI]
    mae
        Mean absolute difference. [AQI]
    correlation
        Pearson correlation coefficient. [-]
    same_category
        Share of days in the same HJ 633 category (优 … 严重污染). [0–1]
    hits, misses, false_alarms, quiet
        Days with AQI > 200 in both; only published; only computed; in neither. [d]
    """

    days: int
    bias: float
    mae: float
    correlation: float
    same_category: float
    hits: int
    misses: int
    false_alarms: int
    quiet: int

    def line(self) -> str:
        """The figures in one line, as the CLI prints them."""
        return (
            f"{self.days} days: bias {self.bias:+.1f}, MAE {self.mae:.1f}, "
            f"r {self.correlation:.3f}, same category {self.same_category:.1%}; "
            f"AQI > {HEAVY_ABOVE}: {self.hits} hits, "
            f"{self.misses} misses, {self.false_alarms} false alarms"
        )


def compare_daily(computed: pd.Series, published: pd.Series) -> DailyComparison:
    """Compare two daily AQI series indexed by day on the days where both have a value.

    Raises
    ------
    ValueError
        No day has both values.
    """
    both = pd.concat({"computed": computed, "published": published}, axis=1).dropna()
    if both.empty:
        raise ValueError("no day has both a computed and a published AQI")
    ours = both["computed"].to_numpy(dtype=np.float64)
    theirs = both["published"].to_numpy(dtype=np.float64)
    difference = ours - theirs
    heavy_ours, heavy_theirs = ours > HEAVY_ABOVE, theirs > HEAVY_ABOVE
    return DailyComparison(
        days=len(both),
        bias=float(difference.mean()),
        mae=float(np.abs(difference).mean()),
        correlation=float(np.corrcoef(ours, theirs)[0, 1]) if len(both) > 1 else float("nan"),
        same_category=float((level_of(ours) == level_of(theirs)).mean()),
        hits=int((heavy_ours & heavy_theirs).sum()),
        misses=int((~heavy_ours & heavy_theirs).sum()),
        false_alarms=int((heavy_ours & ~heavy_theirs).sum()),
        quiet=int((~heavy_ours & ~heavy_theirs).sum()),
    )


def city_daily_series(grid: HourlyGrid) -> pd.DataFrame:
    """The city's daily AQI two ways, through the platform's path (:func:`city_values`).

    Returns
    -------
    pandas.DataFrame
        Indexed by day (``date``): ``daily_aqi``, the HJ 633 daily report of the city's
        24-h means (what the platform stores per day), and ``mean_hourly_aqi``, the ceiling of
        the mean of the day's real-time city AQIs (the hours ending 01:00 … 24:00). [AQI]
    """
    values = city_values(grid)
    daily = values.daily.set_index("date")["aqi"].astype(np.float64)
    hourly = values.hourly
    day_of_hour = (hourly["time"] - pd.Timedelta(hours=1)).dt.normalize()
    mean_hourly = np.ceil(hourly["aqi"].astype(np.float64).groupby(day_of_hour.to_numpy()).mean())
    frame = pd.DataFrame({"daily_aqi": daily, "mean_hourly_aqi": mean_hourly})
    frame.index.name = "date"
    return frame
