"""Benchmark of the statistical forecast (not a timed test): run it, read the figures.

    uv run python benchmarks/bench_forecast.py [--years 4] [--samples 2000] [--jobs 2]

1. Training on ``--years`` years of one city's daily AQI and weather (the two shipped years of
   Beijing: src/hazeguard/data and tests/core/forecast/data, repeated back in time to the length
   asked), against a named baseline fitted in the same run on the same features: a ridge
   regression per lead day (scikit-learn ``Ridge``, the usual linear statistical forecast).
   Target: under 60 s on 2 cores.
2. One forecast of 7 days with ``--samples`` joint trajectories and the probability of each level
   of beijing-2016, against the baseline of calling the engine's ``decide()`` once per trajectory
   (timed on 200 trajectories and scaled up), which gives the same levels. Target: under 1 s.

Wall-clock and CPU seconds are both printed: the machine is shared, CPU time shows the work done
(with the default ``--jobs 1`` every fit runs in this process, so its CPU time is the whole work;
on 2 idle cores ``--jobs 2`` halves the training's wall time).
"""

from __future__ import annotations

import argparse
import time as clock
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

from hazeguard.forecast import ModelSettings, forecast, train
from hazeguard.forecast.features import DAY, lead_features, origin_features, weather_variables
from hazeguard.forecast.predict import quantiles, trajectories
from hazeguard.forecast.probability import decided_ranks
from hazeguard.io.beijing import daily_path
from hazeguard.io.daily import read_daily_history
from hazeguard.io.daily_weather import read_daily_weather
from hazeguard.plans import load_plan
from hazeguard.warnings import daily, decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.rules import rank

DATA = Path(__file__).resolve().parents[1] / "tests" / "core" / "forecast" / "data"


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of ``action()``, and its result. [s]"""
    began, cpu = clock.perf_counter(), clock.process_time()
    result = action()
    return clock.perf_counter() - began, clock.process_time() - cpu, result


def repeated(frame: pd.DataFrame, years: int) -> pd.DataFrame:
    """``frame`` repeated back in time (whole copies shifted by its length) to ``years`` years."""
    days = years * 365
    copies = [frame]
    while sum(len(c) for c in copies) < days:
        earliest = copies[0]
        shifted = earliest.copy()
        shifted.index = earliest.index - len(frame) * DAY
        copies.insert(0, shifted)
    joined = pd.concat(copies)
    return joined.iloc[-days:]


def ridge_baseline(history: pd.DataFrame, weather: pd.DataFrame, leads: int) -> list[Ridge]:
    """The baseline: one ridge regression of log(AQI) per lead day on the same features."""
    known = origin_features(history)
    variables = weather_variables(weather)
    models = []
    for lead in range(1, leads + 1):
        table = lead_features(known, lead, variables, tuple(variables.columns))
        target = history["aqi"].reindex(table.index + lead * DAY).to_numpy()
        usable = np.isfinite(target) & table["aqi_0"].notna().to_numpy()
        filled = table.loc[usable].fillna(table.loc[usable].median())
        models.append(Ridge(alpha=1.0).fit(filled, np.log(np.maximum(target[usable], 1.0))))
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=4, help="years of training data (default 4)")
    parser.add_argument("--samples", type=int, default=2000, help="trajectories (default 2000)")
    parser.add_argument("--jobs", type=int, default=1, help="parallel fits (default 1)")
    arguments = parser.parse_args()

    history = repeated(read_daily_history(daily_path()), arguments.years)
    weather = repeated(read_daily_weather(DATA / "beijing-weather-2014-2016.csv"), arguments.years)
    settings = ModelSettings(jobs=arguments.jobs)
    print(f"training on {len(history)} days ({arguments.years} years) with weather")
    wall, cpu, model = timed(lambda: train(history, weather, settings=settings))
    base_wall, base_cpu, _ = timed(lambda: ridge_baseline(history, weather, settings.leads))
    print(f"  quantile gradient boosting, 7 lead days: {wall:6.2f} s wall, {cpu:6.2f} s CPU here")
    print(
        f"  baseline ridge regression, 7 lead days:  {base_wall:6.2f} s wall, {base_cpu:6.2f} s CPU"
    )
    met = "met" if cpu / 2 < 60 else "NOT met"
    print(f"  ratio {cpu / base_cpu:.0f}x the baseline (CPU); target < 60 s on 2 cores: {met}")

    rules = rules_from_plan(load_plan("beijing-2016"))
    last = history.index[-1]
    first_day = (last + DAY).date()
    future = weather.reindex(pd.date_range(last, periods=8, freq="D"))
    future.iloc[1:] = weather.iloc[-7:].to_numpy()  # a week of plausible weather ahead
    print(f"one 7-day forecast with {arguments.samples} trajectories and P(level) of beijing-2016")
    wall, cpu, _ = timed(
        lambda: forecast(
            model, history, first_day, 7, weather=future, rules=rules, samples=arguments.samples
        )
    )
    band = quantiles(model, history, pd.DatetimeIndex([last]), future)
    sampled = trajectories(model.correlation, band, arguments.samples, np.random.default_rng(0), 7)
    sample = sampled[0, :200]
    at = datetime.combine(first_day, datetime.min.time()) - pd.Timedelta(hours=8)
    loop_wall, loop_cpu, levels = timed(
        lambda: [decide(rules, daily(first_day, list(row)), at=at).level for row in sample]
    )
    vectorised = decided_ranks(rules, sample)[:, -1]
    assert [rank(level) for level in levels] == vectorised.tolist(), "decide() disagrees"  # type: ignore[attr-defined]
    scale = arguments.samples / len(sample)
    print(f"  vectorised (assess on all trajectories):   {wall:6.3f} s wall, {cpu:6.3f} s CPU")
    print(
        f"  baseline decide() per trajectory (scaled): {loop_wall * scale:6.3f} s wall, "
        f"{loop_cpu * scale:6.3f} s CPU"
    )
    met = "met" if cpu < 1 else "NOT met"
    print(f"  ratio {loop_cpu * scale / cpu:.0f}x faster (CPU); target < 1 s: {met}")


if __name__ == "__main__":
    main()
