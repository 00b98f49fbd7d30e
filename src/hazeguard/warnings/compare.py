"""Compare replayed warning episodes with the warnings really issued (warning-history.csv).

A real warning is *hit* when a replayed episode overlaps the days it was in force (from its start,
or its issue time, to its end, or one day when the end is unknown), with one day of slack either
side for the hour-level differences between a daily replay and real notices. It is *missed*
otherwise. A replayed episode that matches no real warning is *extra*; the history is incomplete
(many blue and yellow warnings were never found), so extras are an upper bound.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from hazeguard.vocabulary import WARNING_LEVELS
from hazeguard.warnings.replay import Period
from hazeguard.warnings.rules import rank

SLACK = timedelta(days=1)


@dataclass(frozen=True)
class RealWarning:
    """One row of warning-history.csv, reduced to what a comparison needs."""

    row: int
    level: str
    first: date
    last: date
    notes: str


@dataclass(frozen=True)
class Episode:
    """A replayed episode: its first start, last end and highest level."""

    number: int
    first: date
    last: date
    level: str
    plans: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """The outcome: every real warning with its matched episode (or None), and the extras."""

    pairs: tuple[tuple[RealWarning, Episode | None], ...]
    extras: tuple[Episode, ...]
    outside: tuple[RealWarning, ...]
    undated: int

    @property
    def hits(self) -> int:
        """Real warnings matched by a replayed episode."""
        return sum(1 for _, episode in self.pairs if episode is not None)

    @property
    def same_level(self) -> int:
        """Hits whose episode reached the real warning's level exactly."""
        return sum(1 for real, e in self.pairs if e is not None and e.level == real.level)

    @property
    def misses(self) -> int:
        """Real warnings no replayed episode matched."""
        return sum(1 for _, episode in self.pairs if episode is None)


def _moment(text: str) -> datetime | None:
    text = text.strip()
    return datetime.fromisoformat(text).replace(tzinfo=None) if text else None


def _day(text: str) -> date | None:
    moment = _moment(text)
    return None if moment is None else moment.date()


def read_history(path: str | Path, city: str) -> tuple[list[RealWarning], int]:
    """Real warnings of ``city`` (exact match of the ``city`` column), and how many are undated."""
    warnings: list[RealWarning] = []
    undated = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["city"] != city:
                continue
            start = _day(row["start"]) or _day(row["issued_at"])
            end = _moment(row["end"])
            end_day = None
            if end is not None:
                # "24:00" is written as 00:00 of the next day: the warning ended the day before.
                end_day = (end - timedelta(microseconds=1)).date()
            if start is None and end is None:
                undated += 1
                continue
            first = start if start is not None else end_day
            assert first is not None
            last = max(first, end_day) if end_day is not None else first
            warnings.append(RealWarning(number, row["level"], first, last, row["notes"]))
    return warnings, undated


def episodes(periods: Sequence[Period]) -> list[Episode]:
    """Replay rows grouped by episode number."""
    grouped: dict[int, list[Period]] = {}
    for period in periods:
        grouped.setdefault(period.episode, []).append(period)
    result = []
    for number, rows in sorted(grouped.items()):
        first = min(p.start for p in rows).date()
        ends = [p.end for p in rows if p.end is not None]
        last_end = max(ends) if ends else max(p.start for p in rows)
        last = max(first, (last_end - timedelta(microseconds=1)).date())
        level = max((p.level for p in rows), key=rank)
        plans = tuple(dict.fromkeys(p.plan_id for p in rows))
        result.append(Episode(number, first, last, level, plans))
    return result


def compare(
    real: Sequence[RealWarning],
    replayed: Sequence[Episode],
    covered: tuple[date, date],
    undated: int,
) -> Comparison:
    """Match real warnings with replayed episodes over the ``covered`` days of data."""
    inside = [w for w in real if covered[0] <= w.first <= covered[1]]
    outside = tuple(w for w in real if w not in inside)
    pairs = []
    used: set[int] = set()
    for warning in inside:
        match = next(
            (
                e
                for e in replayed
                if e.first - SLACK <= warning.last and warning.first <= e.last + SLACK
            ),
            None,
        )
        if match is not None:
            used.add(match.number)
        pairs.append((warning, match))
    extras = tuple(e for e in replayed if e.number not in used)
    return Comparison(tuple(pairs), extras, outside, undated)


def report(result: Comparison, title: str) -> str:
    """The comparison as Markdown: a summary table, the real warnings one by one, the extras."""
    lines = [f"### {title}", "", "| figure | count |", "|---|---|"]
    lines.append(f"| real warnings with dates inside the data | {len(result.pairs)} |")
    lines.append(f"| hits (a replayed episode overlaps, ±1 day) | {result.hits} |")
    lines.append(f"| of which at the same level | {result.same_level} |")
    lines.append(f"| misses | {result.misses} |")
    lines.append(f"| extra replayed episodes (no real warning found) | {len(result.extras)} |")
    by_level = {
        level: sum(1 for e in result.extras if e.level == level) for level in WARNING_LEVELS
    }
    extra_levels = ", ".join(f"{level} {count}" for level, count in by_level.items() if count)
    lines.append(f"| extras by highest level | {extra_levels or '–'} |")
    lines.append(
        f"| real warnings outside the data / undated | {len(result.outside)} / {result.undated} |"
    )
    lines += [
        "",
        "| history row | real level | real days | replayed episode | replayed level | verdict |",
    ]
    lines.append("|---|---|---|---|---|---|")
    for warning, episode in result.pairs:
        days = f"{warning.first} → {warning.last}"
        if episode is None:
            lines.append(f"| {warning.row} | {warning.level} | {days} | – | – | miss |")
            continue
        verdict = "hit" if episode.level == warning.level else "hit, other level"
        span = f"#{episode.number} {episode.first} → {episode.last}"
        lines.append(
            f"| {warning.row} | {warning.level} | {days} | {span} | {episode.level} | {verdict} |"
        )
    return "\n".join(lines) + "\n"
