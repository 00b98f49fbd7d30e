"""The shipped table of China's public holidays and adjusted working days, read and checked.

The table (``holidays.yaml`` beside this module) has one entry per year with the State Council
General Office's notice (``notice``, ``source``, ``amended_by``) and the dates it sets:
``holidays`` (放假) and ``working_days`` (调休上班, a Saturday or Sunday that is worked), each
grouped by festival name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).with_name("holidays.yaml")
_YEAR_KEYS = {"notice", "source", "amended_by", "holidays", "working_days"}


class CalendarDataError(ValueError):
    """The holiday table is malformed; the message names the file, year and key."""


@dataclass(frozen=True)
class YearNotice:
    """One year's holiday arrangement (节假日安排) as the State Council's notice sets it.

    ``holidays`` and ``working_days`` map a date to its festival's Chinese name.
    """

    year: int
    notice: str
    source: str | None
    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    working_days: Mapping[dt.date, str] = field(default_factory=dict)
    amended_by: tuple[str, ...] = ()


def read_calendar_data(path: Path = DATA_FILE) -> dict[int, YearNotice]:
    """Read and check a holiday table; raise :class:`CalendarDataError` naming file/year/key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date like 2030-02-31
        raise CalendarDataError(f"{path}: not a readable table: {error}") from error
    if not isinstance(raw, dict) or not raw:
        raise CalendarDataError(f"{path}: expected a mapping of year -> notice")
    years: dict[int, YearNotice] = {}
    for year, entry in raw.items():
        where = f"{path}: year {year}"
        if not isinstance(year, int):
            raise CalendarDataError(f"{where}: the key must be a year number")
        if not isinstance(entry, dict):
            raise CalendarDataError(f"{where}: expected a mapping")
        unknown = set(entry) - _YEAR_KEYS
        if unknown:
            raise CalendarDataError(f"{where}: unknown key(s) {sorted(unknown)}")
        notice = entry.get("notice")
        if not isinstance(notice, str) or not notice:
            raise CalendarDataError(f"{where}: 'notice' (the notice number 文号) is required")
        holidays = _dates(entry.get("holidays"), year, f"{where}, holidays")
        working = _dates(entry.get("working_days"), year, f"{where}, working_days")
        both = sorted(set(holidays) & set(working))
        if both:
            raise CalendarDataError(f"{where}: {both[0]} is both a holiday and a working day")
        weekday = sorted(day for day in working if day.weekday() < 5)
        if weekday:
            # An adjusted working day (调休上班) is always a Saturday or Sunday.
            raise CalendarDataError(f"{where}, working_days: {weekday[0]} is not a weekend day")
        amendments = tuple(
            str(item.get("title", "")) if isinstance(item, dict) else str(item)
            for item in entry.get("amended_by") or ()
        )
        source = entry.get("source")
        years[year] = YearNotice(
            year, notice, None if source is None else str(source), holidays, working, amendments
        )
    return years


def _dates(section: Any, year: int, where: str) -> dict[dt.date, str]:
    """Flatten ``{festival: [date, ...]}`` into ``{date: festival}``, checking each date's year."""
    if section is None or section == {}:
        return {}
    if not isinstance(section, dict):
        raise CalendarDataError(f"{where}: expected a mapping of festival -> list of dates")
    out: dict[dt.date, str] = {}
    for name, days in section.items():
        if not isinstance(days, list):
            raise CalendarDataError(f"{where}, {name}: expected a list of dates")
        for day in days:
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise CalendarDataError(f"{where}, {name}: {day!r} is not a YYYY-MM-DD date")
            if day.year != year:
                raise CalendarDataError(f"{where}, {name}: {day} is not in {year}")
            if day in out:
                raise CalendarDataError(f"{where}, {name}: {day} is listed twice")
            out[day] = str(name)
    return out
