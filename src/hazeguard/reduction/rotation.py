"""Rotating shutdown (轮流停产): split enterprises into at most 3 batches of near-equal reductions.

On any day of a rotation exactly one batch is stopped (emission-list.md §7.2 "rotating shutdown in
n batches"), so the reduction the city can count on every day is that of the *weakest* batch; the
batches should therefore be as equal as possible. At most 3 batches are allowed (seed 003 §2
"采用轮流停产减排方式达到限产比例要求的，原则上轮流停产不应超过 3批次").

:func:`balance_batches` solves the assignment exactly as a MILP with HiGHS: minimise, summed over
pollutants, the spread (largest minus smallest batch reduction) as a share of the pollutant's
total, i.e. ``min Σ_p (U_p - L_p) / T_p`` with ``L_p ≤ Σ_i r[i,p]·x[i,b] ≤ U_p`` for every batch.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from hazeguard.reduction.planner import MAX_ROTATION_BATCHES


@dataclass(frozen=True)
class Rotation:
    """Batches of a rotating shutdown.

    Attributes
    ----------
    batch
        Batch of each enterprise, 1-based, shape ``(n_enterprises,)``.
    batch_reduction
        Reduction while each batch is stopped, shape ``(batches, n_pollutants)`` [t/d].
    spread
        The objective: Σ over pollutants of (largest - smallest batch) / total [-].
    proven_optimal
        ``False`` when HiGHS stopped on its time limit.
    """

    batch: NDArray[np.int64]
    batch_reduction: NDArray[np.float64]
    spread: float
    proven_optimal: bool

    @property
    def guaranteed_reduction(self) -> NDArray[np.float64]:
        """Reduction available on every day of the rotation: the weakest batch [t/d]."""
        return np.asarray(self.batch_reduction.min(axis=0), dtype=np.float64)


def balance_batches(
    reduction: NDArray[np.float64], batches: int, *, time_limit: float = 20.0
) -> Rotation:
    """Assign each enterprise to one of ``batches`` batches with near-equal batch reductions.

    Parameters
    ----------
    reduction
        Reduction when each enterprise stops, shape ``(n_enterprises, n_pollutants)`` [t/d].
    batches
        Number of batches, 1 to 3.
    time_limit
        HiGHS wall-clock limit [s]; a large pool may return a good, not proven, split.
    """
    reduction = np.atleast_2d(np.asarray(reduction, dtype=np.float64))
    n, n_pollutants = reduction.shape
    if not 1 <= batches <= MAX_ROTATION_BATCHES:
        raise ValueError(f"a rotation has 1 to {MAX_ROTATION_BATCHES} batches, got {batches}")
    if n < batches:
        raise ValueError(f"{n} enterprises cannot fill {batches} batches")
    scale = _scale(reduction)
    # Variables: x[i, b] (n*batches binaries), then U_p and L_p (2*n_pollutants continuous).
    n_x = n * batches
    c = np.concatenate([np.zeros(n_x), scale, -scale])
    rows, lower, upper = [], [], []
    for i in range(n):  # each enterprise in exactly one batch
        row = np.zeros(n_x + 2 * n_pollutants)
        row[i * batches : (i + 1) * batches] = 1
        rows.append(row)
        lower.append(1.0)
        upper.append(1.0)
    for b in range(batches):
        occupied = np.zeros(n_x + 2 * n_pollutants)
        occupied[b:n_x:batches] = 1  # no empty batch: it would stop nobody on its days
        rows.append(occupied)
        lower.append(1.0)
        upper.append(np.inf)
        for p in range(n_pollutants):
            load = np.zeros(n_x + 2 * n_pollutants)
            load[b:n_x:batches] = reduction[:, p]
            below_upper = load.copy()
            below_upper[n_x + p] = -1  # S_bp - U_p <= 0
            above_lower = load.copy()
            above_lower[n_x + n_pollutants + p] = -1  # S_bp - L_p >= 0
            rows += [below_upper, above_lower]
            lower += [-np.inf, 0.0]
            upper += [0.0, np.inf]
    integrality = np.concatenate([np.ones(n_x), np.zeros(2 * n_pollutants)])
    lb = np.zeros(n_x + 2 * n_pollutants)
    ub = np.concatenate([np.ones(n_x), np.full(2 * n_pollutants, np.inf)])
    ub[0] = 1  # symmetry: the first enterprise goes to batch 1 (batches are interchangeable)
    lb[0] = 1
    result = milp(
        c,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        constraints=LinearConstraint(np.array(rows), np.array(lower), np.array(upper)),
        options={"time_limit": time_limit},
    )
    if result.x is None:
        raise RuntimeError(f"rotation balancing found no assignment: {result.message}")
    assignment = result.x[:n_x].reshape(n, batches).argmax(axis=1)
    return _rotation(reduction, assignment, batches, proven_optimal=result.status == 0)


def brute_force_batches(reduction: NDArray[np.float64], batches: int) -> Rotation:
    """Exhaustive search over every assignment (small pools only, for tests)."""
    reduction = np.atleast_2d(np.asarray(reduction, dtype=np.float64))
    n = reduction.shape[0]
    best: Rotation | None = None
    for rest in itertools.product(range(batches), repeat=n - 1):
        assignment = np.array((0, *rest))
        if len(set(assignment.tolist())) < batches:
            continue  # every batch must hold at least one enterprise
        candidate = _rotation(reduction, assignment, batches, proven_optimal=True)
        if best is None or candidate.spread < best.spread - 1e-12:
            best = candidate
    if best is None:
        raise ValueError(f"{n} enterprises cannot fill {batches} batches")
    return best


def spread_of(reduction: NDArray[np.float64], batch_reduction: NDArray[np.float64]) -> float:
    """Σ over pollutants of (largest - smallest batch reduction) / total [-]."""
    spans = batch_reduction.max(axis=0) - batch_reduction.min(axis=0)
    return float(np.dot(spans, _scale(np.atleast_2d(reduction))))


def _scale(reduction: NDArray[np.float64]) -> NDArray[np.float64]:
    totals = reduction.sum(axis=0)
    # A pollutant nobody in the pool emits has nothing to balance.
    return np.where(totals > 0, 1.0 / np.where(totals > 0, totals, 1.0), 0.0)


def _rotation(
    reduction: NDArray[np.float64],
    assignment: NDArray[np.int64],
    batches: int,
    *,
    proven_optimal: bool,
) -> Rotation:
    batch_reduction = np.zeros((batches, reduction.shape[1]))
    np.add.at(batch_reduction, assignment, reduction)
    return Rotation(
        np.asarray(assignment + 1, dtype=np.int64),
        batch_reduction,
        spread_of(reduction, batch_reduction),
        proven_optimal,
    )
