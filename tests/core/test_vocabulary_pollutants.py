"""Measurement columns and indicators name their pollutant through the one vocabulary."""

from __future__ import annotations

import pytest

from hazeguard.io.daily import primary_name
from hazeguard.vocabulary import pollutant_of_measurement


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("pm25", "PM2.5"),
        ("pm25_1h", "PM2.5"),
        ("PM2.5", "PM2.5"),
        ("O3_8h", "O3"),
        ("co_mg_m3", "CO"),
        (" pm10", "PM10"),
        ("-", ""),
        ("", ""),
        ("dust", ""),
    ],
)
def test_a_column_or_indicator_names_its_pollutant(name: str, code: str) -> None:
    assert pollutant_of_measurement(name) == code


def test_a_daily_history_primary_cell_is_read_through_the_vocabulary() -> None:
    assert primary_name("pm25_24h;pm10_24h") == "PM2.5"
    assert primary_name("O3_8h") == "O3"
    assert primary_name("—") == ""
