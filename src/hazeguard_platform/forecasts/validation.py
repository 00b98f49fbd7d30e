"""One validator for a forecast day, shared by entry, the API and CSV upload (STYLE.md §14)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard_platform.core import ForecastDayValues
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.forecasts.models import Pollutant
from hazeguard_platform.table_errors import table_error_text

CSV_COLUMNS = ("date", "aqi_low", "aqi_high", "primary_pollutant", "dust")
MAX_DAYS = 15
# AQI is capped at 500 by HJ 633-2012 Table 1; a forecast above that is a typing mistake.
AQI_MAX = 500
# Days a forecast may name: wide enough for any real forecast or history, and far enough from
# date.min/date.max that the engine's date arithmetic (lead time, windows) cannot overflow.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# An API client's clock may run a little ahead of the server's: an issue time this far ahead is
# still "now", anything later is refused.
CLOCK_SKEW = timedelta(minutes=5)
# A refused CSV names every bad row; past this many, the rest are counted.
MAX_PROBLEMS_SHOWN = 20
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"0", "false", "no", "n", "否", ""}


class DayInputError(ValueError):
    """A problem with one input of one day: ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _aqi(raw: object, column: str) -> int:
    if isinstance(raw, bool):
        raise DayInputError(column, _("must be a whole number"))
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except ValueError:
        raise DayInputError(column, _("%(cell)r is not a whole number") % {"cell": raw}) from None
    if not 0 <= value <= AQI_MAX:
        raise DayInputError(
            column, _("%(value)s is outside 0–%(max)s") % {"value": value, "max": AQI_MAX}
        )
    return value


