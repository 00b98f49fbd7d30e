"""Properties of the exact index, checked against an independent rational-arithmetic oracle."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hazeguard.aqi import INDICATORS, STANDARDS, breakpoints, iaqi, index_arrays, mode_indicators

COLUMNS = [(standard, indicator) for standard in STANDARDS for indicator in INDICATORS]


def oracle(indicator: str, standard: str, concentration: Fraction) -> float:
    """式(1) in exact rationals, rounded up, with the column's rule above its top."""
    column = breakpoints(indicator, standard)
    limits, rows = column.concentrations, column.iaqi
    if concentration > column.top:
        return {"cap": 500.0, "na": math.nan, "top": float(rows[-1])}[column.above_top]
    for low, high, i_low, i_high in zip(limits, limits[1:], rows, rows[1:], strict=False):
        if low <= concentration <= high:
            value = Fraction(i_high - i_low, high - low) * (concentration - low) + i_low
            return float(math.ceil(value))
    raise AssertionError("unreachable: limits start at 0")


@pytest.mark.parametrize(("standard", "indicator"), COLUMNS)
def test_every_tenth_of_a_unit_up_to_past_the_top_matches_the_oracle(
    standard: str, indicator: str
) -> None:
    # Covers all 124 concentrations (per standard) where naive float arithmetic rounds up wrongly.
    top = breakpoints(indicator, standard).top
    tenths = np.arange(0, (top + 2) * 10 + 1)
    expected = [oracle(indicator, standard, Fraction(int(t), 10)) for t in tenths]
    np.testing.assert_array_equal(iaqi(indicator, tenths / 10, standard=standard), expected)


@pytest.mark.parametrize(("standard", "indicator"), COLUMNS)
def test_a_value_on_a_breakpoint_gives_the_breakpoints_iaqi(standard: str, indicator: str) -> None:
    column = breakpoints(indicator, standard)
    result = iaqi(indicator, np.array(column.concentrations, dtype=float), standard=standard)
    np.testing.assert_array_equal(result, column.iaqi)


column_strategy = st.sampled_from(COLUMNS)
decimals = st.decimals(min_value=0, max_value=4000, places=6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(column=column_strategy, value=decimals)
def test_any_decimal_at_the_resolution_matches_the_oracle(
    column: tuple[str, str], value: Decimal
) -> None:
    standard, indicator = column
    expected = oracle(indicator, standard, Fraction(value))
    result = iaqi(indicator, float(value), standard=standard)
    assert result == expected or (math.isnan(result) and math.isnan(expected))


concentrations = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(column=column_strategy, a=concentrations, b=concentrations)
def test_the_iaqi_never_falls_as_the_concentration_rises(
    column: tuple[str, str], a: float, b: float
) -> None:
    standard, indicator = column
    low, high = sorted((a, b))
    if breakpoints(indicator, standard).above_top == "na":
        high = min(high, breakpoints(indicator, standard).top)  # no sub-index above: NaN
        low = min(low, high)
    assert iaqi(indicator, low, standard=standard) <= iaqi(indicator, high, standard=standard)


@settings(max_examples=100, deadline=None)
@given(
    column=column_strategy,
    values=st.lists(st.one_of(concentrations, st.just(math.nan)), min_size=1, max_size=50),
)
def test_the_vectorised_path_equals_the_scalar_path(
    column: tuple[str, str], values: list[float]
) -> None:
    standard, indicator = column
    vectorised = iaqi(indicator, np.array(values), standard=standard)
    one_by_one = [iaqi(indicator, value, standard=standard) for value in values]
    np.testing.assert_array_equal(vectorised, one_by_one)


@settings(max_examples=100, deadline=None)
@given(
    standard=st.sampled_from(STANDARDS),
    rows=st.lists(st.lists(concentrations, min_size=6, max_size=6), min_size=1, max_size=20),
)
def test_the_aqi_is_the_highest_sub_index_of_the_report(
    standard: str, rows: list[list[float]]
) -> None:
    names = mode_indicators("realtime", standard)
    table = np.array(rows)
    result = index_arrays(
        {name: table[:, i] for i, name in enumerate(names)}, standard=standard, mode="realtime"
    )
    sub_indices = np.column_stack([result.iaqi[name] for name in names])
    np.testing.assert_array_equal(result.aqi, np.nanmax(sub_indices, axis=1))
