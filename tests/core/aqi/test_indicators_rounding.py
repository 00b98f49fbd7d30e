"""GB/T 8170 rounding ("四舍六入五成双") of concentrations before indexing."""

from __future__ import annotations

import numpy as np
import pytest

from hazeguard.aqi.rounding import round_gb8170, round_indicator, snap


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.5, 0, 2.0),  # exact half: to the even neighbour
        (3.5, 0, 4.0),
        (2.51, 0, 3.0),  # a 5 followed by non-zero digits rounds up
        (2.4999, 0, 2.0),
        (2.6, 0, 3.0),
        (4.9, 0, 5.0),
        (0.25, 1, 0.2),  # CO to 0.1 mg/m³
        (0.35, 1, 0.4),  # 0.35 is 0.34999… in binary, but was written as an exact half
        (2.675, 2, 2.68),
        (74.5, 0, 74.0),
        (75.5, 0, 76.0),
    ],
)
def test_it_rounds_half_to_even_as_gb_t_8170_says(
    value: float, decimals: int, expected: float
) -> None:
    assert round_gb8170(value, decimals) == expected


def test_rounding_keeps_nan() -> None:
    assert np.isnan(round_gb8170([np.nan], 0)[0])


def test_co_is_rounded_to_a_tenth_and_the_others_to_integers() -> None:
    assert round_indicator("co_24h", [1.25, 1.35]).tolist() == [1.2, 1.4]
    assert round_indicator("pm25_24h", [34.5, 35.5]).tolist() == [34.0, 36.0]


def test_it_rejects_an_unknown_indicator() -> None:
    with pytest.raises(ValueError, match="unknown indicator 'pm1_24h'"):
        round_indicator("pm1_24h", [1.0])


def test_snap_removes_float_noise_but_keeps_real_decimals() -> None:
    assert snap(75.00000000000001) == 75.0
    assert snap(102.4) == 102.4
    assert snap(75.0000042) == 75.000004
