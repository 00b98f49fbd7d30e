"""Least-cost planning: the MILP against brute force on seeded random small instances."""

from __future__ import annotations

import numpy as np
import pytest

from hazeguard.reduction.planner import (
    PlanningProblem,
    brute_force,
    greedy_cost_per_tonne,
    meets_targets,
    solve_least_cost,
)

POLLUTANTS = ("SO2", "NOx", "PM", "VOCs")


def random_problem(seed: int, n_enterprises: int = 6, max_options: int = 3) -> PlanningProblem:
    """Each enterprise: a zero-cost floor option plus stronger, dearer ones (like real measures)."""
    rng = np.random.default_rng(seed)
    enterprise, reduction, cost = [], [], []
    for k in range(n_enterprises):
        baseline = rng.uniform(0, 2, size=4) * (rng.random(4) < 0.8)
        price = rng.uniform(1e4, 1e5)
        shares = np.sort(rng.choice([0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0], size=max_options))
        shares = np.unique(shares)
        for share in shares:
            enterprise.append(k)
            reduction.append(baseline * share)
            cost.append(price * share)
    total = np.full(4, 2.0 * n_enterprises)
    target = np.array([0.10, 0.10, 0.10, 0.10]) * rng.uniform(0.5, 2.0)
    return PlanningProblem(
        POLLUTANTS,
        np.array(enterprise, dtype=np.int64),
        np.array(reduction),
        np.array(cost),
        np.zeros(len(cost), dtype=np.int64),
        total,
        np.zeros(4),
        target,
        pairs=((0, 1, 2 * target[0] + 0.01),),
    )


@pytest.mark.parametrize("seed", range(40))
def test_it_finds_the_same_least_cost_as_brute_force(seed: int) -> None:
    problem = random_problem(seed)
    exact = brute_force(problem)
    result = solve_least_cost(problem)
    if exact.status == "infeasible":
        assert result.status == "infeasible"
        assert result.choice is None
        return
    assert result.status == "optimal"
    assert result.choice is not None
    assert meets_targets(problem, result.choice)
    assert result.cost == pytest.approx(exact.cost, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_the_greedy_baseline_is_never_cheaper_than_the_optimum(seed: int) -> None:
    problem = random_problem(seed, n_enterprises=8)
    optimum, greedy = solve_least_cost(problem), greedy_cost_per_tonne(problem)
    if optimum.status != "optimal":
        return
    assert greedy.choice is not None
    assert meets_targets(problem, greedy.choice)
    assert greedy.cost is not None
    assert optimum.cost is not None
    assert greedy.cost >= optimum.cost - 1e-6


def two_enterprise_problem(target: list[float], pair: float = 0.0) -> PlanningProblem:
    # enterprise 0: floor (nothing) or stop (SO2 3, NOx 1);
    # enterprise 1: floor or stop (NOx 2, PM 1)
    return PlanningProblem(
        POLLUTANTS,
        np.array([0, 0, 1, 1]),
        np.array([[0, 0, 0, 0], [3, 1, 0, 0], [0, 0, 0, 0], [0, 2, 1, 0]], dtype=float),
        np.array([0.0, 100.0, 0.0, 50.0]),
        np.zeros(4, dtype=np.int64),
        np.array([10.0, 10.0, 10.0, 10.0]),
        np.array([0.0, 0.0, 0.0, 1.0]),
        np.array(target),
        pairs=((0, 1, pair),) if pair else (),
    )


def test_it_names_the_pollutant_whose_gap_cannot_be_closed_even_with_every_candidate() -> None:
    result = solve_least_cost(two_enterprise_problem([0.1, 0.1, 0.2, 0.1]))
    assert result.status == "infeasible"
    assert result.choice is None
    assert result.cost is None
    (binding,) = result.binding
    assert binding.name == "PM"
    assert binding.best_ratio == pytest.approx(0.1)
    assert binding.shortfall == pytest.approx(1.0)  # 0.2 × 10 t/d needed, 1 t/d reachable


def test_it_names_a_pair_target_that_cannot_be_met() -> None:
    result = solve_least_cost(two_enterprise_problem([0.0, 0.0, 0.0, 0.0], pair=0.7))
    assert result.status == "infeasible"
    assert [b.name for b in result.binding] == ["SO2+NOx"]
    assert result.binding[0].best_ratio == pytest.approx(0.6)


def test_it_counts_reductions_booked_outside_the_choice() -> None:
    result = solve_least_cost(two_enterprise_problem([0.0, 0.0, 0.0, 0.1]))
    assert result.status == "optimal"
    assert result.cost == 0.0  # VOCs 1 t/d already booked from the mobile list


def test_it_picks_the_cheaper_of_two_ways_to_close_a_nox_gap() -> None:
    result = solve_least_cost(two_enterprise_problem([0.0, 0.1, 0.0, 0.0]))
    assert result.choice is not None
    assert result.choice.tolist() == [0, 3]
    assert result.cost == 50.0


def test_it_rejects_a_rotation_of_more_than_three_batches() -> None:
    problem = two_enterprise_problem([0.0] * 4)
    with pytest.raises(ValueError, match="at most 3 batches"):
        PlanningProblem(
            POLLUTANTS,
            problem.option_enterprise,
            problem.option_reduction,
            problem.option_cost,
            np.array([0, 4, 0, 0]),
            problem.total,
            problem.already,
            problem.target,
        )
