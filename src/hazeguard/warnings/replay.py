"""Replay: operate a plan day by day over a daily history, with the next days as perfect forecast.

Each day *d*, at the decision time (``decide_at``, local), the engine sees the observed values of
the days up to *d* and, as its forecast, the true values of days *d+1 … d+horizon*. It then takes
the same lifecycle step as :func:`~hazeguard.warnings.decide` (the assessment is vectorised over
all days, the steps run in order), and every warning period becomes one row:
``episode, level, issued_at, start, end, reason``. An upgrade or downgrade closes one row and opens
the next of the same episode; a lifting closes the last.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hazeguard.warnings.assess import Assessment, assess
from hazeguard.warnings.criteria import BoolArray, FloatArray, Series, leaves, pollutant_mask
from hazeguard.warnings.dust import dust_mask
from hazeguard.warnings.episodes import steps_for
from hazeguard.warnings.forecast import DailyForecast
from hazeguard.warnings.lifecycle import Step, effective_from, next_step
from hazeguard.warnings.rules import LEVEL_ORDER, WarningRules, rank

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Period:
    """One row of a replay: a warning level held from ``start`` to ``end`` within an episode.

    ``end`` is None when the history ends with the warning still in force.
    """

    episode: int
    level: str
    issued_at: datetime
    start: datetime
    end: datetime | None
    reason: str
    plan_id: str

    def row(self) -> dict[str, str]:
        """The CSV row (times as ISO text, local)."""
        return {
            "episode": str(self.episode),
            "level": self.level,
            "issued_at": self.issued_at.isoformat(timespec="minutes"),
            "start": self.start.isoformat(timespec="minutes"),
            "end": "" if self.end is None else self.end.isoformat(timespec="minutes"),
            "reason": self.reason,
            "plan": self.plan_id,
        }


COLUMNS = ("episode", "level", "issued_at", "start", "end", "reason", "plan")


def lookback_days(rules: WarningRules) -> int:
    """Observed days the engine looks back: the longest criterion plus the merging gap. [days]"""
    longest = max(leaf.days for level in rules.levels for c in level.criteria for leaf in leaves(c))
    return longest + steps_for(rules.merging_gap_hours, 24.0)


def windows(values: FloatArray | BoolArray, start: int, length: int, fill: object) -> FloatArray:
    """Row *d* holds ``values[d + start : d + start + length]``, padded with ``fill``. [index]"""
    padded = np.concatenate(
        [np.full(length, fill, dtype=values.dtype), values, np.full(length, fill, values.dtype)]
    )
    view = sliding_window_view(padded, length)
    first = length + start
    return np.asarray(view[first : first + len(values)])


def assess_history(
    rules: WarningRules, history: DailyForecast, horizon: int, rows: slice
) -> Assessment:
    """Assess every decision day in ``rows`` of ``history`` at once (perfect forecast)."""
    values = history.aqi(rules.range_bound)
    flagged, inferred = dust_mask(history, rules.dust_ratio, rules.pollution_threshold)
    excluded = flagged | inferred
    values = np.where(excluded, np.nan, values)
    back = lookback_days(rules)
    forecast = windows(values, 1, horizon, np.nan)[rows]
    forecast_excluded = windows(excluded, 1, horizon, False)[rows]
    observed = windows(values, 1 - back, back, np.nan)[rows]
    observed_excluded = windows(excluded, 1 - back, back, False)[rows]
    return assess(
        rules,
        Series(forecast, (), 1, _masks(history, 1, horizon, rows)),
        forecast_excluded.astype(bool),
        Series(observed, (), 1, _masks(history, 1 - back, back, rows)),
        observed_excluded.astype(bool),
    )


def _masks(
    history: DailyForecast, start: int, length: int, rows: slice
) -> dict[str, BoolArray] | None:
    """Primary-pollutant masks per decision day, or None when the history has no pollutants."""
    if not history.primary:
        return None
    return {
        pollutant: windows(pollutant_mask(history.primary, pollutant), start, length, False)[
            rows
        ].astype(bool)
        for pollutant in ("PM2.5", "O3", "PM10")
    }


def replay(
    plan_for: Callable[[date], WarningRules | None],
    history: DailyForecast,
    *,
    horizon: int = 3,
    decide_at: time = time(16, 0),
    trace: list[tuple[datetime, Step]] | None = None,
) -> list[Period]:
    """Replay the plan in force on each day over ``history``; returns the warning periods.

    Parameters
    ----------
    plan_for
        The rules in force on a day (None: no plan; any warning in force is then lifted).
    history
        Observed daily AQI, consecutive days (gaps as NaN rows).
    horizon
        Days of perfect forecast seen at each decision. [days]
    decide_at
        Local time of the daily decision.
    trace
        When given, every day's decision time and lifecycle step is appended to it.
    """
    if horizon < 1:
        raise ValueError("the horizon is at least 1 day")
    segments = _segments(plan_for, history.dates)
    periods: list[Period] = []
    state = _State()
    for rules, rows in segments:
        if rules is None:
            state.close_all(periods, datetime.combine(history.dates[rows.start], time()), "no plan")
            continue
        found = assess_history(rules, history, horizon, rows)
        gap = steps_for(rules.lifting_hours, 24.0)
        lowest = rank(rules.levels[0].name)
        forecast_rank = found.forecast_rank.tolist()
        observed_rank = found.observed_rank.tolist()
        quiet = found.leading_quiet.tolist()
        onsets = found.episode_start.tolist()
        for offset, day in enumerate(range(rows.start, rows.stop)):
            idle = state.rank == 0 and max(forecast_rank[offset], observed_rank[offset]) < lowest
            if idle and trace is None:
                # Nothing in force and no warning level met: the step is "none" (or an advisory
                # notice, which opens no period). Most days take this shortcut.
                continue
            at = datetime.combine(history.dates[day], decide_at)
            step = next_step(
                current=state.rank,
                forecast=forecast_rank[offset],
                observed=observed_rank[offset],
                floor=0,
                lowest=lowest,
                leading_quiet=quiet[offset],
                horizon=min(horizon, len(history) - day - 1),
                gap=gap,
            )
            tomorrow = datetime.combine(history.dates[day], time()) + DAY
            onset = tomorrow + onsets[offset] * DAY
            state.apply(periods, step, at, onset, tomorrow, rules)
            if trace is not None:
                trace.append((at, step))
    state.finish(periods)
    return periods


def _segments(
    plan_for: Callable[[date], WarningRules | None], dates: Sequence[date]
) -> list[tuple[WarningRules | None, slice]]:
    """Consecutive runs of days under the same plan."""
    result: list[tuple[WarningRules | None, slice]] = []
    start = 0
    current = plan_for(dates[0]) if dates else None
    for index in range(1, len(dates) + 1):
        following = plan_for(dates[index]) if index < len(dates) else None
        if index == len(dates) or following is not current:
            result.append((current, slice(start, index)))
            start, current = index, following
    return result


class _State:
    """The warning in force during a replay, and the row it is writing."""

    def __init__(self) -> None:
        self.rank = 0
        self.episode = 0
        self.open: Period | None = None

    def close_all(self, periods: list[Period], when: datetime, reason: str) -> None:
        if self.open is not None:
            periods.append(_ended(self.open, when, reason))
        self.open, self.rank = None, 0

    def apply(
        self,
        periods: list[Period],
        step: Step,
        at: datetime,
        onset: datetime,
        tomorrow: datetime,
        rules: WarningRules,
    ) -> None:
        if step.action in ("none", "keep") or step.rank < rank(rules.levels[0].name):
            if step.action == "lift":
                self.close_all(periods, max(at, tomorrow), "lift")
            return
        if step.action == "issue":
            self.episode += 1
        start = effective_from(
            step,
            at=at,
            onset=onset,
            first_period=tomorrow,
        )
        assert start is not None  # issue, upgrade and downgrade always have a start
        if self.open is not None:
            periods.append(_ended(self.open, start, step.action))
        self.open = Period(
            self.episode,
            LEVEL_ORDER[step.rank],
            at,
            start,
            None,
            f"{step.action} ({step.driver})",
            rules.plan_id,
        )
        self.rank = step.rank

    def finish(self, periods: list[Period]) -> None:
        if self.open is not None:
            periods.append(self.open)
        self.open = None


def _ended(period: Period, when: datetime, reason: str) -> Period:
    return Period(
        period.episode,
        period.level,
        period.issued_at,
        period.start,
        max(when, period.start),
        f"{period.reason}; ended by {reason}",
        period.plan_id,
    )


def write_periods(periods: Sequence[Period], path: str | Path) -> None:
    """Write replay rows as CSV (``episode, level, issued_at, start, end, reason, plan``)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for period in periods:
            writer.writerow(period.row())


def read_periods(path: str | Path) -> list[Period]:
    """Read rows written by :func:`write_periods`."""
    periods = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            periods.append(
                Period(
                    int(row["episode"]),
                    row["level"],
                    datetime.fromisoformat(row["issued_at"]),
                    datetime.fromisoformat(row["start"]),
                    datetime.fromisoformat(row["end"]) if row["end"] else None,
                    row["reason"],
                    row.get("plan", ""),
                )
            )
    return periods
