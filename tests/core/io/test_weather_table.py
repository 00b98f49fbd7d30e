"""Hourly weather handed in as text, the hourly weather table, and days made of it."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from hazeguard.io.daily_weather import daily_weather_from_table
from hazeguard.io.tables import TableError
from hazeguard.io.weather import weather_from_frame, weather_from_table, weather_table

TEXT = (
    "time,station,wind_speed,wind_direction,temperature\n"
    + "".join(
        f"2026-01-05 {h:02d}:00,{s},{2 + h % 3},{d},{-h / 2}\n"
        for s, d in (("B", "N"), ("A", "E"))
        for h in range(1, 24)
    )
    + "2026-01-06 00:00,A,1,E,0\n2026-01-06 00:00,B,1,N,0\n"
)


def _rows(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_text_is_checked_as_a_file_is_and_round_trips_through_the_table() -> None:
    weather = weather_from_frame(_rows(TEXT), "upload.csv")
    table = weather_table(weather)
    assert list(table.columns) == ["time", "station", "wind_speed", "wind_direction", "temperature"]
    assert table["station"].iloc[0] == "A", "sorted by station, then time"
    again = weather_table(weather_from_table(table))
    pd.testing.assert_frame_equal(table, again, check_dtype=False)


def test_a_bad_cell_names_the_upload_row_and_column() -> None:
    with pytest.raises(TableError, match=r"upload.csv: row 2, column 'wind_direction'"):
        weather_from_frame(_rows(TEXT.replace(",3,N,", ",3,nowhere,", 1)), "upload.csv")


def test_a_day_is_the_hours_starting_in_it_with_the_wind_averaged_as_a_vector() -> None:
    days = daily_weather_from_table(weather_table(weather_from_frame(_rows(TEXT), "u.csv")))
    assert list(days.index) == [pd.Timestamp("2026-01-05")]
    # Station A blows from the east, B from the north: the mean vector comes from the north-east.
    assert days["wind_direction"].iloc[0] == pytest.approx(45.0)
    hours_temperature = np.array([-h / 2 for h in range(1, 24)] + [0.0])
    assert days["temperature"].iloc[0] == pytest.approx(round(hours_temperature.mean(), 2))
