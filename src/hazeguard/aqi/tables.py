"""The breakpoint tables of HJ 633-2012 and HJ 633-2026, the report modes, and the standard by date.

Everything here is data copied from the standards (units: µg/m³, CO in mg/m³). The engine in
:mod:`hazeguard.aqi.exact` compiles these tables into scaled-integer lookup tables once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from hazeguard.vocabulary import CHINA_ZONE_NAME

HJ633_2012: Final = "HJ633-2012"
HJ633_2026: Final = "HJ633-2026"
STANDARDS: Final = (HJ633_2012, HJ633_2026)
#: Used when neither a standard nor a time is given: the standard in force since 2026-03-01.
DEFAULT_STANDARD: Final = HJ633_2026
#: HJ 633-2026 foreword: in force from 2026-03-01, when HJ 633-2012 is withdrawn (local time).
HJ633_2026_IN_FORCE: Final = pd.Timestamp("2026-03-01 00:00", tz=CHINA_ZONE_NAME)
LOCAL_TIME_ZONE: Final = CHINA_ZONE_NAME

#: The indicators (评价项目): pollutant plus averaging time. Units µg/m³, CO in mg/m³.
INDICATORS: Final = (
    "pm25_24h",
    "pm10_24h",
    "so2_24h",
    "no2_24h",
    "co_24h",
    "o3_1h",
    "o3_8h",
    "so2_1h",
    "no2_1h",
    "co_1h",
    "pm25_1h",
    "pm10_1h",
)

MODES: Final = ("daily", "realtime", "realtime-2012")

#: What to do above the top breakpoint of a column.
#: "cap": IAQI 500 and flagged above scale (not specified by either standard; documented policy);
#: "na": no sub-index (2012 notes 2 and 3: another average is reported instead);
#: "top": the IAQI of the top breakpoint (2026 notes b and c: 200 for SO2 1 h, 300 for O3 8 h).
AboveTop = Literal["cap", "na", "top"]

_IAQI_ROWS: Final = (0, 50, 100, 150, 200, 300, 400, 500)


@dataclass(frozen=True)
class Breakpoints:
    """One column of the IAQI table: concentration limits and the IAQI at each.

    Attributes
    ----------
    indicator : str
        Indicator name, one of :data:`INDICATORS`.
    concentrations : tuple of int
        BP_Lo/BP_Hi limits, ascending, starting at 0. [µg/m³; CO mg/m³]
    iaqi : tuple of int
        The IAQI at each limit. [-]
    above_top : {"cap", "na", "top"}
        Rule for a concentration above the last limit.
    clause : str
        Where the column comes from.
    """

    indicator: str
    concentrations: tuple[int, ...]
    iaqi: tuple[int, ...]
    above_top: AboveTop
    clause: str

    @property
    def top(self) -> int:
        """The last concentration limit. [µg/m³; CO mg/m³]"""
        return self.concentrations[-1]


def _column(
    indicator: str, limits: tuple[int, ...], clause: str, above_top: AboveTop = "cap"
) -> Breakpoints:
    return Breakpoints(indicator, limits, _IAQI_ROWS[: len(limits)], above_top, clause)


# HJ 633-2012 Table 1 (表1 空气质量分指数及对应的污染物项目浓度限值).
_T2012 = "HJ 633-2012 Table 1"
_SO2_24H = (0, 50, 150, 475, 800, 1600, 2100, 2620)  # 2620, not the 2602 of some JS copies
_NO2_24H = (0, 40, 80, 180, 280, 565, 750, 940)
_CO_24H = (0, 2, 4, 14, 24, 36, 48, 60)
_O3_1H = (0, 160, 200, 300, 400, 800, 1000, 1200)
_SO2_1H = (0, 150, 500, 650, 800)  # no sub-index above 800 (note 2 / 2026 note b)
_NO2_1H = (0, 100, 200, 700, 1200, 2340, 3090, 3840)
_CO_1H = (0, 5, 10, 35, 60, 90, 120, 150)
_O3_8H = (0, 100, 160, 215, 265, 800)  # no sub-index above 800 (note 3 / 2026 note c)
_PM25_2012 = (0, 35, 75, 115, 150, 250, 350, 500)
_PM10_2012 = (0, 50, 150, 250, 350, 420, 500, 600)
# HJ 633-2026 Table 3: only the PM columns change (IAQI 100 = GB 3095-2026 transitional limits).
_T2026 = "HJ 633-2026 Table 3"
_PM25_2026 = (0, 35, 60, 115, 150, 250, 350, 500)  # 35 at IAQI 50, not the 30 of the 2025 draft
_PM10_2026 = (0, 50, 120, 250, 350, 420, 500, 600)
# PM 1 h means are indexed on the daily-mean columns: HJ 633-2026 §4.2.3 ("取表3中日平均的高位值/
# 低位值"), and CNEMC practice since 2014 under HJ 633-2012 (reference §2.5).
_PM_1H = "on the PM daily-mean column (HJ 633-2026 §4.2.3; CNEMC practice since 2014)"


def _shared_columns(clause: str, rule_2012: bool) -> dict[str, Breakpoints]:
    rule: AboveTop = "na" if rule_2012 else "top"
    so2_note = "note 2" if rule_2012 else "note b"
    o3_note = "note 3" if rule_2012 else "note c"
    return {
        "so2_24h": _column("so2_24h", _SO2_24H, clause),
        "no2_24h": _column("no2_24h", _NO2_24H, clause),
        "co_24h": _column("co_24h", _CO_24H, clause),
        "o3_1h": _column("o3_1h", _O3_1H, clause),
        "so2_1h": _column("so2_1h", _SO2_1H, f"{clause}, {so2_note}", rule),
        "no2_1h": _column("no2_1h", _NO2_1H, clause),
        "co_1h": _column("co_1h", _CO_1H, clause),
        "o3_8h": _column("o3_8h", _O3_8H, f"{clause}, {o3_note}", rule),
    }


def _pm_columns(
    clause: str, pm25: tuple[int, ...], pm10: tuple[int, ...]
) -> dict[str, Breakpoints]:
    return {
        "pm25_24h": _column("pm25_24h", pm25, clause),
        "pm10_24h": _column("pm10_24h", pm10, clause),
        "pm25_1h": _column("pm25_1h", pm25, f"{clause} {_PM_1H}"),
        "pm10_1h": _column("pm10_1h", pm10, f"{clause} {_PM_1H}"),
    }


TABLES: Final[dict[str, dict[str, Breakpoints]]] = {
    HJ633_2012: {
        **_shared_columns(_T2012, rule_2012=True),
        **_pm_columns(_T2012, _PM25_2012, _PM10_2012),
    },
    HJ633_2026: {
        **_shared_columns(_T2026, rule_2012=False),
        **_pm_columns(_T2026, _PM25_2026, _PM10_2026),
    },
}

_DAILY_2026 = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h")
_REALTIME = ("so2_1h", "no2_1h", "co_1h", "o3_1h", "pm10_1h", "pm25_1h")
#: The indicators whose sub-indices make up the AQI, per report mode and standard.
MODE_INDICATORS: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    # HJ 633-2012 §5.1.2 and Table 3: seven sub-indices, O3 daily-max 1 h included.
    ("daily", HJ633_2012): (*_DAILY_2026[:5], "o3_1h", "o3_8h"),
    # HJ 633-2026 §4.2.2: six, O3 by its daily-maximum 8 h mean only.
    ("daily", HJ633_2026): _DAILY_2026,
    # HJ 633-2026 §4.2.3 and CNEMC practice since 2014: the six current 1 h means.
    ("realtime", HJ633_2012): _REALTIME,
    ("realtime", HJ633_2026): _REALTIME,
    # HJ 633-2012 §5.1.3 and Table 4: PM by 24 h moving means, O3 by 1 h and 8 h moving means.
    ("realtime-2012", HJ633_2012): (*_REALTIME[:4], "o3_8h", "pm10_24h", "pm25_24h"),
}

#: Under HJ 633-2012, an indicator without a sub-index by rule is reported with another one's.
SUBSTITUTES: Final[dict[str, dict[str, str]]] = {
    HJ633_2012: {
        "so2_1h": "so2_24h",  # Table 1 note 2: SO2 1 h > 800 → the 24 h sub-index
        "o3_8h": "o3_1h",  # Table 1 note 3: O3 8 h > 800 → the 1 h sub-index
    },
    HJ633_2026: {},
}


def check_standard(standard: str) -> str:
    """Return ``standard`` if known, else raise ValueError listing the known ones."""
    if standard not in TABLES:
        raise ValueError(f"unknown standard {standard!r}; expected one of {', '.join(STANDARDS)}")
    return standard


def breakpoints(indicator: str, standard: str = DEFAULT_STANDARD) -> Breakpoints:
    """The IAQI table column of one indicator under one standard."""
    columns = TABLES[check_standard(standard)]
    if indicator not in columns:
        known = ", ".join(INDICATORS)
        raise ValueError(f"unknown indicator {indicator!r}; expected one of {known}")
    return columns[indicator]


def mode_indicators(mode: str, standard: str) -> tuple[str, ...]:
    """The indicators whose sub-indices make up the AQI in ``mode`` under ``standard``."""
    check_standard(standard)
    if mode not in MODES:
        raise ValueError(f"unknown report mode {mode!r}; expected one of {', '.join(MODES)}")
    key = (mode, standard)
    if key not in MODE_INDICATORS:
        raise ValueError(f"report mode {mode!r} exists only under {HJ633_2012}, not {standard}")
    return MODE_INDICATORS[key]


def in_force_2026(times: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Whether HJ 633-2026 applies at each time (from 2026-03-01 00:00 Asia/Shanghai).

    Naive times are read as local time in Asia/Shanghai; aware times are converted.
    The time is compared as given: label a report by the day or hour it describes.
    """
    stamps = pd.DatetimeIndex(pd.to_datetime(times))
    if stamps.hasnans:
        position = int(np.flatnonzero(stamps.isna())[0])
        raise ValueError(f"time at position {position} is missing: cannot choose the standard")
    if stamps.tz is None:
        stamps = stamps.tz_localize(LOCAL_TIME_ZONE, ambiguous="raise", nonexistent="raise")
    return np.asarray(stamps >= HJ633_2026_IN_FORCE)


def standard_at(time: str | datetime.date | np.datetime64) -> str:
    """The standard in force at ``time`` (a date, datetime or ISO string; naive = Asia/Shanghai)."""
    stamp = pd.Timestamp(time)
    return HJ633_2026 if bool(in_force_2026(pd.DatetimeIndex([stamp]))[0]) else HJ633_2012
