"""Forecasts (and observations) of a jurisdiction's AQI: daily values or hourly rolling 24-h values.

Times are naive local clock times (China Standard Time, +08:00), as in the plans.

* :class:`DailyForecast`: one row per calendar day; the period of a row is that day, 00:00 to 24:00.
* :class:`HourlyForecast`: one row per hour; the value at time *T* is the mean AQI of the 24 hours
  ending at *T* (the HJ 663 moving-average convention), so the period of a row is *T − 24 h* to *T*.

An AQI may be a point value or a range (``aqi_low``–``aqi_high``); :meth:`Forecast.aqi` picks the
bound the plan compares with its thresholds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

import numpy as np

from hazeguard.warnings.criteria import FloatArray, Series

DAY = timedelta(days=1)


@dataclass(frozen=True, eq=False)
class Forecast(ABC):
    """Common part of daily and hourly forecasts.

    Parameters
    ----------
    aqi_low, aqi_high
        Lower and upper bound of the forecast AQI per row (equal for a point forecast). [index]
    primary
        Primary pollutant per row (``"PM2.5"``, ``"PM10"``, ``"O3"``, ``"PM2.5+PM10"``, or ``""``).
    dust
        Row flagged as sand and dust by the forecaster.
    typhoon
        Row flagged as typhoon-driven by the forecaster (left out where the plan excludes
        typhoons, 000 §1.4).
    pm25, pm10
        PM2.5 and PM10 concentrations per row, NaN when not given; used to infer dust. [µg/m³]
    """

    aqi_low: FloatArray
    aqi_high: FloatArray
    primary: tuple[str, ...] = ()
    dust: tuple[bool, ...] = ()
    typhoon: tuple[bool, ...] = ()
    pm25: FloatArray = field(default_factory=lambda: np.empty(0))
    pm10: FloatArray = field(default_factory=lambda: np.empty(0))

    stride = 1
    kind = "daily"

    def __post_init__(self) -> None:
        n = len(self.aqi_high)
        if len(self.aqi_low) != n:
            raise ValueError("aqi_low and aqi_high differ in length")
        if np.any(self.aqi_low > self.aqi_high):
            raise ValueError("an AQI range has its low bound above its high bound")
        for name in ("primary", "dust", "typhoon", "pm25", "pm10"):
            size = len(getattr(self, name))
            if size not in (0, n):
                raise ValueError(f"{name} has {size} entries for {n} rows")

    def __len__(self) -> int:
        return len(self.aqi_high)

    def aqi(self, bound: Literal["upper", "lower"] = "upper") -> FloatArray:
        """The AQI compared with thresholds: the upper (default) or lower bound. [index]"""
        return self.aqi_high if bound == "upper" else self.aqi_low

    def series(self, bound: Literal["upper", "lower"] = "upper") -> Series:
        """The evaluation series of this forecast (before any dust exclusion)."""
        return Series(self.aqi(bound), self.primary, self.stride)

    @abstractmethod
    def period(self, index: int) -> tuple[datetime, datetime]:
        """Start and end of the period a row covers."""

    @abstractmethod
    def label(self, index: int) -> str:
        """The row's date or hour as ISO text."""

    def hours(self) -> float:
        """Time covered by the forecast from its first period start to its last period end. [h]"""
        if len(self) == 0:
            return 0.0
        return (self.period(len(self) - 1)[1] - self.period(0)[0]) / timedelta(hours=1)

    def step_hours(self) -> float:
        """Hours between two rows. [h]"""
        return 24.0 / self.stride


@dataclass(frozen=True, eq=False)
class DailyForecast(Forecast):
    """Daily AQI per calendar day.

    Parameters
    ----------
    dates
        The days, consecutive and in order.
    """

    dates: tuple[date, ...] = ()

    stride = 1
    kind = "daily"

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.dates) != len(self.aqi_high):
            raise ValueError("dates and values differ in length")
        for before, after in zip(self.dates, self.dates[1:], strict=False):
            if after - before != DAY:
                raise ValueError(f"daily rows must be consecutive days: {before} then {after}")

    def period(self, index: int) -> tuple[datetime, datetime]:
        start = datetime.combine(self.dates[index], time())
        return start, start + DAY

    def label(self, index: int) -> str:
        return self.dates[index].isoformat()

    @classmethod
    def from_csv(cls, path: str | Path) -> DailyForecast:
        """Read a daily forecast CSV (``date, aqi`` or ``aqi_low, aqi_high``; docs/warnings.md)."""
        from hazeguard.warnings.io import read_daily

        return read_daily(path)


@dataclass(frozen=True, eq=False)
class HourlyForecast(Forecast):
    """Hourly rolling 24-h AQI.

    Parameters
    ----------
    times
        The hours, consecutive and in order; the value at *T* covers *T − 24 h* to *T*.
    """

    times: tuple[datetime, ...] = ()

    stride = 24
    kind = "hourly"

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.times) != len(self.aqi_high):
            raise ValueError("times and values differ in length")
        hour = timedelta(hours=1)
        for before, after in zip(self.times, self.times[1:], strict=False):
            if after - before != hour:
                raise ValueError(f"hourly rows must be consecutive hours: {before} then {after}")

    def period(self, index: int) -> tuple[datetime, datetime]:
        end = self.times[index]
        return end - DAY, end

    def label(self, index: int) -> str:
        return self.times[index].isoformat(timespec="minutes")

    def hours(self) -> float:
        # Rolling windows overlap: the forecast covers its first window plus one hour per row.
        return 0.0 if len(self) == 0 else 24.0 + len(self) - 1

    @classmethod
    def from_csv(cls, path: str | Path) -> HourlyForecast:
        """Read an hourly rolling 24-h forecast CSV (``time, aqi``; see docs/warnings.md)."""
        from hazeguard.warnings.io import read_hourly

        return read_hourly(path)


def daily(
    start: date | str,
    values: list[float] | list[tuple[float, float]],
    *,
    primary: list[str] | None = None,
    dust: list[bool] | None = None,
    typhoon: list[bool] | None = None,
) -> DailyForecast:
    """A daily forecast from a start day and a list of AQI values (or ``(low, high)`` ranges)."""
    first = date.fromisoformat(start) if isinstance(start, str) else start
    low, high = _bounds(values)
    return DailyForecast(
        aqi_low=low,
        aqi_high=high,
        primary=tuple(primary or ()),
        dust=tuple(dust or ()),
        typhoon=tuple(typhoon or ()),
        dates=tuple(first + k * DAY for k in range(len(high))),
    )


def hourly(start: datetime | str, values: list[float]) -> HourlyForecast:
    """An hourly rolling 24-h forecast from its first hour and a list of AQI values."""
    first = datetime.fromisoformat(start) if isinstance(start, str) else start
    low, high = _bounds(values)
    return HourlyForecast(
        aqi_low=low,
        aqi_high=high,
        times=tuple(first + timedelta(hours=k) for k in range(len(high))),
    )


def _bounds(values: list[float] | list[tuple[float, float]]) -> tuple[FloatArray, FloatArray]:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 2:
        return array[:, 0].copy(), array[:, 1].copy()
    return array, array
