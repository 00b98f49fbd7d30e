"""Least-cost planning: one measure option per enterprise, closing every gap at the least cost.

The formulation is emission-list.md §9.2: binary ``x[m]`` per candidate option ``m`` (each option
belongs to one enterprise; exactly one option per enterprise), minimise the lost output value
``Σ cost[m]·x[m]`` subject to, for every pollutant ``p``,
``(already[p] + Σ ΔE[m,p]·x[m]) / total[p] ≥ target[p]`` (emission-list.md §2.3 pass_single)
and, for every configured pair, ``ratio[p] + ratio[q] ≥ pair_target`` (§2.3 pass_pair_SN;
seed 003 §4.4 "二者减排比例之和不应低于20%").

Grade floors, A-grade autonomy, essential caps and the batch limit are expressed in *which
options exist* (built by :mod:`hazeguard.reduction.candidates`): the floor is the weakest option
offered, an A-grade enterprise is offered nothing it must do, an essential enterprise only its
approved load, and rotation options only up to the batch limit.

It is solved exactly with HiGHS through :func:`scipy.optimize.milp`. An infeasible problem is
never answered with a partial plan: :class:`PlanResult` then names the binding constraints.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from hazeguard.reduction.checks import MAX_ROTATION_BATCHES  # seed 003 §2: at most 3 batches

__all__ = [
    "MAX_ROTATION_BATCHES",
    "BindingConstraint",
    "PlanResult",
    "PlanningProblem",
    "achieved_ratio",
    "brute_force",
    "diagnose_infeasibility",
    "greedy_cost_per_tonne",
    "meets_targets",
    "solve_least_cost",
]


@dataclass(frozen=True)
class PlanningProblem:
    """Candidate options of every enterprise and the city-level targets of one warning level.

    Attributes
    ----------
    pollutants
        Names of the pollutant columns, e.g. ``("SO2", "NOx", "PM", "VOCs")``.
    option_enterprise
        Enterprise index of each option, shape ``(n_options,)``; every enterprise ``0..n-1`` has at
        least one option and must take exactly one.
    option_reduction
        Daily reduction of each option per pollutant, shape ``(n_options, n_pollutants)`` [t/d].
    option_cost
        Lost output value of each option, shape ``(n_options,)`` [yuan/d].
    option_batches
        Rotation batches of each option (0 = not a rotation), shape ``(n_options,)``.
    total
        Society-wide daily emissions per pollutant (the denominator of the ratio) [t/d].
    already
        Reductions booked outside this choice (mobile and dust source lists) per pollutant [t/d].
    target
        Required reduction ratio per pollutant [0-1].
    pairs
        ``(p, q, pair_target)``: ``ratio[p] + ratio[q] ≥ pair_target`` [0-1], pollutants by index.
    """

    pollutants: tuple[str, ...]
    option_enterprise: NDArray[np.int64]
    option_reduction: NDArray[np.float64]
    option_cost: NDArray[np.float64]
    option_batches: NDArray[np.int64]
    total: NDArray[np.float64]
    already: NDArray[np.float64]
    target: NDArray[np.float64]
    pairs: tuple[tuple[int, int, float], ...] = ()

    def __post_init__(self) -> None:
        n_options = self.option_enterprise.shape[0]
        n_pollutants = len(self.pollutants)
        if self.option_reduction.shape != (n_options, n_pollutants):
            raise ValueError(
                f"option_reduction has shape {self.option_reduction.shape}, "
                f"expected ({n_options}, {n_pollutants})"
            )
        for name in ("option_cost", "option_batches"):
            if getattr(self, name).shape != (n_options,):
                raise ValueError(f"{name} must have shape ({n_options},)")
        for name in ("total", "already", "target"):
            if getattr(self, name).shape != (n_pollutants,):
                raise ValueError(f"{name} must have shape ({n_pollutants},)")
        if np.any(self.total <= 0):
            bad = [p for p, t in zip(self.pollutants, self.total, strict=True) if t <= 0]
            raise ValueError(f"society-wide total must be positive for {', '.join(bad)}")
        if n_options and np.any(self.option_batches > MAX_ROTATION_BATCHES):
            raise ValueError(f"a rotation may have at most {MAX_ROTATION_BATCHES} batches")
        counts = np.bincount(self.option_enterprise, minlength=self.n_enterprises)
        if np.any(counts == 0):
            raise ValueError(f"enterprise {int(np.argmin(counts))} has no option")

    @property
    def n_enterprises(self) -> int:
        """Number of enterprises (the highest enterprise index + 1)."""
        return int(self.option_enterprise.max()) + 1 if self.option_enterprise.size else 0


@dataclass(frozen=True)
class BindingConstraint:
    """A target that cannot be met, with the best any choice of options reaches.

    ``name`` is a pollutant ("SO2") or a pair ("SO2+NOx"); ratios are [0-1], shortfall [t/d] for a
    single pollutant (for a pair, in the first pollutant's tonnes).
    """

    name: str
    target: float
    best_ratio: float
    shortfall: float


@dataclass(frozen=True)
class PlanResult:
    """The answer of :func:`solve_least_cost`.

    ``status`` is ``"optimal"`` (proven within ``mip_gap``), ``"feasible"`` (a time limit stopped
    the search; ``choice`` is valid but not proven least-cost) or ``"infeasible"`` (``choice`` is
    ``None`` and ``binding`` names the constraints that cannot be met).
    """

    status: str
    choice: NDArray[np.int64] | None  # chosen option index per enterprise
    cost: float | None  # [yuan/d]
    ratio: NDArray[np.float64] | None  # achieved ratio per pollutant [0-1]
    mip_gap: float | None
    binding: tuple[BindingConstraint, ...] = ()
    message: str = ""


# HiGHS accepts rows violated within its tolerances (1e-7 primal, 1e-6 integrality), so a
# rounded answer can miss a target by a hair. Each retry asks for a little more; 1e-5 of a share
# is 0.001 percentage points.
_TARGET_MARGINS = (0.0, 1e-6, 1e-5)


def solve_least_cost(
    problem: PlanningProblem, *, time_limit: float = 60.0, mip_rel_gap: float = 1e-4
) -> PlanResult:
    """Choose one option per enterprise meeting every target at the least total cost.

    Parameters
    ----------
    problem
        The options and targets.
    time_limit
        HiGHS wall-clock limit [s].
    mip_rel_gap
        Relative optimality gap at which HiGHS stops and calls the answer optimal [-], as a share
        of the cost above every enterprise's cheapest option: the default 1e-4 means the extra
        cost is within 0.01 % of the least possible.
    """
    binding = diagnose_infeasibility(problem)
    if binding:
        names = ", ".join(b.name for b in binding)
        return PlanResult("infeasible", None, None, None, None, binding, f"cannot close: {names}")
    n_options = problem.option_enterprise.shape[0]
    n_enterprises = problem.n_enterprises
    one_each = sp.csr_array(
        (np.ones(n_options), (problem.option_enterprise, np.arange(n_options))),
        shape=(n_enterprises, n_options),
    )
    rows, lower = _target_rows(problem)
    # Each enterprise takes exactly one option, so its cheapest option's cost is paid anyway;
    # leaving it out makes HiGHS's relative gap a share of the *extra* cost, not of the total.
    cheapest = np.full(n_enterprises, np.inf)
    np.minimum.at(cheapest, problem.option_enterprise, problem.option_cost)
    extra_cost = problem.option_cost - cheapest[problem.option_enterprise]
    for margin in _TARGET_MARGINS:
        constraints = [
            LinearConstraint(one_each, np.ones(n_enterprises), np.ones(n_enterprises)),
            LinearConstraint(rows, lower + margin, np.full(lower.shape, np.inf)),
        ]
        result = milp(
            extra_cost,
            integrality=np.ones(n_options),
            bounds=Bounds(0, 1),
            constraints=constraints,
            options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap},
        )
        if result.x is None:
            # Every target is reachable alone (checked above) but not all at once, or HiGHS
            # ran out of time before it found any plan.
            status = "infeasible" if result.status == 2 and margin == 0.0 else "no plan found"
            joint = _all_constraints(problem) if result.status == 2 else ()
            return PlanResult(status, None, None, None, None, joint, result.message)
        chosen = np.flatnonzero(result.x > 0.5)
        choice = np.empty(n_enterprises, dtype=np.int64)
        choice[problem.option_enterprise[chosen]] = chosen
        if meets_targets(problem, choice):
            status = "optimal" if result.status == 0 else "feasible"
            gap = float(result.mip_gap) if result.mip_gap is not None else None
            cost = float(problem.option_cost[choice].sum())
            ratio = achieved_ratio(problem, choice)
            return PlanResult(status, choice, cost, ratio, gap, message=result.message)
    # HiGHS's tolerances left every rounded answer short: say so rather than pass it off.
    return PlanResult("no plan found", None, None, None, None, message="numerical trouble")


def achieved_ratio(problem: PlanningProblem, choice: NDArray[np.int64]) -> NDArray[np.float64]:
    """Reduction ratio per pollutant reached by one option per enterprise [0-1]."""
    reduced = problem.already + problem.option_reduction[choice].sum(axis=0)
    return np.asarray(reduced / problem.total, dtype=np.float64)


def meets_targets(problem: PlanningProblem, choice: NDArray[np.int64], tol: float = 1e-9) -> bool:
    """``True`` when ``choice`` meets every single and pair target (within ``tol``)."""
    ratio = achieved_ratio(problem, choice)
    if np.any(ratio < problem.target - tol):
        return False
    return all(ratio[p] + ratio[q] >= t - tol for p, q, t in problem.pairs)


def diagnose_infeasibility(problem: PlanningProblem) -> tuple[BindingConstraint, ...]:
    """The targets that no choice can meet, each on its own (empty when each is reachable).

    For a single pollutant the best is every enterprise's strongest option for it; for a pair, the
    strongest option for the pair's sum of ratios.
    """
    out: list[BindingConstraint] = []
    best = _best_per_enterprise(problem, np.eye(len(problem.pollutants)) / problem.total)
    for p, name in enumerate(problem.pollutants):
        best_ratio = problem.already[p] / problem.total[p] + best[p]
        if best_ratio < problem.target[p] - 1e-12:
            shortfall = (problem.target[p] - best_ratio) * problem.total[p]
            out.append(BindingConstraint(name, float(problem.target[p]), best_ratio, shortfall))
    for p, q, pair_target in problem.pairs:
        weights = np.zeros((1, len(problem.pollutants)))
        weights[0, p], weights[0, q] = 1 / problem.total[p], 1 / problem.total[q]
        best_ratio = float(
            _best_per_enterprise(problem, weights)[0]
            + problem.already[p] / problem.total[p]
            + problem.already[q] / problem.total[q]
        )
        if best_ratio < pair_target - 1e-12:
            name = f"{problem.pollutants[p]}+{problem.pollutants[q]}"
            shortfall = (pair_target - best_ratio) * float(problem.total[p])
            out.append(BindingConstraint(name, pair_target, best_ratio, shortfall))
    return tuple(out)


def _best_per_enterprise(problem: PlanningProblem, weights: NDArray[np.float64]) -> NDArray[Any]:
    """For each weight row, Σ over enterprises of the best option's weighted reduction."""
    scores = problem.option_reduction @ weights.T  # (n_options, n_rows)
    best = np.full((problem.n_enterprises, scores.shape[1]), -np.inf)
    np.maximum.at(best, problem.option_enterprise, scores)
    return np.asarray(best.sum(axis=0), dtype=np.float64)


def _target_rows(problem: PlanningProblem) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Constraint rows in ratio space: one per pollutant, then one per pair."""
    per_pollutant = (problem.option_reduction / problem.total).T
    rows = [per_pollutant]
    lower = [problem.target - problem.already / problem.total]
    for p, q, pair_target in problem.pairs:
        rows.append((per_pollutant[p] + per_pollutant[q])[None, :])
        already = problem.already[p] / problem.total[p] + problem.already[q] / problem.total[q]
        lower.append(np.array([pair_target - already]))
    return np.vstack(rows), np.concatenate(lower)


def _all_constraints(problem: PlanningProblem) -> tuple[BindingConstraint, ...]:
    """Every constraint with its lone best, for a problem whose targets conflict only jointly."""
    best = _best_per_enterprise(problem, np.eye(len(problem.pollutants)) / problem.total)
    return tuple(
        BindingConstraint(name, float(problem.target[p]), float(best[p]), 0.0)
        for p, name in enumerate(problem.pollutants)
    )


def greedy_cost_per_tonne(problem: PlanningProblem) -> PlanResult:
    """Baseline heuristic: start from each enterprise's cheapest option, then repeatedly take the
    upgrade with the lowest extra cost per unit of remaining gap closed (ratio-weighted tonnes).

    Used by the benchmark to show what the exact programme saves; not proven optimal.
    """
    n = problem.n_enterprises
    order = np.lexsort((problem.option_cost, problem.option_enterprise))
    first = np.ones(order.size, dtype=bool)
    first[1:] = problem.option_enterprise[order][1:] != problem.option_enterprise[order][:-1]
    choice = np.empty(n, dtype=np.int64)
    choice[problem.option_enterprise[order[first]]] = order[first]
    rows, lower = _target_rows(problem)
    while True:
        gap = lower - rows[:, choice].sum(axis=1)
        if np.all(gap <= 1e-12):
            break
        gain = np.minimum(
            rows - rows[:, choice[problem.option_enterprise]], np.maximum(gap, 0)[:, None]
        )
        useful = np.clip(gain, 0, None).sum(axis=0)
        extra = problem.option_cost - problem.option_cost[choice[problem.option_enterprise]]
        score = np.where(useful > 1e-15, np.maximum(extra, 0) / np.maximum(useful, 1e-15), np.inf)
        best = int(np.argmin(score))
        if not np.isfinite(score[best]):
            return PlanResult("infeasible", None, None, None, None, diagnose_infeasibility(problem))
        choice[problem.option_enterprise[best]] = best
    return PlanResult(
        "feasible",
        choice,
        float(problem.option_cost[choice].sum()),
        achieved_ratio(problem, choice),
        None,
        message="greedy cost-per-tonne heuristic",
    )


def brute_force(problem: PlanningProblem) -> PlanResult:
    """Exhaustive search over every combination of options (small problems only, for tests)."""
    per_enterprise = [
        np.flatnonzero(problem.option_enterprise == k) for k in range(problem.n_enterprises)
    ]
    best_cost, best_choice = np.inf, None
    for combination in itertools.product(*per_enterprise):
        choice = np.array(combination, dtype=np.int64)
        cost = float(problem.option_cost[choice].sum())
        if cost < best_cost and meets_targets(problem, choice):
            best_cost, best_choice = cost, choice
    if best_choice is None:
        return PlanResult("infeasible", None, None, None, None)
    ratio = achieved_ratio(problem, best_choice)
    return PlanResult("optimal", best_choice, best_cost, ratio, 0.0)
