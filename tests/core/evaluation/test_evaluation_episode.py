"""An episode's effect: a known cut is recovered in its interval; with no cut, zero is inside."""

from __future__ import annotations

import functools

import pandas as pd
import pytest
from deweather_synthetic import SMALL, weather_driven

from hazeguard.evaluation import EpisodeEffect, evaluate_episode

WINDOW = ("2021-01-10", "2021-01-15")


@functools.cache
def _effect(cut: float) -> EpisodeEffect:
    data = weather_driven(cut=cut, window=WINDOW)
    (effect,) = evaluate_episode(
        data, pd.Timestamp(WINDOW[0]), pd.Timestamp(WINDOW[1]), settings=SMALL, season_days=60
    )
    return effect


def test_it_recovers_a_30_percent_cut_within_its_interval() -> None:
    effect = _effect(0.30)
    assert effect.percent_low <= -30.0 <= effect.percent_high
    assert effect.percent_high < 0.0, "a 30 % cut must stand out from no effect"
    assert effect.percent == pytest.approx(-30.0, abs=10.0)
    assert effect.placebo_rank < 0.1


def test_without_measures_the_interval_contains_zero() -> None:
    effect = _effect(0.0)
    assert effect.percent_low <= 0.0 <= effect.percent_high


def test_it_reports_every_day_of_the_episode_and_the_placebo_runs() -> None:
    effect = _effect(0.30)
    assert [d.date.day for d in effect.days] == [10, 11, 12, 13, 14]
    assert effect.hours == 5 * 24
    assert len(effect.placebo_percents) >= 10
    # Most no-warning windows show no effect (the intervals are built to be wrong 5 % of the time).
    assert effect.placebo_significant <= 0.2
    assert 0.0 < effect.r2 <= 1.0


def test_it_refuses_an_episode_that_ends_before_it_starts() -> None:
    data = weather_driven(days=60)
    with pytest.raises(ValueError, match="ends"):
        evaluate_episode(data, pd.Timestamp("2020-08-05"), pd.Timestamp("2020-08-01"))


def test_it_says_when_the_record_is_too_short_for_placebo_runs() -> None:
    data = weather_driven(days=60)
    with pytest.raises(ValueError, match="placebo windows"):
        evaluate_episode(
            data, pd.Timestamp("2020-08-10"), pd.Timestamp("2020-08-20"), settings=SMALL
        )


def test_the_same_seed_gives_the_same_result() -> None:
    data = weather_driven(days=365, cut=0.3, window=WINDOW)
    again = evaluate_episode(
        data, pd.Timestamp(WINDOW[0]), pd.Timestamp(WINDOW[1]), settings=SMALL, season_days=60
    )
    assert again == [_effect(0.3)]
