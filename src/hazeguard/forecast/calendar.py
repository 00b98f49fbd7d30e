"""Calendar features of a target day: season, weekday, working day, Spring Festival.

The Spring Festival (春节) matters twice to air quality: fireworks on its eve and first days
raise PM2.5 sharply, and the week-long holiday idles industry and traffic. Its Gregorian date
moves with the lunar calendar, so it is a table here; the holiday weeks and working days come
from the State Council notices in :mod:`hazeguard.workdays`.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from hazeguard.workdays.working import load_calendar

#: First day of the lunar year (正月初一), 2010-2035, from the Hong Kong Observatory's
#: Gregorian-Lunar calendar conversion tables (https://www.hko.gov.hk/en/gts/time/conversion.htm);
#: tests check each against the 春节 holiday weeks of ``workdays/holidays.yaml``.
SPRING_FESTIVAL: Final = pd.DatetimeIndex(
    [
        "2010-02-14",
        "2011-02-03",
        "2012-01-23",
        "2013-02-10",
        "2014-01-31",
        "2015-02-19",
        "2016-02-08",
        "2017-01-28",
        "2018-02-16",
        "2019-02-05",
        "2020-01-25",
        "2021-02-12",
        "2022-02-01",
        "2023-01-22",
        "2024-02-10",
        "2025-01-29",
        "2026-02-17",
        "2027-02-06",
        "2028-01-26",
        "2029-02-13",
        "2030-02-03",
        "2031-01-23",
        "2032-02-11",
        "2033-01-31",
        "2034-02-19",
        "2035-02-08",
    ]
)
#: Days from the Spring Festival beyond which the festival is taken to have no effect. [days]
FESTIVAL_REACH: Final = 20
CALENDAR_FEATURES: Final = (
    "day_of_year_sin",
    "day_of_year_cos",
    "month",
    "weekday",
    "working_day",
    "days_from_spring_festival",
)


def days_from_spring_festival(days: pd.DatetimeIndex) -> np.ndarray:
    """Signed days from the nearest Spring Festival, clipped to ±:data:`FESTIVAL_REACH`. [days]

    NaN outside the years of :data:`SPRING_FESTIVAL`.
    """
    festival = SPRING_FESTIVAL.to_numpy().astype("datetime64[D]")
    values = days.to_numpy().astype("datetime64[D]")
    position = np.clip(np.searchsorted(festival, values), 1, len(festival) - 1)
    before = (values - festival[position - 1]).astype(np.float64)
    after = (values - festival[position]).astype(np.float64)
    nearest = np.where(np.abs(before) <= np.abs(after), before, after)
    inside = (values >= festival[0] - 40) & (values <= festival[-1] + 40)
    return np.where(inside, np.clip(nearest, -FESTIVAL_REACH, FESTIVAL_REACH), np.nan)


def working_days(days: pd.DatetimeIndex) -> np.ndarray:
    """1.0 on working days (State Council calendar where known, Monday-Friday otherwise)."""
    calendar = load_calendar()
    values = days.to_numpy().astype("datetime64[D]")
    weekday = pd.DatetimeIndex(days).day_of_week.to_numpy() < 5
    years = pd.DatetimeIndex(days).year.to_numpy()
    known = (years >= calendar.first_year) & (years <= calendar.last_year)
    result = weekday.astype(np.float64)
    if known.any():
        result[known] = calendar.working_day_mask(values[known]).astype(np.float64)
    return result


def calendar_features(days: pd.DatetimeIndex) -> pd.DataFrame:
    """The :data:`CALENDAR_FEATURES` of each day (season as the day of the year on a circle)."""
    index = pd.DatetimeIndex(days)
    angle = 2.0 * np.pi * (index.day_of_year.to_numpy() - 1) / 365.25
    return pd.DataFrame(
        {
            "day_of_year_sin": np.sin(angle),
            "day_of_year_cos": np.cos(angle),
            "month": index.month.to_numpy().astype(np.float64),
            "weekday": index.day_of_week.to_numpy().astype(np.float64),
            "working_day": working_days(index),
            "days_from_spring_festival": days_from_spring_festival(index),
        },
        index=index,
    )
