"""A city's AQI from its stations, per HJ 663-2013: for each hour the arithmetic mean of the
valid stations' concentrations, then the core's real-time AQI, the rolling 24-h AQI and the
HJ 633 daily AQI (24-h means, O3 daily maximum 8-h mean), through the same
:func:`hazeguard.aqi.from_hourly.report_frame` the ``hazeguard aqi`` command uses.

Flagged values (:mod:`hazeguard.monitoring.plausibility`) are left out before averaging.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from hazeguard.aqi.from_hourly import report_frame
from hazeguard.aqi.indicators import HourlyGrid
from hazeguard.monitoring.plausibility import FlagArray, plausibility_flags, without_flagged
from hazeguard.monitoring.recompute import Recompute

#: Columns kept of each report: when, index, level and primary pollutants.
REPORT_COLUMNS = ("aqi", "level", "primary_pollutants")


@dataclass(frozen=True)
class CityValues:
    """What a city's stations give for a span of hours.

    Attributes
    ----------
    hourly
        ``city`` (``"city"``, or the names of :func:`hazeguard.aqi.indicators.with_cities`),
        ``time`` (end of the hour, naive Beijing time), ``aqi``, ``level``,
        ``primary_pollutants``: the city's real-time AQI.
    rolling
        The same columns for the daily-report statistics of the 24 h ending at ``time`` (the
        plans' "连续24小时（可跨自然日）" AQI).
    daily
        ``city``, ``date`` and the same columns: the HJ 633 daily AQI of each natural day.
    stations
        ``station``, ``time`` and the same columns: each station's real-time AQI.
    flags
        Pollutant code to each station-hour's flag bits, shape ``(stations, hours)`` of the grid.
    """

    hourly: pd.DataFrame
    rolling: pd.DataFrame
    daily: pd.DataFrame
    stations: pd.DataFrame
    flags: dict[str, FlagArray]


def city_values(grid: HourlyGrid, span: Recompute | None = None) -> CityValues:
    """The city's and its stations' AQI from a grid of station hours.

    Parameters
    ----------
    grid
        Hourly concentrations of the city's stations (:func:`hazeguard.aqi.indicators.
        hourly_grid`), or of several cities' stations (:func:`hazeguard.aqi.indicators.
        with_cities`), all computed in one pass. [µg/m³; CO mg/m³]
    span
        Only the values an arriving hour changed (:func:`hazeguard.monitoring.recompute.
        recompute_span`); the grid must then hold at least ``span.inputs``. ``None``: every
        value the grid gives.

    Returns
    -------
    CityValues
        The reports; with ``span``, only its hours and days.
    """
    flags = plausibility_flags(grid.concentrations)
    valid = replace(grid, concentrations=without_flagged(grid.concentrations, flags))
    hourly = _kept(report_frame(valid, "hourly", city=True), "time")
    rolling = _kept(report_frame(valid, "rolling", city=True), "time")
    daily = _kept(report_frame(valid, "daily", city=True), "date")
    stations = report_frame(valid, "hourly")[["station", "time", *REPORT_COLUMNS]]
    if span is not None:
        first, last = pd.Timestamp(span.hours[0]), pd.Timestamp(span.hours[1])
        hourly = hourly[hourly["time"].between(first, last)]
        rolling = rolling[rolling["time"].between(first, last)]
        stations = stations[stations["time"].between(first, last)]
        daily = daily[daily["date"].dt.date.isin(span.days)]
    return CityValues(
        hourly.reset_index(drop=True),
        rolling.reset_index(drop=True),
        daily.reset_index(drop=True),
        stations.reset_index(drop=True),
        flags,
    )


def _kept(frame: pd.DataFrame, time_column: str) -> pd.DataFrame:
    return frame[["station", time_column, *REPORT_COLUMNS]].rename(columns={"station": "city"})
