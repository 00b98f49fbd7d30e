"""report_frame: indicators of a report, rounding where the standard asks, then the index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hazeguard.aqi.from_hourly import report_frame
from hazeguard.aqi.indicators import hourly_grid


def two_days(start: str) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start) + pd.Timedelta(hours=1), periods=48, freq="h")


def test_without_a_standard_each_day_is_indexed_and_rounded_under_the_standard_in_force() -> None:
    # 2026-02-28 is under HJ 633-2012 (no pre-rounding); 2026-03-01 under HJ 633-2026 (rounded).
    pm25 = np.tile([60.0, 61.0], 24)  # daily mean 60.5
    grid = hourly_grid(two_days("2026-02-28"), {"pm25": pm25})
    report = report_frame(grid, "daily")
    assert report["standard"].tolist() == ["HJ633-2012", "HJ633-2026"]
    assert report["pm25_24h"].tolist() == [60.5, 60.0]
    # 2012: 50 + 25.5 × 50 / 40 = 81.875 → 82; 2026: PM2.5 60 is IAQI 100 exactly.
    assert report["aqi"].tolist() == [82, 100]


def test_the_rolling_report_at_midnight_equals_the_daily_report() -> None:
    rng = np.random.default_rng(11)
    concentrations = {p: rng.uniform(1, 300, 48) for p in ("pm25", "pm10", "o3")}
    grid = hourly_grid(two_days("2015-12-01"), concentrations)
    daily = report_frame(grid, "daily", standard="HJ633-2012")
    rolling = report_frame(grid, "rolling", standard="HJ633-2012").set_index("time")
    midnights = daily["date"] + pd.Timedelta(days=1)
    assert rolling.loc[midnights, "aqi"].tolist() == daily["aqi"].tolist()


def test_the_real_time_report_of_2012_indexes_pm_by_24_hour_moving_means() -> None:
    pm25 = np.r_[np.full(24, 35.0), np.full(24, 500.0)]
    grid = hourly_grid(two_days("2015-12-01"), {"pm25": pm25})
    realtime = report_frame(grid, "hourly", standard="HJ633-2012", mode="realtime").iloc[24]
    by_letter = report_frame(grid, "hourly", standard="HJ633-2012", mode="realtime-2012").iloc[24]
    assert realtime["aqi"] == 500  # the current hour, 500 µg/m³
    # The 24 h ending then: 23 hours of 35 and one of 500, mean 54.375 → IAQI 75.
    assert by_letter["pm25_24h"] == pytest.approx(54.375)
    assert by_letter["aqi"] == 75


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"report": "weekly"}, "unknown report 'weekly'"),
        ({"report": "daily", "rounding": "sometimes"}, "unknown rounding 'sometimes'"),
    ],
)
def test_it_rejects_an_unknown_report_or_rounding(arguments: dict, message: str) -> None:
    grid = hourly_grid(two_days("2015-12-01"), {"pm25": np.ones(48)})
    with pytest.raises(ValueError, match=message):
        report_frame(grid, **arguments)
