"""Benchmark of the deweathering (not a timed test): run it, read the figures.

    uv run python benchmarks/bench_evaluation.py [--stations 12] [--pollutants 6] [--jobs 2]
        [--baseline-models 1] [--output normalised.csv]

Times, on the Beijing multi-site data in ../shared/data (12 stations × 4 years of hours):

1. ``normalise`` of ``--stations`` × ``--pollutants`` (target: 12 × 6 in under 10 min on 2 cores);
2. one episode, the December 2015 red warning, city mean, every pollutant (target: < 60 s);
3. the named baseline, the published procedure as ``rmweather`` runs it (random forest of 300
   trees, minimum node size 5, mtry = √variables; 300 weather resamples of every hour), on
   ``--baseline-models`` station-pollutants, beside HazeGuard's normalisation of the same ones:
   the time ratio, and both models' out-of-sample R² and RMSE on the same held-out days.

The machine is shared, so wall and CPU time are both printed; the CPU figure is the steadier.
With ``--jobs 1`` the CPU figure is exact; with more, the worker processes' CPU is counted only
when they exit, so read the wall time.
"""

from __future__ import annotations

import argparse
import glob
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hazeguard.evaluation import ModelSettings, city_mean, combine, evaluate_episode, normalise
from hazeguard.evaluation.data import EvaluationData, features
from hazeguard.evaluation.model import fit_and_test
from hazeguard.evaluation.periods import warning_windows
from hazeguard.io.beijing import read_beijing_multisite, read_beijing_weather

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
POLLUTANT_ORDER = ("pm25", "pm10", "so2", "no2", "co", "o3")


class Timer:
    """Wall and CPU time (this process and its finished children) of a block."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:7.1f} s wall, {self.cpu:7.1f} s CPU"


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def rmweather_baseline(data: EvaluationData, pollutant: str, n_samples: int = 300) -> float:
    """The published procedure: random forest, every hour resampled ``n_samples`` times.

    Prints the fit and the time of growing the forest and of each resampled prediction, so that
    a run with fewer samples than rmweather's 300 can be scaled (the prediction time is linear
    in the samples). Returns the seconds of CPU for 300 samples.
    """
    started = _cpu()
    settings = ModelSettings(kind="random_forest", trees=300, min_leaf=5)
    x = features(data)
    y = data.table[pollutant].to_numpy(dtype=np.float64)
    day = (pd.DatetimeIndex(data.table["time"]) - pd.Timedelta(hours=1)).normalize()
    days = np.asarray((day - day[0]) / pd.Timedelta(days=1), dtype=np.int64)
    model, fit = fit_and_test(x, y, days, settings, station=data.stations[0], pollutant=pollutant)
    grown = _cpu()
    rng = np.random.default_rng(1)
    trend = len(data.weather)
    total = np.zeros(len(x))
    for _ in range(n_samples):  # rmw_normalise_worker: one resampled copy of the record each
        rows = x[rng.integers(0, len(x), len(x))]
        rows[:, trend] = x[:, trend]
        total += model.predict(rows)
    per_sample = (_cpu() - grown) / n_samples
    print(
        f"    rmweather procedure {fit.station} {pollutant}: R² {fit.r2:.3f} RMSE {fit.rmse:.1f}; "
        f"forest {grown - started:.1f} s CPU, {per_sample:.2f} s CPU per resample of the record"
    )
    return grown - started + 300 * per_sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=12, help="stations (1-12)")
    parser.add_argument("--pollutants", type=int, default=6, help="pollutants (1-6)")
    parser.add_argument("--samples", type=int, default=300, help="weather draws a day")
    parser.add_argument("--jobs", type=int, default=2, help="processes")
    parser.add_argument("--baseline-models", type=int, default=1, help="0 skips the baseline")
    parser.add_argument(
        "--baseline-samples", type=int, default=300, help="resamples (rmweather: 300; scaled)"
    )
    parser.add_argument("--skip-episode", action="store_true")
    parser.add_argument("--output", help="also write the normalised daily series (CSV)")
    args = parser.parse_args()
    files = sorted(glob.glob(str(SHARED / "beijing-multisite" / "*.csv")))[: args.stations]
    if not files:
        raise SystemExit(f"no data in {SHARED / 'beijing-multisite'}")
    pollutants = POLLUTANT_ORDER[: args.pollutants]
    with Timer() as reading:
        data = combine(read_beijing_multisite(files), read_beijing_weather(files))
    print(f"read {len(files)} stations, {len(data.table):,} hours: {reading}")

    with Timer() as timed:
        result = normalise(data, pollutants=pollutants, n_samples=args.samples, n_jobs=args.jobs)
    n = len(result.fits)
    print(
        f"normalise {len(files)} stations × {len(pollutants)} pollutants = {n} models, "
        f"{args.samples} draws a day, {args.jobs} jobs: {timed} (target 600 s wall for 72)"
    )
    fits = pd.DataFrame([f.__dict__ for f in result.fits])
    print(fits.groupby("pollutant")[["r2", "rmse"]].median().round(3).to_string())
    if args.output:
        pd.concat([result.daily, result.city()]).to_csv(
            args.output, index=False, float_format="%.4g", date_format="%Y-%m-%d"
        )
        fits.to_csv(Path(args.output).with_suffix(".fits.csv"), index=False)

    if not args.skip_episode:
        city = city_mean(data)
        windows = warning_windows(SHARED / "warning-history.csv", "Beijing")
        with Timer() as episode:
            evaluate_episode(
                city,
                pd.Timestamp("2015-12-08T07:00"),
                pd.Timestamp("2015-12-10T12:00"),
                excluded=windows,
                pollutants=pollutants,
                n_jobs=args.jobs,
            )
        print(
            f"episode (Dec 2015 red, city, {len(pollutants)} pollutants): {episode} (target 60 s)"
        )

    if args.baseline_models:
        chosen = [(s, p) for s in data.stations for p in pollutants][: args.baseline_models]
        with Timer() as ours:
            for station, pollutant in chosen:
                one = normalise(data.station(station), pollutants=(pollutant,))
                fit = one.fits[0]
                print(f"    HazeGuard {station} {pollutant}: R² {fit.r2:.3f} RMSE {fit.rmse:.1f}")
        with Timer() as theirs:
            scaled = sum(
                rmweather_baseline(data.station(s), p, args.baseline_samples) for s, p in chosen
            )
        print(
            f"same {len(chosen)} model(s): HazeGuard {ours}; rmweather procedure with "
            f"{args.baseline_samples} resamples {theirs}; scaled to 300 resamples {scaled:.1f} s "
            f"CPU: ratio {scaled / ours.cpu:.1f}× CPU"
        )


if __name__ == "__main__":
    main()
