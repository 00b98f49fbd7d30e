"""Benchmark of the electricity check (not a timed test): run it, read the figures.

    uv run python benchmarks/bench_compliance.py [--meters 10000] [--sample 100] [--repeats 3]

10,000 meters (default) of 15-min readings: 14 baseline days before the order plus a 7-day
alert window, 20.2 M readings. ``check_electricity`` (vectorised over ``[meter, day, slot]``)
against a named baseline: a per-meter pandas loop with the same rule (pivot the meter's readings
to day x slot, median baseline, bounds, per-day sums), timed on a sample of meters and scaled up.
The two must agree on every status of the sample. The machine is shared, so wall and CPU time
are both printed (minimum and median of the repeats); the CPU ratio is the steadier figure.
Target, for any size: at least 20× less CPU than the per-meter loop on the same meters.
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np
import pandas as pd

from hazeguard.compliance import AlertWindow, check_electricity, load_thresholds
from hazeguard.workdays import load_calendar
from timing import HEADER, load, repeat, verdict

ORDER = dt.datetime(2024, 12, 10)
WINDOW = AlertWindow("orange", ORDER, ORDER + dt.timedelta(days=7))
BASELINE_DAYS = 14
SAMPLE = 100


def synthetic(meters: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Readings and measures: a third each of real stops, fake stops and 30 % limits kept."""
    rng = np.random.default_rng(seed)
    times = pd.date_range(
        ORDER - dt.timedelta(days=BASELINE_DAYS), WINDOW.lifted_at, freq="15min", inclusive="left"
    )
    hours = np.asarray(times.hour)
    profile = np.where((hours >= 8) & (hours < 20), 100.0, 60.0)  # [kWh per 15 min]
    size = rng.uniform(0.2, 5.0, meters)
    in_window = np.asarray(times >= ORDER)
    kind = np.array(["stop", "stop", "limit"])[np.arange(meters) % 3]
    share = np.where(np.arange(meters) % 3 == 0, 0.1, np.where(kind == "limit", 0.7, 1.0))
    factor = np.where(in_window[None, :], share[:, None], 1.0)
    energy = size[:, None] * profile[None, :] * factor * rng.normal(1, 0.03, (meters, len(times)))
    energy[rng.random(energy.shape) < 0.002] = np.nan  # a few lost readings
    names = np.array([f"M{n:05d}" for n in range(meters)])
    readings = pd.DataFrame(
        {
            "meter": pd.Categorical(np.repeat(names, len(times))),
            "time": np.tile(times.to_numpy(), meters),
            "energy_kwh": energy.ravel(),
        }
    ).dropna()
    measures = pd.DataFrame(
        {
            "enterprise": [f"E{n // 3:05d}" for n in range(meters)],
            "meter": names,
            "kind": kind,
            "fraction": np.where(kind == "limit", 0.3, np.nan),
        }
    )
    return readings, measures


def per_meter_loop(readings: pd.DataFrame, measures: pd.DataFrame) -> list[str]:
    """The baseline: one meter at a time with pandas, same rule as ``check_electricity``."""
    limits = load_thresholds().electricity
    calendar = load_calendar()
    first = ORDER.date() - dt.timedelta(days=BASELINE_DAYS)
    normal = [
        first + dt.timedelta(days=n)
        for n in range(BASELINE_DAYS)
        if calendar.holiday_name(first + dt.timedelta(days=n)) is None
    ]
    checked_from = ORDER + dt.timedelta(hours=limits.grace_hours.value)
    statuses: list[str] = []
    groups = readings.groupby("meter", observed=True)
    for _, measure in measures.iterrows():
        own = groups.get_group(measure["meter"])
        table = own.pivot_table(
            index=own["time"].dt.date, columns=own["time"].dt.time, values="energy_kwh"
        )
        base = table.loc[[d for d in normal if d in table.index]]
        base = base[base.notna().mean(axis=1) >= limits.min_coverage.value]
        median = base.median()
        spread = 1.4826 * (base - median).abs().median()
        share = 0.0 if measure["kind"] == "stop" else 1.0 - measure["fraction"]
        b0 = limits.standby_share.value * median
        expected = b0 + share * (median - b0).clip(lower=0)
        tolerance = np.maximum(
            limits.spread_factor.value * spread, limits.min_tolerance_share.value * median
        )
        for day in pd.date_range(ORDER, WINDOW.lifted_at, freq="D", inclusive="left"):
            slots = [t for t in table.columns if dt.datetime.combine(day.date(), t) >= checked_from]
            row = table.loc[day.date(), slots] if day.date() in table.index else None
            seen = row.notna() if row is not None else pd.Series(False, index=slots)
            coverage = seen.sum() / len(slots)
            if coverage < limits.min_coverage.value or len(base) < limits.min_baseline_days.value:
                statuses.append("insufficient_data")
                continue
            assert row is not None
            observed = row[seen].sum()
            bound = (expected + tolerance)[slots][seen].sum()
            bound2 = (expected + 2 * tolerance)[slots][seen].sum()
            statuses.append(
                "compliant"
                if observed <= bound
                else "suspicious"
                if observed <= bound2
                else "violation"
            )
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="meters for the baseline")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    meters = args.meters
    readings, measures = synthetic(meters)
    print(f"{meters:,} meters, {len(readings):,} readings (15 min, 14 + 7 days); {load()}")
    checked = repeat(args.repeats, lambda: check_electricity(readings, measures, WINDOW))
    findings = checked.result
    print(f"{'':36s}{HEADER}  [s]")
    print(f"{'check_electricity':36s}{checked.cells()}  {len(findings):,} findings")
    sample_meters = measures["meter"].iloc[: args.sample]
    sample = readings[readings["meter"].isin(sample_meters)]
    loop = repeat(1, lambda: per_meter_loop(sample, measures.iloc[: args.sample]))
    fast = findings[findings["meter"].isin(sample_meters)]["status"].tolist()
    assert loop.result == fast, "the per-meter loop and check_electricity disagree"
    scale = meters / args.sample
    print(f"{'per-meter pandas loop, scaled':36s}{loop.wall * scale:9.1f} {'':9s}"
          f"{loop.cpu * scale:9.1f}  (x{scale:.0f} from {args.sample} meters, agree)")  # fmt: skip
    print(findings["status"].value_counts().to_string())
    print(verdict("speed-up over the per-meter loop (CPU)", loop.cpu * scale / checked.cpu,
                  20.0, "x", at_least=True))  # fmt: skip


if __name__ == "__main__":
    main()
