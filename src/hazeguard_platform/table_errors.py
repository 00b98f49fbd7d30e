"""The core's table errors (``hazeguard.io.tables.TableError``: what is wrong in a cell) in the
page's language, below the apps, so every upload that reads a table through the core (station
readings, observed weather, the weather bureau's forecast) words them alike:
:func:`table_error_text` frames one (file, row, column), :func:`problem_text` says what is wrong.
Their Chinese is in the monitoring app's catalogue."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from hazeguard.io.tables import TableError

# The core's messages (hazeguard.io.tables, .weather, hazeguard.compliance.meters), in the page's
# language. A message not listed keeps the core's English words; the frame (file, row, column) is
# always translated.
_PROBLEMS: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]] = (
    (re.compile(r"^(?P<cell>.+) is not a number$"), lambda m: _("%(cell)s is not a number")),
    (
        re.compile(r"^(?P<cell>.+) is outside (?P<low>\S+) … (?P<high>\S+) (?P<unit>.*)$"),
        lambda m: _("%(cell)s is outside %(low)s … %(high)s %(unit)s"),
    ),
    (
        re.compile(r"^(?P<cell>.+) is neither degrees nor a compass point.*$"),
        lambda m: _("%(cell)s is neither degrees nor a compass point (N, NNE … NNW)"),
    ),
    (
        re.compile(r"^(?P<cell>.+)° is not a direction.*$"),
        lambda m: _("%(cell)s° is not a direction (0 … 360)"),
    ),
    (
        re.compile(r"^negative value (?P<cell>\S+);.*$"),
        lambda m: _("%(cell)s is negative; this quantity never is"),
    ),
    (
        re.compile(
            r"^duplicate time (?P<cell>.+?)(?: for station '(?P<station>.*)')?; "
            r"first given in (?P<first>.+)$"
        ),
        lambda m: _("the hour %(cell)s is given twice (first: %(first)s)"),
    ),
    (re.compile(r"^no weather column.*$"), lambda m: _("no weather column; see the layout")),
    (re.compile(r"^no such column.*$"), lambda m: _("no such column in the header")),
    (re.compile(r"^time is empty$"), lambda m: _("the time is empty")),
    (
        re.compile(r"^time (?P<cell>.+) is not an ISO 8601 time$"),
        lambda m: _("%(cell)s is not a time (2015-12-01T08:00)"),
    ),
    (re.compile(r"^hour must be 0 … 23$"), lambda m: _("the hour must be 0 … 23")),
    (
        re.compile(r"^(?P<part>\w+) (?P<cell>.+) is not a whole number$"),
        lambda m: _("%(cell)s is not a whole number"),
    ),
    (re.compile(r"^date (?P<cell>.+) does not exist$"), lambda m: _("%(cell)s is not a date")),
    (re.compile(r"^no rows$"), lambda m: _("the file has no rows")),
    (re.compile(r"^no station column$"), lambda m: _("no station column in the header")),
    (re.compile(r"^not a CSV table\b.*$"), lambda m: _("this is not a CSV table")),
    (re.compile(r"^not JSON\b.*$"), lambda m: _("this is not JSON")),
    (
        re.compile(r"^expected a JSON array of objects.*$"),
        lambda m: _("expected a JSON array of objects, one per station-hour"),
    ),
    (
        re.compile(r"^(?P<cell>.+) is not a station of (?P<place>.+)$"),
        lambda m: _("%(cell)s is not a station of %(place)s; register it first"),
    ),
    (
        re.compile(r"^more than (?P<cell>\d+) rows$"),
        lambda m: _("more than %(cell)s rows; split the file"),
    ),
    # hazeguard.compliance.meters, about one meter reading
    (re.compile(r"^negative value (?P<cell>\S+)$"), lambda m: _("%(cell)s is negative")),
    (
        re.compile(r"^time (?P<cell>.+) is not on the (?P<step>\S+) grid$"),
        lambda m: _("%(cell)s is not on the %(step)s interval grid"),
    ),
    (
        re.compile(r"^a second reading for the same meter and interval$"),
        lambda m: _("a second reading for the same meter and interval"),
    ),
)


def problem_text(message: str) -> str:
    """The core's ``message`` about one cell in the active language; a message not listed keeps
    the core's English words."""
    for pattern, text in _PROBLEMS:
        match = pattern.match(message)
        if match:
            return text(match) % {k: v or "" for k, v in match.groupdict().items()}
    return message


def table_error_text(error: TableError, file: str = "") -> str:
    """``error`` as a person reads it, in the page's language: the file (``file``, else the one
    the error names), the row (the header is row 1), the column when one cell is meant, and what
    is wrong there. The one framing of every upload's table errors."""
    where = {
        "file": file or error.path,
        "row": error.row,
        "column": error.column,
        "problem": problem_text(error.message),
    }
    if error.column and error.column != "*":
        return _("%(file)s, row %(row)s, column “%(column)s”: %(problem)s") % where
    return _("%(file)s, row %(row)s: %(problem)s") % where
