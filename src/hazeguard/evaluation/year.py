"""The year's warnings against the plan's criteria on what was observed: hits, misses, false alarms.

The plan's engine is replayed on the observed daily AQI with a perfect forecast (as
``hazeguard warn replay``): what the plan called for, given what happened. Seen from the office,
each real warning of the year is a *hit* (a replayed episode overlaps it, one day of slack, see
:mod:`hazeguard.warnings.compare`), flagged *late* when it began after the replayed episode's
first day and *low* when its level is below the replayed one; a real warning no replayed episode
overlaps is a *false alarm* (the criteria were not met on the observed data). A replayed episode
no real warning matches is a *miss*: an upper bound, as the history lacks many blue and yellow
warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hazeguard.warnings.compare import RealWarning, compare, episodes, read_history
from hazeguard.warnings.forecast import DailyForecast
from hazeguard.warnings.replay import replay
from hazeguard.warnings.rules import WarningRules, rank
from hazeguard.warnings.schedule import schedule_for

FALSE = "false alarm"


@dataclass(frozen=True)
class YearRow:
    """One real warning of the year, or one extra replayed episode (``real_level`` empty).

    ``verdict`` is ``hit`` (with ``late`` and/or ``low`` added, e.g. ``hit, late``),
    ``false alarm`` or ``miss``. ``lag_days`` is the real warning's first day minus the replayed
    episode's first day (positive: later than the criteria called for). [days]
    ``history_row`` is the real warning's ``RealWarning.row`` (its line in the history file).
    """

    real_level: str
    real_first: date | None
    real_last: date | None
    replayed_level: str
    replayed_first: date | None
    replayed_last: date | None
    verdict: str
    lag_days: int | None
    history_row: int | None = None


@dataclass(frozen=True)
class YearTable:
    """The year's warnings, with the counts an evaluation report states."""

    year: int
    rows: tuple[YearRow, ...]
    undated: int

    def count(self, word: str) -> int:
        """Rows whose verdict holds ``word``: hit, late, low, false alarm or miss."""
        return sum(1 for row in self.rows if word in row.verdict.split(", "))


def year_table(
    plan: str, observed: DailyForecast, history_path: str | Path, city: str, year: int
) -> YearTable:
    """Real warnings of ``city`` in ``year`` against the replay of ``plan`` on ``observed``.

    Parameters
    ----------
    plan
        Plan ID or jurisdiction code (the plan in force on each date), as ``warn replay``.
    observed
        Observed daily AQI (``read_daily(path, history=True)``).
    history_path, city
        The warning history and its city.
    year
        The calendar year to report.

    Raises
    ------
    ValueError
        When the observed data do not reach into ``year``.
    """
    real, undated = read_history(history_path, city)
    return classify(schedule_for(plan), observed, real, year, undated)


def classify(
    plan_for: Callable[[date], WarningRules | None],
    observed: DailyForecast,
    real: Sequence[RealWarning],
    year: int,
    undated: int = 0,
) -> YearTable:
    """Real warnings (those beginning in ``year``) against the replay of the plan in force on
    each day (``plan_for``, e.g. a :class:`~hazeguard.warnings.schedule.Schedule`) on
    ``observed``: the classification :func:`year_table` reads from files, for callers that hold
    the warnings themselves (the platform). ``undated`` counts warnings without dates.

    Raises
    ------
    ValueError
        When the observed data do not reach into ``year``.
    """
    first, last = (
        max(observed.dates[0], date(year, 1, 1)),
        min(observed.dates[-1], date(year, 12, 31)),
    )
    if first > last:
        raise ValueError(
            f"the observed data run {observed.dates[0]} … {observed.dates[-1]}, not into {year}"
        )
    replayed = [e for e in episodes(replay(plan_for, observed)) if e.first.year == year]
    in_year = [w for w in real if w.first.year == year]
    result = compare(in_year, replayed, (first, last), undated)
    rows = []
    for warning, episode in result.pairs:
        if episode is None:
            rows.append(
                YearRow(
                    warning.level,
                    warning.first,
                    warning.last,
                    "",
                    None,
                    None,
                    FALSE,
                    None,
                    warning.row,
                )
            )
            continue
        lag = (warning.first - episode.first).days
        flags = (
            ["hit"] + ["late"] * (lag > 0) + ["low"] * (rank(warning.level) < rank(episode.level))
        )
        rows.append(
            YearRow(
                warning.level, warning.first, warning.last,
                episode.level, episode.first, episode.last,
                ", ".join(flags), lag, warning.row,
            )
        )  # fmt: skip
    rows += [YearRow("", None, None, e.level, e.first, e.last, "miss", None) for e in result.extras]
    return YearTable(year, tuple(rows), undated)