def _day(raw: object) -> date:
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw).strip())
        except ValueError:
            raise DayInputError(
                "date", _("%(cell)r is not a date (YYYY-MM-DD)") % {"cell": raw}
            ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DayInputError(
            "date",
            _("%(day)s is outside %(first)s–%(last)s")
            % {"day": day, "first": FIRST_DAY, "last": LAST_DAY},
        )
    return day


def _flag(raw: object, column: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw if raw is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DayInputError(column, _("%(cell)r is not yes/no") % {"cell": raw})


def forecast_day(raw: Mapping[str, object]) -> ForecastDayValues:
    """One forecast day from entry, API or CSV values; ``DayInputError`` names the bad column."""
    day = _day(raw.get("date", raw.get("day")))
    low = _aqi(raw.get("aqi_low"), "aqi_low")
    high = _aqi(raw.get("aqi_high"), "aqi_high")
    if low > high:
        raise DayInputError(
            "aqi_high",
            _("the high bound %(high)s is below the low bound %(low)s")
            % {"high": high, "low": low},
        )
    pollutant = str(raw.get("primary_pollutant") or "").strip()
    if pollutant not in Pollutant.values:
        choices = ", ".join(value for value in Pollutant.values if value)
        raise DayInputError(
            "primary_pollutant",
            _("%(cell)r is not one of %(choices)s") % {"cell": pollutant, "choices": choices},
        )
    dust, typhoon = _flag(raw.get("dust"), "dust"), _flag(raw.get("typhoon"), "typhoon")
    return ForecastDayValues(day, low, high, pollutant, dust, typhoon)


def check_consecutive(days: Sequence[ForecastDayValues]) -> str | None:
    """A message when the days are not 1–15 consecutive days in order, else ``None``."""
    if not days:
        return _("a forecast has at least one day")
    if len(days) > MAX_DAYS:
        return _("a forecast has at most %(max)s days, got %(count)s") % {
            "max": MAX_DAYS,
            "count": len(days),
        }
    for index in range(1, len(days)):
        if days[index].day - days[index - 1].day != timedelta(days=1):
            return _("days must follow one another: %(before)s then %(after)s") % {
                "before": days[index - 1].day,
                "after": days[index].day,
            }
    return None


def check_timely(
    issued_at: datetime, days: Sequence[ForecastDayValues], now: datetime | None = None
) -> None:
    """Refuse a forecast issued in the future or whose days are all past (China dates).

    A forecast is stored once it has been made, and it is stored to decide on the coming days:
    one whose last day is before today cannot inform a decision any more.
    """
    now = now or timezone.now()
    if issued_at > now + CLOCK_SKEW:
        shown = timezone.localtime(issued_at).strftime("%Y-%m-%d %H:%M")
        message = _(
            "The issue time %(time)s is in the future: enter a forecast once it has been made."
        ) % {"time": shown}
        raise InvalidInputError(message, field="issued_at")
    today = timezone.localdate(now)
    if days and days[-1].day < today:
        message = _(
            "Every day of this forecast (%(first)s to %(last)s) is already past: "
            "enter a forecast that covers today or the coming days."
        ) % {"first": days[0].day.isoformat(), "last": days[-1].day.isoformat()}
        raise InvalidInputError(message, field="days")


def days_from_entries(entries: Sequence[Mapping[str, object]]) -> list[ForecastDayValues]:
    """Days entered by hand or through the API; errors name ``days[i].<column>``."""
    days = []
    for index, entry in enumerate(entries):
        try:
            days.append(forecast_day(entry))
        except DayInputError as problem:
            raise InvalidInputError(
                problem.message, field=f"days[{index}].{problem.column}"
            ) from None
    problem_text = check_consecutive(days)
    if problem_text:
        raise InvalidInputError(problem_text, field="days")
    return days


def days_from_csv(text: str, name: str = "forecast.csv") -> list[ForecastDayValues]:
    """Days from CSV text with the header ``date,aqi_low,aqi_high,primary_pollutant,dust`` (and
    optionally ``typhoon``), read by the core's ``hazeguard.io.tables`` like every table a person
    hands in: the same missing marks (empty, ``NA``, ``/``, ``—``: no pollutant, no flag) and
    the same number checks. Blank lines are skipped.

    Errors are ``field="file"``, in the page's language, and name every bad row (the header is
    row 1) and its column.
    """
    from hazeguard.io.tables import ROW, TableError, missing, read_table_text

    try:
        frame = read_table_text(text, name)
        missing_columns = [column for column in CSV_COLUMNS if column not in frame.columns]
        if missing_columns:
            names = ", ".join(missing_columns)
            lacks = _("the header lacks the column(s) %(names)s") % {"names": names}
            raise TableError(name, 1, "*", lacks)
    except TableError as error:
        raise InvalidInputError(table_error_text(error, name), field="file") from None
    columns = [c for c in (*CSV_COLUMNS, "typhoon") if c in frame.columns]
    blank = np.logical_and.reduce([missing(frame, c) for c in columns])
    frame = frame[~blank]
    absent = {column: missing(frame, column) for column in columns}
    days, problems = [], []
    for position, row in enumerate(frame.to_dict("records")):
        cleaned = {c: "" if absent[c][position] else row[c] for c in columns}
        try:
            for column in ("date", "aqi_low", "aqi_high"):
                if cleaned[column] == "":
                    raise DayInputError(column, _("is empty"))
            days.append(forecast_day(cleaned))
        except DayInputError as problem:
            bad = TableError(name, int(row[ROW]), problem.column, problem.message)
            problems.append(table_error_text(bad, name))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(_("and %(count)s more rows") % {"count": len(problems) - len(shown)})
        raise InvalidInputError(_("; ").join(shown), field="file")
    problem_text = check_consecutive(days)
    if problem_text:
        raise InvalidInputError(problem_text, field="file")
    return days


def day_inputs(
    first: date, highs: Sequence[int], *, spread: int = 30, pollutant: str = "PM2.5"
) -> list[dict[str, object]]:
    """The inputs of consecutive forecast days from ``first``, one per upper AQI in ``highs``,
    each with a lower bound ``spread`` below it and no dust: the shape ``forecast_enter`` takes
    (the demo and the tests build their forecasts with it)."""
    return [
        {
            "date": (first + timedelta(days=n)).isoformat(),
            "aqi_low": high - spread,
            "aqi_high": high,
            "primary_pollutant": pollutant,
            "dust": False,
        }
        for n, high in enumerate(highs)
    ]
