"""Benchmark: synthetic city and reduction accounting at several list lengths (linear or not).

Not a timed test. For each list length it times, repeated, in the same run:

- the generator (``generate_city``), target 30 µs per enterprise (1 M enterprises in 30 s);
- the one-time conversion of the object model into the unit table (``UnitTable.from_enterprises``);
- the columnar accounting (``account`` + ``check_targets``), target 20 µs per enterprise
  (100,000 enterprises in 2 s);
- linearity: the accounting's CPU time per enterprise at each length, within 1.5× of the
  shortest list's;
- sanity: no level cuts more than 100 % of the industrial or mobile class it is booked to;
- the named baseline, at the first length: a per-enterprise Python loop over the object model
  (``enterprise_reductions`` for each enterprise, the same formulas one enterprise at a time),
  timed on a sample and scaled to the whole list. Both paths must agree on the sample.

With ``--generator-only``, only the generator is timed, each run in a new process (its CPU
time from the call to the return, imports excluded); with ``--baseline-src DIR`` (another
tree's ``src``, e.g. ``git archive main src | tar -x -C /tmp/main``) that tree's generator is
timed the same way, runs alternating, and the ratio of the minima is reported.

Run (figures in docs/scale.md):

    uv run python benchmarks/bench_reduction_accounting.py --enterprises 10000 100000 1000000
    uv run python benchmarks/bench_reduction_accounting.py --enterprises 1000000 \
        --generator-only --generator-repeats 2 --baseline-src /tmp/main/src
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from hazeguard.reduction.accounting import UnitTable, account, enterprise_reductions
from hazeguard.reduction.model import (
    LEVELS,
    Inventory,
    LevelTargets,
    Pollutant,
    ReductionTargets,
    SourceClass,
)
from hazeguard.reduction.synthetic import generate_city
from hazeguard.reduction.targets import check_targets
from timing import HEADER, load, repeat, verdict

# Seed 003 §4.3 / §4.4 (Liaocheng) and seed 000 §6.5 (key enterprises).
TARGETS = ReductionTargets(
    {
        level: LevelTargets(dict.fromkeys(Pollutant, share), 2 * share, key)
        for level, share, key in zip(LEVELS, (0.1, 0.2, 0.3), (0.15, 0.2, 0.3), strict=True)
    },
    "seed 003 §4.3",
)
GENERATOR_TARGET = 30e-6  # [s per enterprise]
ACCOUNTING_TARGET = 20e-6  # [s per enterprise]
LINEAR_TOLERANCE = 1.5


_GENERATOR_RUN = """
import json, time
from hazeguard.reduction.synthetic import generate_city
cpu, wall = time.process_time(), time.perf_counter()
generate_city({n}, seed={seed})
print(json.dumps([time.process_time() - cpu, time.perf_counter() - wall]))
"""


def generator_in_new_process(n: int, seed: int, src: Path | None) -> tuple[float, float]:
    """CPU and wall time [s] of ``generate_city(n, seed)`` in a new process (``src``'s tree)."""
    environment = dict(os.environ)
    if src is not None:
        environment["PYTHONPATH"] = str(src)
    code = _GENERATOR_RUN.format(n=n, seed=seed)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    )
    cpu, wall = json.loads(done.stdout.strip().splitlines()[-1])
    return float(cpu), float(wall)


