"""Benchmark of the warning engine (not a timed test): run it, read the figures.

    uv run python benchmarks/bench_warnings.py

1. Evaluate a 7-day daily forecast for 3,000 jurisdictions under one plan (beijing-2016): the
   vectorised ``decide_many`` against two baselines in the same run: a naive per-day Python loop
   (pure Python, same semantics, checked to agree) and ``decide()`` called once per jurisdiction.
   Target: under 1 s.
2. Replay 10 years of daily data for 340 cities (``replay``, Beijing plans by date) against the
   baseline of ``decide()`` called once per city-day (timed on a sample, scaled up).
   Target: under 30 s. The 340 series are built from the 14 real city files in
   ../shared/data/city-daily-aqi (shifted and scaled copies), or from a random walk when absent.
"""

from __future__ import annotations

import math
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from hazeguard.plans import load_plan
from hazeguard.warnings import DailyForecast, decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.batch import decide_many
from hazeguard.warnings.criteria import AllOf, AnyOf, Criterion, Persistence
from hazeguard.warnings.replay import lookback_days, replay
from hazeguard.warnings.rules import LEVEL_ORDER, WarningRules
from hazeguard.warnings.schedule import schedule_for

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


CPU: dict[str, float] = {}


def seconds(action: object, name: str = "") -> float:
    """Wall-clock time of ``action()``; its CPU time goes into ``CPU[name]``. [s]

    The benchmark machine is shared, so both are printed: CPU time shows the work done.
    """
    began, cpu = clock.perf_counter(), clock.process_time()
    action()  # type: ignore[operator]
    CPU[name] = clock.process_time() - cpu
    return clock.perf_counter() - began


def bench_evaluate(jurisdictions: int = 3000, days: int = 7) -> dict[str, float]:
    rules = rules_from_plan(load_plan("beijing-2016"))
    rng = np.random.default_rng(2016)
    aqi = rng.gamma(2.0, 70.0, size=(jurisdictions, days)).round()
    batch: list[object] = []
    naive: list[str] = []
    fast = seconds(
        lambda: batch.append(decide_many(rules, aqi, first_day=FIRST, at=AT)), "decide_many"
    )
    slow = seconds(lambda: naive.extend(naive_level(rules, list(row)) for row in aqi), "naive loop")
    levels = batch[0].levels  # type: ignore[attr-defined]
    forecast_levels = [lvl if lvl in LEVEL_ORDER[2:] else "none" for lvl in levels]
    assert forecast_levels == naive, "the naive loop and decide_many disagree"
    sample = 300
    per_call = (
        seconds(lambda: [decide(rules, _daily(list(row)), at=AT) for row in aqi[:sample]]) / sample
    )
    return {
        "decide_many": fast,
        "naive loop": slow,
        "decide() per jurisdiction": per_call * jurisdictions,
    }


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


def bench_replay(cities: int = 340, years: int = 10) -> dict[str, float]:
    days = years * 365 + years // 4
    schedule = schedule_for("beijing")
    start = date(2013, 12, 2)
    dates = tuple(start + timedelta(days=k) for k in range(days))
    histories = [DailyForecast(v, v, dates=dates) for v in city_series(cities, days)]
    total = seconds(lambda: [replay(schedule, h, horizon=3) for h in histories], "replay")
    # Baseline: one decide() per city-day, timed on 200 days of one city.
    rules = schedule(dates[-1])
    assert rules is not None
    history = histories[0]
    back = lookback_days(rules)
    sample = range(1000, 1200)

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

    baseline = seconds(per_day) / len(sample) * days * cities
    return {"replay": total, "decide() per city-day (scaled)": baseline}


def main() -> None:
    evaluate = bench_evaluate()
    print("## 7-day forecast, 3,000 jurisdictions (beijing-2016)")
    print("| method | wall | CPU | ratio to decide_many |")
    print("|---|---|---|---|")
    for name, value in evaluate.items():
        ratio = value / evaluate["decide_many"]
        cpu = f"{CPU[name]:.3f} s" if name in CPU else "–"
        print(f"| {name} | {value:.3f} s | {cpu} | {ratio:,.1f}× |")
    figures = bench_replay()
    print("## replay, 340 cities × 10 years (Beijing plans by date, horizon 3 days)")
    print("| method | wall | CPU | ratio to replay |")
    print("|---|---|---|---|")
    for name, value in figures.items():
        ratio = value / figures["replay"]
        cpu = f"{CPU[name]:.2f} s" if name in CPU else "–"
        print(f"| {name} | {value:.2f} s | {cpu} | {ratio:,.0f}× |")
    assert math.isfinite(figures["replay"])


if __name__ == "__main__":
    main()
