"""Sampling and level probabilities on synthetic cases whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from hazeguard.forecast.distribution import (
    Z90,
    correlation,
    from_scores,
    joint_scores,
    nearest_correlation,
    normal_scores,
)
from hazeguard.forecast.predict import Quantiles, trajectories
from hazeguard.forecast.probability import decided_ranks, level_probabilities, outcomes
from hazeguard.plans import load_plan
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.criteria import Persistence
from hazeguard.warnings.rules import Level, WarningRules

# One level: AQI > 200 on two consecutive days (the shape of Beijing 2016's yellow); polluted days
# less than 36 h apart are one episode, so a pair anywhere in the forecast is in its first episode.
TWO_DAYS = WarningRules(
    plan_id="two-days",
    levels=(Level("yellow", "III", (Persistence(200.0, 2),)),),
    merging_hours=36.0,
)
SAMPLES = 40_000
TOLERANCE = 0.015  # > 4 standard errors of a share of 40,000 samples


def band(days: int, low: float, median: float, high: float) -> Quantiles:
    shape = (1, days)
    return Quantiles(
        low=np.full(shape, low),
        median=np.full(shape, median),
        high=np.full(shape, high),
        primary=np.full(shape, "PM2.5"),
    )


def sampled(days: int, matrix: np.ndarray, median: float = 200.0) -> np.ndarray:
    rng = np.random.default_rng(7)
    return trajectories(matrix, band(days, 100.0, median, 400.0), SAMPLES, rng, days)[0]


def test_a_forecast_certain_to_meet_red_gives_p_red_1() -> None:
    rules = rules_from_plan(load_plan("beijing-2016"))
    certain = np.full((500, 5), 450.0)  # every trajectory > 300 for five days
    probabilities = level_probabilities(rules, certain)
    red = outcomes(rules).index("red")
    assert probabilities[-1, red] == 1.0
    assert probabilities[-1].sum() == pytest.approx(1.0)


def test_a_narrow_band_far_above_red_samples_to_p_red_1() -> None:
    rules = rules_from_plan(load_plan("beijing-2016"))
    trajectories_ = trajectories(
        np.eye(5), band(5, 440.0, 450.0, 460.0), 2000, np.random.default_rng(1), 5
    )
    probabilities = level_probabilities(rules, trajectories_[0])
    assert probabilities[-1, outcomes(rules).index("red")] == 1.0
    # Day 1 alone meets blue (> 200 for 1 day) only; red needs four days.
    assert probabilities[0, outcomes(rules).index("blue")] == 1.0


def test_independent_days_at_one_half_give_the_two_day_criterion_its_exact_probability() -> None:
    trajectories_ = sampled(4, np.eye(4))
    assert (trajectories_ > 200).mean() == pytest.approx(0.5, abs=TOLERANCE)
    probabilities = level_probabilities(TWO_DAYS, trajectories_)
    yellow = outcomes(TWO_DAYS).index("yellow")
    # Two days over 200 among n independent fair days: 1/4 (n=2), 3/8 (n=3), 8/16 (n=4).
    assert probabilities[0, yellow] == 0.0
    assert probabilities[1, yellow] == pytest.approx(1 / 4, abs=TOLERANCE)
    assert probabilities[2, yellow] == pytest.approx(3 / 8, abs=TOLERANCE)
    assert probabilities[3, yellow] == pytest.approx(1 / 2, abs=TOLERANCE)
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_fully_correlated_days_meet_the_two_day_criterion_half_the_time() -> None:
    trajectories_ = sampled(2, np.ones((2, 2)))
    yellow = outcomes(TWO_DAYS).index("yellow")
    assert level_probabilities(TWO_DAYS, trajectories_)[1, yellow] == pytest.approx(
        0.5, abs=TOLERANCE
    )


def test_the_copula_keeps_the_day_to_day_correlation() -> None:
    matrix = np.array([[1.0, 0.6], [0.6, 1.0]])
    scores = joint_scores(matrix, SAMPLES, np.random.default_rng(3))
    assert np.corrcoef(scores.T)[0, 1] == pytest.approx(0.6, abs=0.02)
    assert correlation(scores)[0, 1] == pytest.approx(0.6, abs=0.02)


def test_the_split_normal_passes_through_the_three_quantiles() -> None:
    low, median, high = np.array([1.0]), np.array([2.0]), np.array([4.0])
    assert normal_scores(low, low, median, high)[0] == pytest.approx(-Z90)
    assert normal_scores(high, low, median, high)[0] == pytest.approx(Z90)
    values = np.array([0.5, 1.5, 2.0, 3.0, 9.0])
    back = from_scores(normal_scores(values, low, median, high), low, median, high)
    assert np.allclose(back, values)


def test_sampled_aqi_holds_ten_percent_beyond_each_bound() -> None:
    trajectories_ = sampled(1, np.eye(1), median=150.0)
    assert (trajectories_ < 100).mean() == pytest.approx(0.1, abs=TOLERANCE)
    assert (trajectories_ > 400).mean() == pytest.approx(0.1, abs=TOLERANCE)
    assert trajectories_.max() <= 500.0  # the AQI scale ends at 500


def test_a_nearly_singular_correlation_is_made_usable() -> None:
    matrix = nearest_correlation(np.array([[1.0, 1.2], [1.2, 1.0]]))
    np.linalg.cholesky(matrix)
    assert np.allclose(np.diag(matrix), 1.0)


def test_a_plan_with_an_advisory_notice_has_it_among_the_outcomes() -> None:
    rules = rules_from_plan(load_plan("liaocheng-2020"))
    assert outcomes(rules) == ("none", "advisory", "yellow", "orange", "red")


def test_unknown_days_never_meet_a_criterion() -> None:
    ranks = decided_ranks(TWO_DAYS, np.array([[250.0, np.nan, 250.0, 250.0]]))
    assert ranks.tolist() == [[0, 0, 0, 3]]
