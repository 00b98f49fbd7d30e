"""Working days on the Chinese calendar: weekends, public holidays and adjusted working days.

A day is a working day (工作日) when it is Monday to Friday and not a public holiday (放假), or
when it is a weekend day that the year's notice makes a working day (调休上班). Dates in a year
that the shipped table does not cover raise :class:`UnknownYearError`: a deadline is never
computed from a guessed calendar.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hazeguard.workdays.calendar_data import DATA_FILE, YearNotice, read_calendar_data

ONE_DAY = dt.timedelta(days=1)


class UnknownYearError(LookupError):
    """The date falls in a year whose holiday notice is not in the table."""


class WorkingCalendar:
    """The working-day calendar of the years in a holiday table.

    Parameters
    ----------
    years
        One :class:`YearNotice` per covered year; the covered years must be consecutive.
    """

    def __init__(self, years: dict[int, YearNotice]) -> None:
        if not years:
            raise ValueError("a working calendar needs at least one year")
        first, last = min(years), max(years)
        missing = sorted(set(range(first, last + 1)) - set(years))
        if missing:
            raise ValueError(f"the holiday table skips year(s) {missing}")
        self.years = dict(sorted(years.items()))
        self.first_year, self.last_year = first, last
        self._holidays = {d: n for y in years.values() for d, n in y.holidays.items()}
        self._working = {d: n for y in years.values() for d, n in y.working_days.items()}
        self._holiday_array = np.array(sorted(self._holidays), dtype="datetime64[D]")
        self._working_array = np.array(sorted(self._working), dtype="datetime64[D]")

    def _check(self, day: dt.date) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise UnknownYearError(
                f"{day}: no State Council holiday notice for {day.year} in the table "
                f"(known years {self.first_year}-{self.last_year}); add that year's notice to "
                f"{DATA_FILE.name} before counting working days in it"
            )

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (工作日)."""
        self._check(day)
        if day in self._working:
            return True
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: dt.date) -> str | None:
        """The festival's Chinese name if ``day`` is a public holiday (放假), else ``None``."""
        self._check(day)
        return self._holidays.get(day)

    def notice_for(self, day: dt.date) -> YearNotice:
        """The notice that sets the arrangement of ``day``'s year."""
        self._check(day)
        return self.years[day.year]

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (before it if ``count`` < 0).

        ``start`` itself is not counted, so ``add_working_days(friday, 1)`` is the next Monday
        (when that is a working day); ``count`` = 0 returns ``start``.
        """
        day, step, left = start, (ONE_DAY if count >= 0 else -ONE_DAY), abs(count)
        self._check(day)
        while left:
            day += step
            left -= self.is_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` [days]; negative if end < start.

        The inverse of :meth:`add_working_days`: for a working day ``end``,
        ``add_working_days(start, working_days_between(start, end)) == end``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        self._check(start)
        self._check(end)
        first = np.datetime64(start + ONE_DAY, "D")
        days = np.arange(first, np.datetime64(end + ONE_DAY, "D"))
        return int(self.working_day_mask(days).sum())

    def working_day_mask(self, days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
        """Vectorised :meth:`is_working_day` over an array of ``datetime64[D]`` dates."""
        days = np.asarray(days, dtype="datetime64[D]")
        if days.size:
            for edge in (days.min(), days.max()):
                self._check(edge.astype(dt.date))
        weekday = np.is_busday(days, weekmask="1111100", holidays=self._holiday_array)
        return np.asarray(weekday | np.isin(days, self._working_array), dtype=np.bool_)


@lru_cache(maxsize=4)
def load_calendar(path: Path = DATA_FILE) -> WorkingCalendar:
    """The working calendar from a holiday table (default: the shipped ``holidays.yaml``)."""
    return WorkingCalendar(read_calendar_data(path))


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day on the shipped calendar."""
    return load_calendar().is_working_day(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` on the shipped calendar."""
    return load_calendar().add_working_days(start, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] on the shipped calendar [days]."""
    return load_calendar().working_days_between(start, end)
