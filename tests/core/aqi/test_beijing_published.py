"""The Beijing city daily AQI from 12 stations' hourly data against the published daily AQI.

Computed: ../shared/data/beijing-multisite (UCI 501, 12 national-control stations, hourly), HJ
633-2012 (in force 2016-2026; the data are 2013-2017), daily report, city = mean of the stations'
concentrations. Published: ../shared/data/city-daily-aqi/beijing.csv (aqistudy.cn). Figures are
printed (run with -s) and recorded in docs/aqi-data.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hazeguard.aqi import HJ633_2012
from hazeguard.aqi.from_hourly import report_frame
from hazeguard.aqi.indicators import hourly_grid
from hazeguard.io.beijing import read_beijing_multisite

pytestmark = pytest.mark.shared_data

PUBLISHED_COLUMNS = {1: "date", 2: "published_aqi", 5: "published_pm25"}
CNEMC_1H_PM_FROM = pd.Timestamp("2014-01-01 00:00")  # end label of the last hour of 2013


@pytest.fixture(scope="module")
def days(shared_data: Path) -> pd.DataFrame:
    """One row per day present in both sources: computed daily AQI, published AQI, and the mean
    of the day's 24 real-time AQIs (the published recipe, see the last test)."""
    files = sorted((shared_data / "beijing-multisite").glob("PRSA_Data_*.csv"))
    assert len(files) == 12
    measurements = read_beijing_multisite(files)
    grid = hourly_grid(measurements.times, measurements.concentrations, measurements.stations)
    daily = report_frame(grid, "daily", city=True, standard=HJ633_2012, rounding="never")
    # The national platform indexed hourly PM by its 24-h moving mean (HJ 633-2012 Table 4)
    # until 2013-12-31 and by the current 1-h value from 2014-01-01 (reference aqi-hj633.md §2.5).
    hourly = {
        mode: report_frame(
            grid, "hourly", city=True, standard=HJ633_2012, mode=mode, rounding="never"
        )
        for mode in ("realtime-2012", "realtime")
    }
    times = hourly["realtime"]["time"]
    realtime_aqi = (
        hourly["realtime"]["aqi"]
        .astype(float)
        .where(times > CNEMC_1H_PM_FROM, hourly["realtime-2012"]["aqi"].astype(float))
    )
    # An hour belongs to the day it starts in (the hour ending 24:00 to the day before).
    mean_hourly = np.ceil(
        realtime_aqi.groupby((times - pd.Timedelta(hours=1)).dt.normalize()).mean()
    )
    published = pd.read_csv(
        shared_data / "city-daily-aqi" / "beijing.csv", header=None, encoding="utf-8-sig"
    ).rename(columns=PUBLISHED_COLUMNS)[list(PUBLISHED_COLUMNS.values())]
    published["date"] = pd.to_datetime(published["date"])
    table = daily[["date", "aqi", "pm25_24h", "primary_pollutants"]].merge(published, on="date")
    table["mean_hourly_aqi"] = table["date"].map(mean_hourly)
    return table.dropna(subset=["aqi", "published_aqi"]).astype({"aqi": float})


def agreement(computed: pd.Series, published: pd.Series) -> tuple[float, float]:
    heavy = float(((computed > 200) == (published > 200)).mean())
    within_5 = float(((computed - published).abs() <= 5).mean())
    return heavy, within_5


def test_the_daily_report_agrees_with_the_published_aqi_on_heavy_days(days: pd.DataFrame) -> None:
    heavy, within_5 = agreement(days["aqi"], days["published_aqi"])
    by_year = days.assign(ok=(days["aqi"] - days["published_aqi"]).abs() <= 5)
    print(
        f"\nBeijing daily AQI, HJ 633-2012 daily report vs published, {len(days)} common days: "
        f"'AQI > 200' agrees on {heavy:.1%}, within ±5 on {within_5:.1%}; within ±5 by year: "
        + ", ".join(
            f"{y} {v:.0%}" for y, v in by_year.groupby(by_year.date.dt.year).ok.mean().items()
        )
    )
    assert len(days) >= 1150
    assert heavy >= 0.97


def test_the_pm25_means_agree_with_the_published_ones(days: pd.DataFrame) -> None:
    difference = days["pm25_24h"] - days["published_pm25"]
    within_5 = float((difference.abs() <= 5).mean())
    print(f"\nPM2.5 24-h mean: median difference {difference.median():+.2f} µg/m³, "
          f"within ±5 µg/m³ on {within_5:.1%}")  # fmt: skip
    assert abs(difference.median()) < 1.0
    assert within_5 >= 0.85


@pytest.mark.xfail(
    reason="the published daily AQI is the mean of the day's hourly AQIs, not the HJ 633 daily "
    "report; on O3 days they differ by far more than 5 (docs/aqi-data.md)",
    strict=True,
)
def test_the_daily_report_is_within_5_of_the_published_aqi_on_80_percent_of_days(
    days: pd.DataFrame,
) -> None:
    assert agreement(days["aqi"], days["published_aqi"])[1] >= 0.80


def test_the_published_aqi_is_close_to_the_mean_of_the_hourly_aqis(days: pd.DataFrame) -> None:
    # Evidence for the xfail above: rebuilding the published figure as the mean of the day's 24
    # real-time AQIs (as the national platform computed them on that date) matches far better.
    heavy, within_5 = agreement(days["mean_hourly_aqi"], days["published_aqi"])
    daily_within_5 = agreement(days["aqi"], days["published_aqi"])[1]
    close = (days["mean_hourly_aqi"] - days["published_aqi"]).abs() <= 5
    by_year = close.groupby(days["date"].dt.year).mean()
    print("\nwithin ±5 by year: " + ", ".join(f"{y} {v:.0%}" for y, v in by_year.items()))
    print(f"\nmean of the day's hourly AQIs vs published: 'AQI > 200' {heavy:.1%}, "
          f"within ±5 {within_5:.1%} (daily report: {daily_within_5:.1%})")  # fmt: skip
    assert heavy >= 0.99
    assert within_5 >= 0.80
    assert within_5 >= daily_within_5 + 0.2
