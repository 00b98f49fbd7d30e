"""Benchmark: reduction accounting of a 100,000-enterprise list at three levels.

Not a timed test. It generates a synthetic city, then times, in the same run:

- the columnar accounting (``account`` + ``check_targets``) on the unit table, the part the
  target of < 2 s applies to;
- the one-time conversion of the object model into the unit table (``UnitTable.from_enterprises``);
- the named baseline: a per-enterprise Python loop over the object model
  (``enterprise_reductions`` for each enterprise, the same formulas one enterprise at a time),
  timed on a sample and scaled to the whole list.

Both paths must agree on the sample. Run:

    uv run python benchmarks/bench_reduction_accounting.py --enterprises 100000
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from hazeguard.reduction.accounting import (
    Accounting,
    UnitTable,
    account,
    enterprise_reductions,
)
from hazeguard.reduction.model import LEVELS, LevelTargets, Pollutant, ReductionTargets
from hazeguard.reduction.synthetic import generate_city
from hazeguard.reduction.targets import TargetReport, check_targets

# Seed 003 §4.3 / §4.4 (Liaocheng) and seed 000 §6.5 (key enterprises).
TARGETS = ReductionTargets(
    {
        level: LevelTargets(dict.fromkeys(Pollutant, share), 2 * share, key)
        for level, share, key in zip(LEVELS, (0.1, 0.2, 0.3), (0.15, 0.2, 0.3), strict=True)
    },
    "seed 003 §4.3",
)
T = TypeVar("T")


def best_of(repeats: int, function: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of ``repeats`` calls [s] and the last result."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="enterprises for the baseline")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    city = generate_city(args.enterprises, seed=args.seed)
    generated = time.perf_counter() - start
    n_units = sum(len(e.units) for e in city.enterprises)
    n_measures = sum(len(e.measures) for e in city.enterprises)

    build, table = best_of(args.repeats, lambda: UnitTable.from_enterprises(city.enterprises))

    def columnar() -> tuple[Accounting, TargetReport]:
        accounting = account(table)
        return accounting, check_targets(accounting, city.inventory, TARGETS)

    accounted, (accounting, report) = best_of(args.repeats, columnar)

    sample = city.enterprises[: args.sample]
    loop, per_enterprise = best_of(
        1, lambda: np.array([enterprise_reductions(e)[0] for e in sample])
    )
    np.testing.assert_allclose(
        accounting.enterprise_reduction[: len(sample)], per_enterprise, atol=1e-15
    )
    loop_full = loop * len(city.enterprises) / len(sample)

    print(
        f"list: {len(city.enterprises):,} enterprises, {n_units:,} units, "
        f"{n_measures:,} measures, 3 levels (generated in {generated:.1f} s)"
    )
    print(f"columnar accounting + target check : {accounted:8.3f} s")
    print(f"object model -> unit table (once)  : {build:8.3f} s")
    print(f"columnar, including the conversion : {accounted + build:8.3f} s")
    print(
        f"baseline: per-enterprise loop      : {loop_full:8.3f} s "
        f"({loop:.3f} s for a sample of {len(sample):,}, scaled)"
    )
    print(
        f"speed-up over the baseline         : {loop_full / accounted:8.0f}x accounting, "
        f"{loop_full / (accounted + build):.0f}x including the conversion"
    )
    for outcome in report.levels:
        ratios = ", ".join(
            f"{p.value} {r:.1%}" for p, r in zip(Pollutant, outcome.ratio, strict=True)
        )
        print(
            f"  {outcome.level.value:6s}: {ratios}; key enterprises short: "
            f"{outcome.key_enterprises_short:,}"
        )


if __name__ == "__main__":
    main()
