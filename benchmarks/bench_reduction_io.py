"""Benchmark: list workbook import and least-cost planning at city scale, against named baselines.

Not a timed test. Run:

    uv run python benchmarks/bench_reduction_io.py [--enterprises 20000] [--plan-enterprises 5000]
        [--repeats 3]

Each step runs ``--repeats`` times (minimum and median printed); goals scale with the size asked.

1. Import of a synthetic 20,000-enterprise workbook (four sheets, ~80,000 units and ~85,000
   measure rows) with full validation, against the baseline ``pandas.read_excel`` of the same
   sheets (openpyxl engine, no validation at all). Goal: 30 s per 20,000 enterprises.
2. Least-cost planning for 5,000 enterprises (HiGHS MILP), against the baseline greedy
   cost-per-tonne heuristic; reports the heuristic's extra cost over the optimum. Goal: 30 s per
   5,000 enterprises (a MILP is not linear in general; the goal is stated per enterprise).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from hazeguard.reduction.candidates import build_candidates
from hazeguard.reduction.io_excel import SHEETS, ListWorkbook, read_workbook, write_workbook
from hazeguard.reduction.model import LevelTargets, Pollutant, WarningLevel
from hazeguard.reduction.planner import greedy_cost_per_tonne, meets_targets, solve_least_cost
from hazeguard.reduction.semantic_diff import differences
from hazeguard.reduction.synthetic import generate_city
from timing import HEADER, Timing, load, repeat, verdict

# Stricter than the Liaocheng yellow targets (seed 003 §4.3: 10 %), so that the synthetic city's
# site plans fall short and the planner has to add measures.
T = TypeVar("T")
PLAN_TARGETS = LevelTargets(
    {Pollutant.SO2: 0.30, Pollutant.NOX: 0.30, Pollutant.PM: 0.22, Pollutant.VOCS: 0.30},
    so2_nox_sum=0.62,
)


def synthetic_book(n: int, seed: int) -> ListWorkbook:
    city = generate_city(n, seed)
    rng = np.random.default_rng(seed)
    units = [(e.credit_code, u) for e in city.enterprises for u in e.units]
    prices = rng.uniform(100.0, 800.0, size=len(units))  # [yuan per unit of daily capacity]
    values = {(code, u.unit_id): u.capacity * p for (code, u), p in zip(units, prices, strict=True)}
    return ListWorkbook(city, values)


def line(label: str, timing: Timing[object]) -> None:
    print(f"  {label:46}{timing.cells()}", flush=True)


def bench_import(n: int, folder: Path, repeats: int) -> None:
    book = synthetic_book(n, seed=1)
    path = folder / "list.xlsx"
    written = repeat(1, lambda: write_workbook(book, path))
    print(f"import {n} enterprises ({path.stat().st_size / 1e6:.1f} MB); {load()}", flush=True)
    print(f"  {'':46}{HEADER}  [s]")
    line("export (openpyxl write_only)", written)
    ours = repeat(repeats, lambda: read_workbook(path))
    line("hazeguard read_workbook (validated)", ours)
    assert not differences(ours.result, book, rel_tol=1e-14), "round trip changed the list"
    titles = [s.title for s in SHEETS]
    base = repeat(repeats, lambda: pd.read_excel(path, sheet_name=titles, engine="openpyxl"))
    rows = sum(len(f) for f in base.result.values())
    line(f"baseline pandas.read_excel, no checks ({rows} rows)", base)
    print(f"  ratio ours / baseline (CPU) {ours.cpu / base.cpu:7.2f}", flush=True)
    print("  " + verdict("import, wall", ours.wall, 30.0 * n / 20_000))


def bench_plan(n: int, repeats: int) -> None:
    book = synthetic_book(n, seed=2)
    built = repeat(
        repeats,
        lambda: build_candidates(
            book.emission_list, WarningLevel.YELLOW, PLAN_TARGETS, book.output_value
        ),
    )
    candidates = built.result
    problem = candidates.problem
    print(f"plan {n} enterprises ({problem.option_enterprise.size} options), yellow; {load()}")
    print(f"  {'':46}{HEADER}  [s]")
    line("build candidates", built)
    solved = repeat(repeats, lambda: solve_least_cost(problem, time_limit=120.0))
    exact = solved.result
    line(f"hazeguard MILP (HiGHS): {exact.status}", solved)
    base = repeat(repeats, lambda: greedy_cost_per_tonne(problem))
    greedy = base.result
    line("baseline greedy cost-per-tonne", base)
    print(f"  ratio ours / baseline (CPU) {solved.cpu / base.cpu:7.2f}", flush=True)
    print("  " + verdict("MILP, wall", solved.wall, 30.0 * n / 5_000))
    if exact.choice is not None and greedy.choice is not None:
        assert meets_targets(problem, exact.choice)
        assert meets_targets(problem, greedy.choice)
        assert exact.cost is not None
        assert greedy.cost is not None
        floor = float(problem.option_cost[candidates.option_share == 0].sum())
        print(f"  optimum {exact.cost:,.0f} yuan/d (site plans alone {floor:,.0f})")
        print(
            f"  greedy  {greedy.cost:,.0f} yuan/d: +{greedy.cost - exact.cost:,.0f} "
            f"({(greedy.cost - exact.cost) / (exact.cost - floor):.3%} of the extra cost)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--plan-enterprises", type=int, default=5_000)
    parser.add_argument("--only", choices=("import", "plan"), help="Run one of the two.")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.only != "plan":
        with tempfile.TemporaryDirectory() as folder:
            bench_import(args.enterprises, Path(folder), args.repeats)
    if args.only != "import":
        bench_plan(args.plan_enterprises, args.repeats)


if __name__ == "__main__":
    main()
