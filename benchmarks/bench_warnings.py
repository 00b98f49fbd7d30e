"""Benchmark of the warning engine (not a timed test): run it, read the figures.

    uv run python benchmarks/bench_warnings.py [--jurisdictions 3000] [--cities 340]
        [--years 10] [--repeats 3]

Every method runs ``--repeats`` times; the minimum and median wall and CPU times are printed.

1. Evaluate a 7-day daily forecast for N jurisdictions under one plan (beijing-2016): the
   vectorised ``decide_many`` against two baselines in the same run: a naive per-day Python loop
   (pure Python, same semantics, checked to agree) and ``decide()`` called once per jurisdiction
   (on a sample of 300, scaled). Target: 1 s per 3,000 jurisdictions.
2. Replay Y years of daily data for C cities (``replay``, Beijing plans by date) against the
   baseline of ``decide()`` called once per city-day (timed on a sample, scaled up).
   Target: 30 s per 3,400 city-years. The series are built from the 14 real city files in
   ../shared/data/city-daily-aqi (shifted and scaled copies), or from a random walk when absent.
"""

from __future__ import annotations

import argparse
import math
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

import numpy as np

from hazeguard.plans import load_plan
from hazeguard.warnings import DailyForecast, decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.batch import decide_many
from hazeguard.warnings.criteria import AllOf, AnyOf, Criterion, Persistence
from hazeguard.warnings.replay import lookback_days, replay
from hazeguard.warnings.rules import LEVEL_ORDER, WarningRules
from hazeguard.warnings.schedule import schedule_for
from timing import HEADER, Timing, load, repeat, verdict

T = TypeVar("T")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "city-daily-aqi"
FIRST = date(2016, 12, 16)
AT = datetime(2016, 12, 15, 16)


def naive_matches(criterion: Criterion, days: list[float], low: int, high: int) -> bool:
    """Pure-Python evaluation: scan day by day, counting consecutive days over the threshold."""
    if isinstance(criterion, AnyOf):
        return any(naive_matches(part, days, low, high) for part in criterion.parts)
    if isinstance(criterion, AllOf):
        return all(naive_matches(part, days, low, high) for part in criterion.parts)
    assert isinstance(criterion, Persistence)
    run = 0
    for index, value in enumerate(days):
        over = value > criterion.threshold if criterion.op == ">" else value >= criterion.threshold
        run = run + 1 if over else 0
        if run >= criterion.days and low <= index - criterion.days + 1 < high:
            return True
    return False


def naive_level(rules: WarningRules, days: list[float]) -> str:
    """The forecast level of the first episode, one day at a time."""
    threshold = rules.pollution_threshold
    start = next((i for i, v in enumerate(days) if v > threshold), len(days))
    stop, quiet = start, 0
    for index in range(start, len(days)):
        if days[index] > threshold:
            stop, quiet = index + 1, 0
        elif days[index] <= rules.quiet_threshold:
            quiet += 1
            if quiet * 24 >= rules.merging_gap_hours:
                break
    level = "none"
    for candidate in rules.levels:
        if any(naive_matches(c, days, start, stop) for c in candidate.criteria):
            level = candidate.name
    return level


Timings = dict[str, Timing[object]]


def bench_evaluate(jurisdictions: int, repeats: int, days: int = 7) -> Timings:
    rules = rules_from_plan(load_plan("beijing-2016"))
    rng = np.random.default_rng(2016)
    aqi = rng.gamma(2.0, 70.0, size=(jurisdictions, days)).round()
    fast = repeat(repeats, lambda: decide_many(rules, aqi, first_day=FIRST, at=AT))
    slow = repeat(repeats, lambda: [naive_level(rules, list(row)) for row in aqi])
    levels = fast.result.levels
    forecast_levels = [lvl if lvl in LEVEL_ORDER[2:] else "none" for lvl in levels]
    assert forecast_levels == slow.result, "the naive loop and decide_many disagree"
    sample = min(300, jurisdictions)
    per_call = repeat(
        repeats, lambda: [decide(rules, _daily(list(r)), at=AT) for r in aqi[:sample]]
    )
    return {
        "decide_many": fast,
        "naive loop": slow,
        "decide() per jurisdiction (scaled)": scaled(per_call, jurisdictions / sample),
    }


