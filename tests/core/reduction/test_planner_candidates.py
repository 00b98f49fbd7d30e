"""Options built from a real-shaped list: floors, A-grade autonomy, essential caps, costs."""

from __future__ import annotations

import numpy as np
import pytest
from sample_list import CEMENT, GLASS, HEATING, sample_book

from hazeguard.reduction.candidates import MissingOutputValueError, OptionMenu, build_candidates
from hazeguard.reduction.model import LevelTargets, Pollutant, WarningLevel
from hazeguard.reduction.planner import brute_force, meets_targets, solve_least_cost
from hazeguard.reduction.synthetic import generate_city

TEN_PERCENT = LevelTargets(dict.fromkeys(Pollutant, 0.1), so2_nox_sum=0.20)


def options_of(candidates: object, code: str) -> int:
    index = candidates.credit_codes.index(code)  # type: ignore[attr-defined]
    return int((candidates.problem.option_enterprise == index).sum())  # type: ignore[attr-defined]


def test_a_grade_and_essential_enterprises_get_only_their_own_plan() -> None:
    book = sample_book()
    candidates = build_candidates(
        book.emission_list, WarningLevel.YELLOW, TEN_PERCENT, book.output_value
    )
    assert options_of(candidates, GLASS) == 1
    assert options_of(candidates, HEATING) == 1
    assert options_of(candidates, CEMENT) == 1 + 3  # floor and three limits: it has two lines


def test_a_single_line_enterprise_may_stop_or_rotate_but_not_limit() -> None:
    city = generate_city(60, seed=4)
    values = {(e.credit_code, u.unit_id): 1e5 for e in city.enterprises for u in e.units}
    candidates = build_candidates(city, WarningLevel.YELLOW, TEN_PERCENT, values)
    problem = candidates.problem
    for k, enterprise in enumerate(city.enterprises):
        mine = problem.option_enterprise == k
        shares = set(candidates.option_share[mine & (problem.option_batches == 0)].tolist())
        rotations = set(problem.option_batches[mine].tolist()) - {0}
        if sum(u.operating for u in enterprise.units) == 1 and len(shares) > 1:
            assert shares == {0.0, 1.0}
            assert rotations == {2, 3}
        elif len(shares) > 1:
            assert shares == {0.0, 0.2, 0.5, 1.0}
            assert not rotations


def test_the_floor_option_costs_the_output_of_what_the_site_plan_stops() -> None:
    book = sample_book()
    candidates = build_candidates(
        book.emission_list, WarningLevel.YELLOW, TEN_PERCENT, book.output_value
    )
    problem = candidates.problem
    cement = candidates.credit_codes.index(CEMENT)
    floor = np.flatnonzero((problem.option_enterprise == cement) & (candidates.option_share == 0))
    assert problem.option_cost[floor[0]] == pytest.approx(1.2e6)  # line 1 stops at yellow
    np.testing.assert_allclose(problem.option_reduction[floor[0]], [0.4, 1.2, 0.3, 0.0])


def test_every_option_is_at_least_the_floor() -> None:
    city = generate_city(40, seed=3)
    values = {(e.credit_code, u.unit_id): 1e5 for e in city.enterprises for u in e.units}
    candidates = build_candidates(city, WarningLevel.ORANGE, TEN_PERCENT, values)
    problem = candidates.problem
    floor_of = {}
    for m in np.flatnonzero(candidates.option_share == 0):
        floor_of[int(problem.option_enterprise[m])] = problem.option_reduction[m]
    for m, k in enumerate(problem.option_enterprise):
        assert np.all(problem.option_reduction[m] >= floor_of[int(k)] - 1e-12)
    assert np.all(problem.option_batches <= 3)


def test_it_refuses_to_cost_units_without_an_output_value() -> None:
    book = sample_book()
    with pytest.raises(MissingOutputValueError, match=HEATING):
        build_candidates(book.emission_list, WarningLevel.RED, TEN_PERCENT, {})


@pytest.mark.parametrize("seed", range(6))
def test_it_plans_a_small_synthetic_city_as_cheaply_as_brute_force(seed: int) -> None:
    city = generate_city(5, seed=seed)
    rng = np.random.default_rng(seed)
    values = {
        (e.credit_code, u.unit_id): rng.uniform(1e4, 1e6) for e in city.enterprises for u in e.units
    }
    menu = OptionMenu(limit_shares=(0.5, 1.0), rotation_batches=(2,))
    targets = LevelTargets(dict.fromkeys(Pollutant, 0.02 * (seed % 3 + 1)), so2_nox_sum=0.05)
    problem = build_candidates(city, WarningLevel.YELLOW, targets, values, menu=menu).problem
    exact, result = brute_force(problem), solve_least_cost(problem)
    assert result.status == exact.status
    if exact.status == "optimal":
        assert result.choice is not None
        assert meets_targets(problem, result.choice)
        assert result.cost == pytest.approx(exact.cost, rel=1e-6)
