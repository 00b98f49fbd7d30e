"""``hazeguard workdays``: working days on the Chinese calendar (holidays and 调休).

Deadlines such as "within 5 working days" (seed 003) are counted with these; the dates come
from the State Council's yearly notices shipped in ``hazeguard/workdays/holidays.yaml``. A
date in a year the table does not cover stops with an error naming the year (exit code 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import click

from hazeguard.workdays import UnknownYearError, WorkingCalendar, load_calendar

DATE: Final = click.DateTime(["%Y-%m-%d"])
WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class UnknownYear(click.ClickException):
    """A date outside the holiday table: one line on stderr, exit code 2."""

    exit_code = 2


@contextmanager
def _known_years() -> Iterator[WorkingCalendar]:
    try:
        yield load_calendar()
    except UnknownYearError as error:
        raise UnknownYear(str(error)) from None


@click.group()
def workdays() -> None:
    """Working days (工作日): add, count between two dates, check one date."""


# Negative counts ("-3") are numbers, not options.
@workdays.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("start", metavar="DATE", type=DATE)
@click.argument("count", metavar="N", type=int)
def add_command(start: dt.datetime, count: int) -> None:
    """Print the N-th working day after DATE (DATE not counted; N < 0 goes back)."""
    with _known_years() as calendar:
        day = calendar.add_working_days(start.date(), count)
    click.echo(f"{day} {WEEKDAYS[day.weekday()]}")


@workdays.command("between")
@click.argument("start", metavar="A", type=DATE)
@click.argument("end", metavar="B", type=DATE)
def between_command(start: dt.datetime, end: dt.datetime) -> None:
    """Print the number of working days after A up to and including B (negative if B < A)."""
    with _known_years() as calendar:
        click.echo(calendar.working_days_between(start.date(), end.date()))


@workdays.command("check")
@click.argument("day", metavar="DATE", type=DATE)
def check_command(day: dt.datetime) -> None:
    """Print whether DATE is a working day, a public holiday (放假) or an adjusted working day."""
    date = day.date()
    with _known_years() as calendar:
        notice = calendar.notice_for(date)
        holiday = calendar.holiday_name(date)
        working = calendar.is_working_day(date)
    weekday = WEEKDAYS[date.weekday()]
    if holiday is not None:
        text = f"public holiday {holiday} (放假, {notice.notice})"
    elif date in notice.working_days:
        festival = notice.working_days[date]
        text = f"adjusted working day for {festival} (调休上班, {notice.notice})"
    elif working:
        text = "working day"
    else:
        text = "weekend (rest day)"
    click.echo(f"{date} {weekday}: {text}")
