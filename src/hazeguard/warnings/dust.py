"""Excluding sand and dust from warning decisions.

Every plan leaves dust-driven pollution out: "对于沙尘暴、台风等气象因素……造成的重污染
天气，不在本预案范围" (seed 000 §1.3), "因沙尘天气形成的重度污染不适用本预案"
(seed 001 §1.3), "沙尘暴天气应对工作不适用本预案" (seed 003 §1.3).
A period is dust when the forecast flags it, or, inferred, when PM10 is its primary pollutant
and PM2.5/PM10 is below the plan's ratio (coarse mineral dust).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from hazeguard.warnings.criteria import BoolArray, FloatArray
from hazeguard.warnings.forecast import Forecast


@dataclass(frozen=True)
class DustPeriod:
    """One row left out as dust.

    Parameters
    ----------
    label
        The row's date or hour.
    source
        ``flag`` (the forecast said dust), ``inferred`` (PM10 primary, low PM2.5/PM10), or
        ``typhoon`` (the forecast said typhoon, where the plan excludes typhoons, 000 §1.4).
    ratio
        PM2.5/PM10 of the row when known, else None. [ratio]
    """

    label: str
    source: Literal["flag", "inferred", "typhoon"]
    ratio: float | None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {"period": self.label, "source": self.source, "pm25_pm10_ratio": self.ratio}


def pm_ratio(forecast: Forecast) -> FloatArray:
    """PM2.5/PM10 per row; NaN where either is missing or PM10 is not positive. [ratio]"""
    n = len(forecast)
    if len(forecast.pm25) != n or len(forecast.pm10) != n:
        return np.full(n, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = forecast.pm25 / forecast.pm10
    return np.where(forecast.pm10 > 0, ratio, np.nan)


def dust_mask(
    forecast: Forecast, ratio_limit: float, polluted_above: float = 0.0
) -> tuple[BoolArray, BoolArray]:
    """Rows flagged as dust, and rows inferred as dust (not flagged). Both boolean arrays.

    Inference only looks at rows whose AQI is above ``polluted_above``: only dust-driven
    *pollution* is excluded, a clean windy day needs no explanation. [index]
    """
    n = len(forecast)
    flagged = np.array(forecast.dust, dtype=bool) if forecast.dust else np.zeros(n, dtype=bool)
    ratio = pm_ratio(forecast)
    if forecast.primary:
        pm10_primary = np.array([p.upper().split("+") == ["PM10"] for p in forecast.primary])
    else:
        # Without a stated primary pollutant: at equal sub-index, HJ 633-2012 Table 1 pairs
        # PM2.5/PM10 concentrations at ratios of 0.43 or more (e.g. 150/350), so a ratio under
        # the limit (which must stay below 0.43) means PM10 has the higher sub-index.
        pm10_primary = np.ones(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        polluted = forecast.aqi_high > polluted_above
        inferred = pm10_primary & (ratio < ratio_limit) & ~flagged & polluted
    return flagged, inferred


def exclude_dust(
    forecast: Forecast, values: FloatArray, ratio_limit: float, polluted_above: float = 0.0
) -> tuple[FloatArray, tuple[DustPeriod, ...]]:
    """Values with dust rows set to NaN, and the list of rows left out (with why)."""
    flagged, inferred = dust_mask(forecast, ratio_limit, polluted_above)
    excluded = flagged | inferred
    if not excluded.any():
        return values, ()
    ratio = pm_ratio(forecast)
    periods = tuple(
        DustPeriod(
            forecast.label(int(i)),
            "flag" if flagged[i] else "inferred",
            None if np.isnan(ratio[i]) else round(float(ratio[i]), 3),
        )
        for i in np.flatnonzero(excluded)
    )
    return np.where(excluded, np.nan, values), periods


def exclude_typhoon(
    forecast: Forecast, values: FloatArray, periods: tuple[DustPeriod, ...]
) -> tuple[FloatArray, tuple[DustPeriod, ...]]:
    """Values with typhoon-flagged rows set to NaN, and ``periods`` with those rows added.

    Only for plans that leave typhoons out: "对于沙尘暴、台风等气象因素……造成的重污染天气，不在
    本预案范围" (seed 000 §1.4).
    """
    if not forecast.typhoon or not any(forecast.typhoon):
        return values, periods
    flags = np.array(forecast.typhoon, dtype=bool)
    seen = {period.label for period in periods}
    added = tuple(
        DustPeriod(forecast.label(int(i)), "typhoon", None)
        for i in np.flatnonzero(flags)
        if forecast.label(int(i)) not in seen
    )
    return np.where(flags, np.nan, values), periods + added
