"""The backtest on a slice of the real data in ../shared/data (skipped where it is absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from forecast_fixtures import FAST

from hazeguard.forecast import verify
from hazeguard.io.daily import read_daily_history
from hazeguard.io.daily_weather import daily_weather_from_hourly

pytestmark = pytest.mark.shared_data


def test_beijing_weather_from_the_twelve_stations_is_plausible(shared_data: Path) -> None:
    files = sorted((shared_data / "beijing-multisite").glob("PRSA_Data_*.csv"))[:3]
    weather = daily_weather_from_hourly(files)
    assert len(weather) == 1461  # 2013-03-01 … 2017-02-28
    january = weather.loc["2016-01"]
    assert -15 < january["temperature"].mean() < 5  # Beijing's January is below freezing
    assert january["precipitation"].sum() < 20
    assert weather["wind_direction"].between(0, 360).all()


def test_a_winter_backtest_on_beijings_published_daily_aqi(shared_data: Path) -> None:
    history = read_daily_history(shared_data / "city-daily-aqi" / "beijing.csv")
    result = verify(history, pd.Timestamp("2016-12-01"), pd.Timestamp("2016-12-31"), settings=FAST)
    lead_1 = result.to_dict()["lead_days"]["1"]
    assert result.issues == 31
    assert np.isfinite(lead_1["persistence"]["csi"])  # December 2016 had heavy days
    # Any model worth keeping beats the calendar-fortnight median the day after.
    assert lead_1["model"]["mae"] < lead_1["climatology"]["mae"]


def test_the_weather_command_writes_a_table_the_model_reads(
    shared_data: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from hazeguard.cli import main
    from hazeguard.io.daily_weather import read_daily_weather

    station = shared_data / "beijing-multisite" / "PRSA_Data_Dongsi_20130301-20170228.csv"
    output = tmp_path / "weather.csv"
    result = CliRunner().invoke(main, ["forecast", "weather", str(station), "-o", str(output)])
    assert result.exit_code == 0, result.output
    weather = read_daily_weather(output)
    assert set(weather.columns) == {
        "temperature",
        "dew_point",
        "pressure",
        "wind_speed",
        "wind_direction",
        "precipitation",
    }
    assert len(weather) == 1461