def generator_only(args: argparse.Namespace) -> None:
    """The generator alone, this tree against ``--baseline-src``, runs alternating."""
    trees: dict[str, Path | None] = {"this tree": None}
    if args.baseline_src:
        trees["baseline"] = args.baseline_src
    verdicts = []
    for n in args.enterprises:
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(max(1, args.generator_repeats)):
            for name, src in trees.items():
                runs[name].append(generator_in_new_process(n, args.seed, src))
                print(f"{n:,} {name}: CPU {runs[name][-1][0]:.2f} s, wall {runs[name][-1][1]:.2f} "
                      f"s; {load()}", flush=True)  # fmt: skip
        fastest = {name: min(cpu for cpu, _ in found) for name, found in runs.items()}
        for name, found in runs.items():
            cpus = sorted(cpu for cpu, _ in found)
            print(f"{n:,} {name}: CPU min {cpus[0]:.2f} / median {cpus[len(cpus) // 2]:.2f} s, "
                  f"{1e6 * cpus[0] / n:.1f} µs per enterprise")  # fmt: skip
        verdicts.append(
            verdict(f"{n:,}: generator CPU", fastest["this tree"], GENERATOR_TARGET * n)
        )
        if "baseline" in fastest:
            ratio = fastest["this tree"] / fastest["baseline"]
            verdicts.append(f"{n:,}: generator CPU / baseline's (minima): {ratio:.2f}x")
    print("\n".join(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sample", type=int, default=2_000, help="enterprises for the baseline")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each step")
    parser.add_argument(
        "--generator-repeats", type=int, default=1, help="runs of the generator (slow)"
    )
    parser.add_argument(
        "--generator-only", action="store_true", help="time only the generator, in new processes"
    )
    parser.add_argument(
        "--baseline-src", type=Path, help="another tree's src: its generator is the baseline"
    )
    args = parser.parse_args()
    if args.generator_only:
        generator_only(args)
        return

    per_enterprise: dict[int, float] = {}
    verdicts: list[str] = []
    for n in args.enterprises:
        generated = repeat(args.generator_repeats, lambda n=n: generate_city(n, seed=args.seed))
        city = generated.result
        n_units = sum(len(e.units) for e in city.enterprises)
        build = repeat(args.repeats, lambda city=city: UnitTable.from_enterprises(city.enterprises))
        table = build.result

        def columnar(table: UnitTable = table, inventory: Inventory = city.inventory) -> object:
            accounting = account(table)
            return accounting, check_targets(accounting, inventory, TARGETS)

        accounted = repeat(args.repeats, columnar)
        accounting, report = accounted.result  # type: ignore[misc]
        per_enterprise[n] = accounted.cpu / n
        print(f"\n{n:,} enterprises, {n_units:,} units; {load()}")
        print(f"{'step':40s}{HEADER}  [s]")
        for name, timing in (
            ("generate_city", generated),
            ("object model -> unit table (once)", build),
            ("columnar accounting + target check", accounted),
        ):
            print(f"{name:40s}{timing.cells()}")
        inventory = city.inventory
        industrial = np.array(inventory.source(SourceClass.INDUSTRIAL).as_tuple())
        mobile = np.array(inventory.source(SourceClass.MOBILE).as_tuple())
        worst = max(
            float(np.max(accounting.industrial / industrial)),
            float(np.max(accounting.mobile / mobile)),
        )
        print(f"largest cut of an inventory class: {worst:.1%} (sane when <= 100 %)")
        for outcome in report.levels:
            ratios = ", ".join(
                f"{p.value} {r:.1%}" for p, r in zip(Pollutant, outcome.ratio, strict=True)
            )
            print(f"  {outcome.level.value:6s}: {ratios} of the society-wide totals")
        verdicts += [
            verdict(f"{n:,}: generator wall", generated.wall, GENERATOR_TARGET * n),
            verdict(f"{n:,}: generator CPU", generated.cpu, GENERATOR_TARGET * n),
            verdict(f"{n:,}: accounting CPU", accounted.cpu, ACCOUNTING_TARGET * n),
            verdict(f"{n:,}: largest cut of a class", 100 * worst, 100.0, "%"),
        ]
        if n == args.enterprises[0]:
            sample = city.enterprises[: args.sample]
            loop = repeat(1, lambda s=sample: np.array([enterprise_reductions(e)[0] for e in s]))
            np.testing.assert_allclose(
                accounting.enterprise_reduction[: len(sample)], loop.result, atol=1e-15
            )
            scale = n / len(sample)
            print(
                f"baseline, per-enterprise loop on {len(sample):,} scaled x{scale:.0f}: "
                f"{loop.cpu * scale:.2f} s CPU -> columnar accounting "
                f"{loop.cpu * scale / accounted.cpu:.0f}x faster, "
                f"{loop.cpu * scale / (accounted.cpu + build.cpu):.0f}x with the conversion"
            )
        del city, table, accounting, report, generated, build, accounted
        gc.collect()

    first = args.enterprises[0]
    print("\naccounting CPU per enterprise [µs]: " + ", ".join(
        f"{n:,}: {1e6 * t:.2f} ({t / per_enterprise[first]:.2f}x)"
        for n, t in per_enterprise.items()
    ))  # fmt: skip
    for n, t in per_enterprise.items():
        verdicts.append(
            verdict(f"{n:,}: per-enterprise time / {first:,}'s", t / per_enterprise[first],
                    LINEAR_TOLERANCE, "x")
        )  # fmt: skip
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
