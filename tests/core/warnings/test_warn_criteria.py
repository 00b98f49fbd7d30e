"""Criteria semantics on daily and hourly rolling 24-h values, at the thresholds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hazeguard.warnings.criteria import (
    AllOf,
    AnyOf,
    Persistence,
    Series,
    chain_starts,
    evaluate,
    lowest_threshold,
)

OVER_200_FOR_2_DAYS = Persistence(threshold=200, days=2, clause="003 §3.1")


def daily_series(values: list[float], primary: tuple[str, ...] = ()) -> Series:
    return Series(np.array(values, dtype=float), primary, 1)


def hourly_series(values: list[float]) -> Series:
    return Series(np.array(values, dtype=float), (), 24)


def test_it_matches_two_consecutive_days_over_200_on_daily_data() -> None:
    (match,) = evaluate(OVER_200_FOR_2_DAYS, daily_series([150, 201, 201, 100]))
    assert match.steps == (1, 2)


def test_it_does_not_match_exactly_200_since_the_plan_says_greater_than() -> None:
    assert evaluate(OVER_200_FOR_2_DAYS, daily_series([200, 200, 200])) == ()
    assert evaluate(OVER_200_FOR_2_DAYS, daily_series([200, 201, 201])) != ()


def test_it_does_not_match_two_days_over_200_that_are_not_consecutive() -> None:
    assert evaluate(OVER_200_FOR_2_DAYS, daily_series([250, 150, 250])) == ()


def test_it_matches_48_hours_as_two_back_to_back_24_hour_windows_starting_at_any_hour() -> None:
    # Rolling values: only the windows ending at hour 5 and hour 29 are over 200.
    values = [150.0] * 60
    values[5] = values[29] = 230
    (match,) = evaluate(OVER_200_FOR_2_DAYS, hourly_series(values))
    assert match.steps == (5, 29)


def test_it_matches_48_hours_but_not_47_hours_of_rolling_values_over_200() -> None:
    # 25 rolling rows over 200 span 24 h + 24 h = 48 h; 24 rows span only 47 h.
    forty_eight = [150.0] * 3 + [250.0] * 25 + [150.0] * 3
    forty_seven = [150.0] * 3 + [250.0] * 24 + [150.0] * 4
    assert evaluate(OVER_200_FOR_2_DAYS, hourly_series(forty_eight)) != ()
    assert evaluate(OVER_200_FOR_2_DAYS, hourly_series(forty_seven)) == ()


def test_it_needs_the_second_window_exactly_24_hours_after_the_first() -> None:
    values = [150.0] * 60
    values[5] = values[28] = 230  # 23 h apart: overlapping windows do not count
    assert evaluate(OVER_200_FOR_2_DAYS, hourly_series(values)) == ()


def test_reaches_500_matches_500_itself() -> None:
    reaches = Persistence(threshold=500, days=1, op=">=", clause="003 §3.1")
    assert evaluate(reaches, daily_series([499])) == ()
    assert evaluate(reaches, daily_series([500])) != ()


def test_a_pm25_primary_criterion_ignores_ozone_days() -> None:
    pm25 = Persistence(threshold=150, days=2, primary_pollutant="PM2.5", clause="000 §3.1")
    assert evaluate(pm25, daily_series([180, 180], ("O3", "O3"))) == ()
    assert evaluate(pm25, daily_series([180, 180], ("PM2.5", "PM2.5+PM10"))) != ()


def test_an_unknown_primary_pollutant_satisfies_a_pollutant_condition() -> None:
    ozone = Persistence(threshold=150, days=2, primary_pollutant="O3", clause="000 §3.1")
    assert evaluate(ozone, daily_series([180, 180], ("", ""))) != ()


def test_all_of_needs_every_part_and_reports_each() -> None:
    red = AllOf((Persistence(200, 4), Persistence(300, 2)), "003 §3.1")
    assert evaluate(red, daily_series([250, 310, 310, 250])) != ()
    assert len(evaluate(red, daily_series([250, 310, 310, 250]))) == 2
    assert evaluate(red, daily_series([250, 310, 290, 250])) == ()


def test_any_of_reports_only_the_parts_that_match() -> None:
    red = AnyOf((Persistence(200, 4), Persistence(500, 1, op=">=")), "003 §3.1")
    (match,) = evaluate(red, daily_series([100, 500]))
    assert match.criterion == Persistence(500, 1, op=">=")


def test_at_least_days_over_counts_within_the_run() -> None:
    orange = Persistence(200, 3, at_least_days_over=(300, 1), clause="beijing-README §2016")
    assert evaluate(orange, daily_series([250, 250, 301])) != ()
    assert evaluate(orange, daily_series([250, 250, 300, 301])) != ()
    assert evaluate(orange, daily_series([301, 150, 250, 250, 250])) == ()


def test_missing_values_never_exceed() -> None:
    assert evaluate(OVER_200_FOR_2_DAYS, daily_series([250, float("nan"), 250])) == ()


def test_it_rejects_a_zero_duration_and_an_unknown_operator() -> None:
    with pytest.raises(ValueError, match="at least 1 day"):
        Persistence(200, 0)
    with pytest.raises(ValueError, match="unknown operator"):
        Persistence(200, 1, op="<")  # type: ignore[arg-type]


def test_lowest_threshold_looks_inside_nested_criteria() -> None:
    nested = AnyOf((AllOf((Persistence(200, 4), Persistence(300, 2))), Persistence(150, 2)))
    assert lowest_threshold([nested]) == 150


def test_chain_starts_work_row_by_row_on_two_dimensional_masks() -> None:
    mask = np.array([[True, True, False], [False, True, True]])
    assert chain_starts(mask, 2, 1).tolist() == [[True, False, False], [False, True, False]]


@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(st.sampled_from([100.0, 200.0, 201.0, 301.0, 500.0]), min_size=1, max_size=7),
    threshold=st.sampled_from([150.0, 200.0, 300.0]),
    duration=st.integers(min_value=1, max_value=4),
)
def test_hourly_rolling_values_constant_within_each_day_decide_like_daily_values(
    days: list[float], threshold: float, duration: int
) -> None:
    criterion = Persistence(threshold, duration)
    hourly = np.repeat(np.array(days), 24)
    on_daily = evaluate(criterion, daily_series(days))
    on_hourly = evaluate(criterion, hourly_series(list(hourly)))
    assert bool(on_daily) == bool(on_hourly)
    if on_daily:
        # The first hourly chain starts in the hours of the first matching day.
        assert on_hourly[0].steps[0] // 24 == on_daily[0].steps[0]
