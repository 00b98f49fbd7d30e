"""Deweathering: the normalised series follows emissions, not weather; trends and intervals."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from deweather_synthetic import SMALL, weather_driven

from hazeguard.evaluation import Normalised, normalise, trend_change
from hazeguard.evaluation.bootstrap import block_means

# Two years from 2020-07-01, the emission step at the middle: each half holds every season once,
# so the trend can be told from the season (with a single year it could not: both rise together).
FIRST_HALF = (pd.Timestamp("2020-07-01"), pd.Timestamp("2021-06-29"))
SECOND_HALF = (pd.Timestamp("2021-07-01"), pd.Timestamp("2022-06-29"))


@functools.cache
def _normalised(step: float) -> Normalised:
    return normalise(weather_driven(days=730, step=step), SMALL, n_samples=60)


def test_it_recovers_most_of_a_30_percent_emission_cut() -> None:
    (change,) = trend_change(_normalised(0.3).daily, FIRST_HALF, SECOND_HALF, n_boot=500)
    assert change.percent_high < 0.0
    # The published procedure attenuates a step: resampling the day of year apart from the trend
    # asks the trees about (date, season) pairs never seen, which blend both sides of the step.
    # Measured here: -22 % for -30 % (the random forest: -18 %); docs/evaluation.md.
    assert -33.0 < change.percent < -18.0


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_without_an_emission_change_the_deweathered_change_is_small(seed: int) -> None:
    data = weather_driven(days=730, seed=seed)
    (change,) = trend_change(normalise(data, SMALL, n_samples=60).daily, FIRST_HALF, SECOND_HALF)
    # Measured: +4.0, +2.1, -1.0 %; the block-bootstrap interval (sampling of days) contains
    # zero for seeds 4 and 5 but not 3, where the trend term took up part of a weather difference
    # between the two years (observed +4.6 %). docs/evaluation.md states this limit.
    assert abs(change.percent) < 5.0
    assert change.percent_low < change.percent < change.percent_high


def test_the_normalised_series_is_smoother_than_the_observed_one() -> None:
    daily = _normalised(0.0).daily
    assert daily["normalised"].std() < 0.3 * daily["observed"].std()
    assert set(daily.columns) >= {"station", "pollutant", "date", "observed", "predicted"}


def test_it_reports_the_out_of_sample_fit_of_each_model() -> None:
    (fit,) = _normalised(0.0).fits
    assert (fit.station, fit.pollutant, fit.kind) == ("synthetic", "pm25", "gradient_boosting")
    assert 0.5 < fit.r2 <= 1.0
    assert fit.test_hours == 146 * 24  # 20 % of 730 days, whole days
    assert fit.train_hours + fit.test_hours == 730 * 24


def test_the_same_seed_gives_the_same_series() -> None:
    again = normalise(weather_driven(days=730, step=0.3), SMALL, n_samples=60)
    pd.testing.assert_frame_equal(again.daily, _normalised(0.3).daily)


def test_the_published_random_forest_can_be_chosen() -> None:
    from hazeguard.evaluation import ModelSettings

    forest = ModelSettings(kind="random_forest", trees=20)
    result = normalise(weather_driven(days=60), forest, n_samples=20)
    assert result.fits[0].kind == "random_forest"
    assert result.daily["normalised"].notna().all()


def test_a_week_block_bootstrap_draws_whole_weeks() -> None:
    dates = pd.date_range("2021-01-01", periods=14, freq="D")
    values = np.r_[np.zeros(7), np.ones(7)]  # week one all 0, week two all 1
    means = block_means(dates, values, "week", 200, np.random.default_rng(0))
    assert set(np.round(means, 6)) <= {0.0, 0.5, 1.0}
