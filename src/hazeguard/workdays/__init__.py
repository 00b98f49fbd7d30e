"""Working days on the Chinese calendar (public holidays and adjusted working days, 调休).

The dates come from the State Council General Office's yearly holiday notices, shipped as
``holidays.yaml``; a date outside the covered years raises :class:`UnknownYearError`.
"""

from hazeguard.workdays.calendar_data import CalendarDataError, YearNotice, read_calendar_data
from hazeguard.workdays.working import (
    UnknownYearError,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    load_calendar,
    working_days_between,
)

__all__ = [
    "CalendarDataError",
    "UnknownYearError",
    "WorkingCalendar",
    "YearNotice",
    "add_working_days",
    "is_working_day",
    "load_calendar",
    "read_calendar_data",
    "working_days_between",
]
