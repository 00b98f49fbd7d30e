"""The AQI of hourly data: indicators of a report (hourly, daily, rolling 24 h), then the index.

This joins :mod:`hazeguard.aqi.indicators` (statistics of the hourly series) and the exact index
(:func:`hazeguard.aqi.index_frame`), with optional GB/T 8170 rounding of the concentrations in
between (required by HJ 633-2026 §4.2.2, optional under HJ 633-2012).
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import pandas as pd

from hazeguard.aqi import index_frame
from hazeguard.aqi.indicators import (
    HourlyGrid,
    daily_indicators,
    hourly_indicators,
    rolling_indicators,
)
from hazeguard.aqi.report import ReusedBuffers
from hazeguard.aqi.rounding import round_indicator
from hazeguard.aqi.tables import HJ633_2026, in_force_2026

Report = Literal["hourly", "daily", "rolling"]
Rounding = Literal["auto", "always", "never"]
REPORTS: Final = ("hourly", "daily", "rolling")
ROUNDINGS: Final = ("auto", "always", "never")
# The report mode of the index for each report: the daily and rolling-24-h reports are both
# daily-report statistics (of a natural day, or of the 24 h ending at each hour).
DEFAULT_MODES: Final[dict[str, str]] = {
    "hourly": "realtime",
    "daily": "daily",
    "rolling": "daily",
}
TIME_COLUMNS: Final[dict[str, str]] = {"hourly": "time", "daily": "date", "rolling": "time"}


def report_frame(
    grid: HourlyGrid,
    report: Report,
    *,
    city: bool = False,
    standard: str | None = None,
    mode: str | None = None,
    rounding: Rounding = "auto",
    buffers: ReusedBuffers | None = None,
) -> pd.DataFrame:
    """Indicators and index of each station (or the city) for one report.

    Parameters
    ----------
    grid
        Hourly concentrations on a grid. [µg/m³; CO mg/m³]
    report
        ``"hourly"`` (real-time AQI of each hour), ``"daily"`` (daily report of each natural
        day) or ``"rolling"`` (daily-report statistics of the 24 h ending at each hour).
    city
        Average the stations' concentrations and index the means (one ``"city"`` row per time).
    standard
        ``"HJ633-2012"`` or ``"HJ633-2026"``; ``None`` chooses by each row's time.
    mode
        Report mode of the index; by default ``realtime`` for hourly, ``daily`` otherwise.
    rounding
        GB/T 8170 rounding of concentrations before indexing: ``"auto"`` where HJ 633-2026
        applies (its §4.2.2 requires it), ``"always"`` or ``"never"``.
    buffers
        The index's output buffers, reused from call to call (:func:`hazeguard.aqi.index_frame`).

    Returns
    -------
    pandas.DataFrame
        ``station``, ``time`` (end of the hour or of the 24 h) or ``date``, the indicators
        [µg/m³; CO mg/m³], and the index columns of :func:`hazeguard.aqi.index_frame`.
    """
    if report not in REPORTS:
        raise ValueError(f"unknown report {report!r}; expected one of {', '.join(REPORTS)}")
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")
    build = {
        "hourly": hourly_indicators,
        "daily": daily_indicators,
        "rolling": rolling_indicators,
    }[report]
    frame = build(grid, city=city)
    time_column = TIME_COLUMNS[report]
    if rounding != "never":
        frame = _rounded(frame, time_column, standard, always=rounding == "always")
    return index_frame(
        frame,
        standard=standard,
        mode=mode or DEFAULT_MODES[report],
        time_column=time_column,
        buffers=buffers,
    )


def _rounded(
    frame: pd.DataFrame, time_column: str, standard: str | None, *, always: bool
) -> pd.DataFrame:
    if always:
        where = np.ones(len(frame), dtype=bool)
    elif standard is None:
        where = in_force_2026(frame[time_column])
    else:
        where = np.full(len(frame), standard == HJ633_2026)
    if not where.any():
        return frame
    out = frame.copy()
    for column in frame.columns:
        if column not in ("station", time_column):
            values = frame[column].to_numpy(dtype=np.float64)
            out[column] = np.where(where, round_indicator(column, values), values)
    return out