def scaled(timing: Timing[T], factor: float) -> Timing[object]:
    """A sample's timing scaled up to the whole work."""
    return Timing(
        tuple(t * factor for t in timing.walls), tuple(t * factor for t in timing.cpus), None
    )


def _daily(values: list[float]) -> DailyForecast:
    array = np.array(values)
    return DailyForecast(
        array, array, dates=tuple(FIRST + timedelta(days=k) for k in range(len(values)))
    )


def city_series(cities: int, days: int) -> list[np.ndarray]:
    rng = np.random.default_rng(340)
    sources: list[np.ndarray] = []
    if DATA.is_dir():
        from hazeguard.warnings.io import read_daily

        for path in sorted(DATA.glob("*.csv")):
            if path.name != "combined_daily_aqi.csv":
                sources.append(read_daily(path, history=True).aqi_high)
    if not sources:
        walk = np.exp(np.cumsum(rng.normal(0, 0.3, 4000)) * 0.1) * 90
        sources = [np.clip(walk, 20, 500)]
    series = []
    for city in range(cities):
        base = sources[city % len(sources)]
        shift = int(rng.integers(0, len(base)))
        tiled = np.resize(np.roll(base, shift), days)
        series.append(np.round(tiled * rng.uniform(0.85, 1.15)))
    return series


def bench_replay(cities: int, years: int, repeats: int) -> Timings:
    days = years * 365 + years // 4
    schedule = schedule_for("beijing")
    start = date(2013, 12, 2)
    dates = tuple(start + timedelta(days=k) for k in range(days))
    histories = [DailyForecast(v, v, dates=dates) for v in city_series(cities, days)]
    total = repeat(repeats, lambda: [replay(schedule, h, horizon=3) for h in histories])
    # Baseline: one decide() per city-day, timed on 200 days of one city.
    rules = schedule(dates[-1])
    assert rules is not None
    history = histories[0]
    back = lookback_days(rules)
    first = min(1000, max(back, days // 2))
    sample = range(first, min(first + 200, days - 4))

    def per_day() -> None:
        for day in sample:
            forecast = DailyForecast(
                history.aqi_high[day + 1 : day + 4],
                history.aqi_high[day + 1 : day + 4],
                dates=dates[day + 1 : day + 4],
            )
            observed = DailyForecast(
                history.aqi_high[day + 1 - back : day + 1],
                history.aqi_high[day + 1 - back : day + 1],
                dates=dates[day + 1 - back : day + 1],
            )
            decide(rules, forecast, at=datetime.combine(dates[day], time(16)), observed=observed)

    baseline = scaled(repeat(1, per_day), days * cities / len(sample))
    return {"replay": total, "decide() per city-day (scaled)": baseline}


def table(title: str, timings: Timings, reference: str) -> None:
    print(f"## {title}; {load()}")
    print(f"{'method':40s}{HEADER}  ratio to {reference} (CPU)")
    for name, timing in timings.items():
        print(f"{name:40s}{timing.cells()}  {timing.cpu / timings[reference].cpu:,.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jurisdictions", type=int, default=3000)
    parser.add_argument("--cities", type=int, default=340)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    evaluate = bench_evaluate(args.jurisdictions, args.repeats)
    table(f"7-day forecast, {args.jurisdictions:,} jurisdictions (beijing-2016)", evaluate,
          "decide_many")  # fmt: skip
    figures = bench_replay(args.cities, args.years, args.repeats)
    table(f"replay, {args.cities:,} cities × {args.years} years (Beijing plans by date, "
          "horizon 3 days)", figures, "replay")  # fmt: skip
    assert math.isfinite(figures["replay"].wall)
    # Targets scale with the size asked for: 1 s per 3,000 jurisdictions, 30 s per 3,400
    # city-years.
    for name, timing, target in (
        ("decide_many", evaluate["decide_many"], args.jurisdictions / 3000),
        ("replay", figures["replay"], 30 * args.cities * args.years / 3400),
    ):
        print(verdict(f"{name}, wall", timing.wall, target))
        print(verdict(f"{name}, CPU", timing.cpu, target))


if __name__ == "__main__":
    main()
