"""Replay: the vectorised day-by-day operation agrees with decide(), and writes episodes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest

from hazeguard.plans import load_plan
from hazeguard.warnings import DailyForecast, decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.lifecycle import Step
from hazeguard.warnings.replay import lookback_days, read_periods, replay, write_periods
from hazeguard.warnings.schedule import Schedule, schedule_for

START = date(2016, 11, 1)
# A winter of made-up daily AQI with short, long, merged and separate episodes.
VALUES = [
    80, 120, 210, 230, 90, 60, 250, 260, 280, 310, 320, 330, 240, 150, 250, 260,
    90, 70, 60, 205, 100, 100, 100, 520, 480, 200, 201, 150, 130, 302, 305, 120,
]  # fmt: skip


def history(values: list[float], primary: tuple[str, ...] = ()) -> DailyForecast:
    array = np.array(values, dtype=float)
    return DailyForecast(
        array,
        array,
        primary=primary,
        dates=tuple(START + timedelta(days=k) for k in range(len(values))),
    )


def reference(plan_id: str, series: DailyForecast, horizon: int) -> list[tuple[str, str]]:
    """The same operation, one decide() call per day."""
    rules = rules_from_plan(load_plan(plan_id))
    back = lookback_days(rules)
    level: str | None = None
    steps = []
    for day in range(len(series) - 1):
        stop = min(day + 1 + horizon, len(series))
        forecast = DailyForecast(
            series.aqi_high[day + 1 : stop],
            series.aqi_high[day + 1 : stop],
            primary=series.primary[day + 1 : stop],
            dates=series.dates[day + 1 : stop],
        )
        first = max(0, day + 1 - back)
        observed = DailyForecast(
            series.aqi_high[first : day + 1],
            series.aqi_high[first : day + 1],
            primary=series.primary[first : day + 1],
            dates=series.dates[first : day + 1],
        )
        at = datetime.combine(series.dates[day], time(16))
        decision = decide(load_plan(plan_id), forecast, at=at, current=level, observed=observed)
        steps.append((decision.action, decision.level))
        if decision.action in ("issue", "upgrade", "downgrade") and decision.level != "advisory":
            level = decision.level
        elif decision.action == "lift":
            level = None
    return steps


@pytest.mark.parametrize(
    "plan_id", ["liaocheng-2020", "beijing-2016", "beijing-2013", "dalian-xigang-2023"]
)
@pytest.mark.parametrize("horizon", [2, 3, 5])
def test_the_vectorised_replay_takes_the_same_steps_as_decide_day_by_day(
    plan_id: str, horizon: int
) -> None:
    series = history([float(v) for v in VALUES])
    trace: list[tuple[datetime, Step]] = []
    replay(schedule_for(plan_id), series, horizon=horizon, trace=trace)
    expected = reference(plan_id, series, horizon)
    assert [(step.action, step.level) for _, step in trace][:-1] == expected


def test_replay_honours_primary_pollutants_like_decide() -> None:
    # Xigang: PM2.5-primary days count for "> 200 for 24 h", ozone days only for "> 150 for 2 days".
    pollutants = ("PM2.5", "O3", "O3", "PM2.5+PM10", "")
    primary = tuple(pollutants[k % len(pollutants)] for k in range(len(VALUES)))
    series = history([float(v) for v in VALUES], primary)
    trace: list[tuple[datetime, Step]] = []
    replay(schedule_for("dalian-xigang-2023"), series, horizon=3, trace=trace)
    expected = reference("dalian-xigang-2023", series, 3)
    assert [(step.action, step.level) for _, step in trace][:-1] == expected


def test_a_replay_writes_one_row_per_level_held_and_reads_back(tmp_path: Path) -> None:
    periods = replay(schedule_for("liaocheng-2020"), history([float(v) for v in VALUES]), horizon=3)
    assert {p.level for p in periods} >= {"yellow", "red"}
    first = [p for p in periods if p.episode == 1]
    assert first[0].issued_at < first[0].start
    assert all(p.end is None or p.end >= p.start for p in periods)
    path = tmp_path / "episodes.csv"
    write_periods(periods, path)
    assert path.read_text().splitlines()[0] == "episode,level,issued_at,start,end,reason,plan"
    assert read_periods(path) == periods


def test_an_upgrade_and_a_downgrade_are_rows_of_one_episode() -> None:
    periods = replay(
        schedule_for("liaocheng-2020"),
        history([100, 100, 250, 250, 250, 250, 310, 310, 250, 250, 100, 100, 100]),
        horizon=3,
    )
    assert {p.episode for p in periods} == {1}
    assert [p.level for p in periods][:2] == ["yellow", "orange"]


def test_plans_follow_one_another_by_date() -> None:
    schedule = schedule_for("beijing")
    assert schedule(date(2014, 1, 1)).plan_id == "beijing-2013"  # type: ignore[union-attr]
    assert schedule(date(2016, 12, 1)).plan_id == "beijing-2016"  # type: ignore[union-attr]
    assert schedule(date(2013, 1, 1)) is None


def test_no_warning_is_issued_on_days_without_a_plan() -> None:
    rules = rules_from_plan(load_plan("liaocheng-2020"))
    late = Schedule((START + timedelta(days=20),), (rules,))
    periods = replay(late, history([float(v) for v in VALUES]), horizon=3)
    assert all(p.issued_at.date() >= START + timedelta(days=20) for p in periods)


def test_it_rejects_an_unknown_plan_name() -> None:
    with pytest.raises(ValueError, match="neither a plan ID"):
        schedule_for("atlantis")
