"""The report of ``hazeguard list plan``: least-cost extra measures and rotation batches."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import click
import numpy as np
from numpy.typing import NDArray

from hazeguard.reduction.candidates import (
    Candidates,
    MissingOutputValueError,
    build_candidates,
)
from hazeguard.reduction.io_excel import ListWorkbook
from hazeguard.reduction.model import LevelTargets, WarningLevel
from hazeguard.reduction.planner import PlanResult, solve_least_cost
from hazeguard.reduction.rotation import balance_batches

_SHOWN = 30


def plan_report(
    book: ListWorkbook, level: WarningLevel, targets: LevelTargets, time_limit: float
) -> tuple[dict[str, Any], list[str], bool]:
    """(JSON payload, text lines, whether a plan was found) for one level."""
    try:
        candidates = build_candidates(book.emission_list, level, targets, book.output_value)
    except MissingOutputValueError as error:
        raise click.ClickException(str(error)) from None
    problem = candidates.problem
    result = solve_least_cost(problem, time_limit=time_limit)
    head = (
        f"{book.emission_list.jurisdiction} {level.label_zh}预警 ({level.value}): "
        f"{problem.n_enterprises} enterprises, {problem.option_enterprise.size} options"
    )
    if result.choice is None:
        lines = [head, f"NO PLAN: {result.status}. {result.message}"]
        for b in result.binding:
            lines.append(
                f"  {b.name}: target {b.target:.1%}, best with every candidate "
                f"{b.best_ratio:.1%} (short {b.shortfall:.3f} t/d)"
            )
        binding = [
            {
                "constraint": b.name,
                "target": b.target,
                "best_ratio": b.best_ratio,
                "shortfall_t_per_d": b.shortfall,
            }
            for b in result.binding
        ]
        return {"level": level.value, "status": result.status, "binding": binding}, lines, False
    return _feasible(book, level, candidates, result, head)


def _feasible(
    book: ListWorkbook,
    level: WarningLevel,
    candidates: Candidates,
    result: PlanResult,
    head: str,
) -> tuple[dict[str, Any], list[str], bool]:
    assert result.choice is not None
    assert result.ratio is not None
    problem = candidates.problem
    extra = candidates.option_share[result.choice]
    batches = problem.option_batches[result.choice]
    floors = np.flatnonzero(candidates.option_share == 0)
    floor_cost = np.zeros(problem.n_enterprises)
    floor_cost[problem.option_enterprise[floors]] = problem.option_cost[floors]
    extra_cost = problem.option_cost[result.choice] - floor_cost
    enterprises = book.emission_list.enterprises
    picked = np.flatnonzero(extra > 0)
    picked = picked[np.argsort(-extra_cost[picked])]
    measures = []
    for k in picked:
        option = int(result.choice[k])
        measures.append(
            {
                "credit_code": enterprises[k].credit_code,
                "name": enterprises[k].name,
                "county": enterprises[k].county,
                "measure": _wording(float(extra[k]), int(batches[k])),
                "reduction_t_per_d": problem.option_reduction[option].round(6).tolist(),
                "extra_cost_yuan_per_d": float(extra_cost[k]),
            }
        )
    rotations = _rotations(candidates, batches)
    gap = f", gap ≤ {result.mip_gap:.2g}" if result.mip_gap is not None else ""
    lines = [
        head,
        f"status: {result.status}{gap}; total lost output {result.cost:,.0f} yuan/d "
        f"(site plans alone {floor_cost.sum():,.0f})",
    ]
    for p, name in enumerate(problem.pollutants):
        lines.append(f"  {name:5} {result.ratio[p]:6.1%}  target {problem.target[p]:5.0%}")
    lines.append(f"{len(measures)} enterprise(s) with extra measures:")
    for m in measures[:_SHOWN]:
        cost = f"+{m['extra_cost_yuan_per_d']:,.0f} yuan/d"
        lines.append(f"  {m['credit_code']} {m['name']}: {m['measure']} ({cost})")
    if len(measures) > _SHOWN:
        lines.append(f"  ... and {len(measures) - _SHOWN} more (use --json for all)")
    for r in rotations:
        lines.append(
            f"rotation {r['county']} in {r['batches']} batches: "
            f"batch sizes {r['batch_sizes']}, "
            f"guaranteed NOx cut {r['guaranteed_t_per_d'][1]:.3f} t/d"
        )
    payload = {
        "level": level.value,
        "status": result.status,
        "mip_gap": result.mip_gap,
        "cost_yuan_per_d": result.cost,
        "ratio": dict(zip(problem.pollutants, result.ratio.round(6).tolist(), strict=True)),
        "extra_measures": measures,
        "rotations": rotations,
    }
    return payload, lines, True


def _wording(share: float, batches: int) -> str:
    if batches:
        return f"rotating shutdown in {batches} batches (轮流停产)"
    if share >= 1.0:
        return "stop what still runs (停产)"
    return f"limit a further {share:.0%} of what still runs (限产)"


def _rotations(candidates: Candidates, batches: NDArray[np.int64]) -> list[dict[str, Any]]:
    """Balance each county's rotating enterprises into batches (seed 003 §4.4 县域内轮流停产)."""
    pools: dict[tuple[str, int], list[int]] = defaultdict(list)
    counties = candidates.counties
    for k in np.flatnonzero(batches > 0):
        pools[(counties[k], int(batches[k]))].append(int(k))
    out = []
    for (county, n), members in sorted(pools.items()):
        if len(members) < n:
            continue  # too few to fill the batches: the enterprise stops on its own days
        rotation = balance_batches(candidates.remaining[members], n, time_limit=10.0)
        out.append(
            {
                "county": county,
                "batches": n,
                "credit_codes": [candidates.credit_codes[k] for k in members],
                "batch": rotation.batch.tolist(),
                "batch_sizes": np.bincount(rotation.batch, minlength=n + 1)[1:].tolist(),
                "guaranteed_t_per_d": rotation.guaranteed_reduction.round(6).tolist(),
            }
        )
    return out
