"""``hazeguard aqi hourly|daily|rolling``: reports from hourly measurements."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import BEIJING_OPTIONS, assert_input_error, hourly_csv, run, write


def test_daily_gives_one_row_per_station_and_natural_day(tmp_path: Path) -> None:
    result = run(
        "daily",
        hourly_csv(tmp_path / "h.csv"),
        "-o",
        tmp_path / "d.csv",
        "--standard",
        "HJ633-2012",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "d.csv", keep_default_na=False)
    assert out[["station", "date"]].values.tolist() == [
        ["A", "2015-12-01"],
        ["A", "2015-12-02"],
        ["B", "2015-12-01"],
        ["B", "2015-12-02"],
    ]
    assert out["pm25_24h"].tolist() == [101.0, 101.0, 151.0, 151.0]
    assert out["iaqi_pm25_24h"].tolist() == [133, 133, 201, 201]  # 132.5 and 200.5, ceiled
    assert out["aqi"].tolist() == [133, 133, 201, 201]
    assert out["o3_8h"].tolist() == [59.5] * 4  # mean of 56 … 63, the window ending 24:00
    for column in ("level", "category", "primary_pollutants", "exceedance_pollutants"):
        assert column in out.columns


def test_daily_city_indexes_the_mean_of_the_stations(tmp_path: Path) -> None:
    result = run(
        "daily",
        hourly_csv(tmp_path / "h.csv"),
        "-o",
        tmp_path / "d.csv",
        "--city",
        "--standard",
        "HJ633-2012",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "d.csv")
    assert out["station"].tolist() == ["city", "city"]
    assert out["pm25_24h"].tolist() == [126.0, 126.0]
    assert out["aqi"].tolist() == [166, 166]  # not the stations' mean AQI (133 + 201) / 2 = 167


def test_hourly_gives_the_real_time_aqi_of_each_hour(tmp_path: Path) -> None:
    result = run(
        "hourly",
        hourly_csv(tmp_path / "h.csv", days=1, stations=("A",)),
        "-o",
        tmp_path / "o.csv",
        "--standard",
        "HJ633-2026",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "o.csv")
    assert len(out) == 24
    assert out["time"].iat[0] == "2015-12-01 01:00:00"
    # HJ 633-2026 real time: PM2.5 1 h 100 on the daily column (60 → 100, 115 → 150): 137.
    assert out["iaqi_pm25_1h"].iat[0] == 137
    assert "iaqi_pm25_24h" in out.columns


def test_rolling_gives_the_24_hour_aqi_ending_at_each_hour(tmp_path: Path) -> None:
    result = run(
        "rolling",
        hourly_csv(tmp_path / "h.csv", stations=("A",)),
        "-o",
        tmp_path / "r.csv",
        "--standard",
        "HJ633-2012",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "r.csv")
    assert len(out) == 48
    assert out["pm25_24h"].isna().sum() == 19  # fewer than 20 hours before 20:00 of day one
    daily = pd.read_csv(tmp_path / "r.csv").set_index("time")
    assert daily.loc["2015-12-02 00:00:00", "pm25_24h"] == 101.0


def test_it_converts_co_from_micrograms(tmp_path: Path) -> None:
    table = write(
        tmp_path / "h.csv",
        "time,co\n"
        + "".join(f"2015-12-01 {h:02d}:00,2200\n" for h in range(1, 24))
        + "2015-12-02 00:00,2200\n",
    )
    result = run(
        "daily", table, "-o", tmp_path / "d.csv", "--co-unit", "ug", "--standard", "HJ633-2012"
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "d.csv")
    assert "station" not in out.columns
    assert out["co_24h"].tolist() == [2.2]
    assert out["iaqi_co_24h"].tolist() == [55]  # exact 55, not the naive-float 56


def test_it_takes_times_with_an_offset_as_beijing_time(tmp_path: Path) -> None:
    table = write(
        tmp_path / "h.csv", "time,pm25\n2015-11-30T18:00:00Z,30\n2015-12-01T01:00+08:00,40\n"
    )
    result = run("hourly", table, "-o", tmp_path / "o.csv")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["time"].tolist() == ["2015-12-01 01:00:00", "2015-12-01 02:00:00"]
    assert out["pm25_1h"].tolist() == [40.0, 30.0]  # 18:00 UTC is 02:00 in Beijing
    table = write(tmp_path / "h2.csv", "time,pm25\n2015-12-01T01:00Z,30\n2015-12-01 09:00,40\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result,
        f"{table}: row 3, column 'time': duplicate time "
        f"2015-12-01 09:00:00; first given in {table} row 2",
    )


def test_it_reads_the_beijing_layout_from_several_files_by_a_glob(tmp_path: Path) -> None:
    header = "No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,station\n"
    for station, pm25 in (("Dongsi", 100), ("Tiantan", 200)):
        rows = "".join(
            f"{h + 1},2015,12,1,{h},{pm25},NA,3,40,1000,20,-1.5,{station}\n" for h in range(24)
        )
        write(tmp_path / f"PRSA_Data_{station}.csv", header + rows)
    result = run(
        "daily",
        tmp_path / "PRSA_Data_*.csv",
        "-o",
        tmp_path / "d.csv",
        "--city",
        "--map",
        "station=station",
        *BEIJING_OPTIONS,
        "--standard",
        "HJ633-2012",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "d.csv")
    assert out["date"].tolist() == ["2015-12-01"]  # hours 0 … 23 are the hours of that day
    assert out["pm25_24h"].tolist() == [150.0]
    assert out["co_24h"].tolist() == [1.0]
    assert np.isnan(out["pm10_24h"].iat[0])
    assert out["aqi"].tolist() == [200]


def test_the_command_runs_as_a_real_process_with_a_clean_error(tmp_path: Path) -> None:
    good = hourly_csv(tmp_path / "h.csv", days=1, stations=("A",))
    command = [
        sys.executable,
        "-m",
        "hazeguard",
        "aqi",
        "daily",
        str(good),
        "-o",
        str(tmp_path / "d.parquet"),
        "--standard",
        "HJ633-2012",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    assert pd.read_parquet(tmp_path / "d.parquet")["aqi"].tolist() == [133]
    bad = write(tmp_path / "bad.csv", "time,pm25\n2015-12-01 01:00,x\n")
    command[5] = str(bad)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == f"Error: {bad}: row 2, column 'pm25': 'x' is not a number\n"


@pytest.mark.parametrize("command", ["index", "hourly", "daily", "rolling"])
def test_each_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "-o, --output" in result.output


def test_it_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    files = [hourly_csv(tmp_path / f"{name}.csv", days=1, stations=(name,)) for name in "AB"]
    command = [sys.executable, "-m", "hazeguard", "aqi", "daily", *map(str, files),
               "-o", str(tmp_path / "d.csv")]  # fmt: skip
    leader, follower = pty.openpty()
    done = subprocess.run(command, stderr=follower, stdout=subprocess.PIPE, check=False)
    os.close(follower)
    shown = os.read(leader, 65536).decode("utf-8", "replace")
    os.close(leader)
    assert done.returncode == 0
    assert "aqi daily" in shown
    assert "100%" in shown


@pytest.mark.parametrize(
    ("options", "pm25", "co"),
    [
        (["--standard", "HJ633-2012"], 100.5, 1.25),  # 2012: no pre-rounding by default
        (["--standard", "HJ633-2026"], 100.0, 1.2),  # 2026 §4.2.2: GB/T 8170, halves to even
        (["--standard", "HJ633-2012", "--round", "always"], 100.0, 1.2),
        (["--standard", "HJ633-2026", "--round", "never"], 100.5, 1.25),
    ],
)
def test_concentrations_are_rounded_per_gb_t_8170_where_the_standard_asks(
    tmp_path: Path, options: list[str], pm25: float, co: float
) -> None:
    times = pd.date_range("2015-12-01 01:00", periods=24, freq="h").strftime("%Y-%m-%d %H:%M")
    # Twelve hours of each value: means of exactly 100.5 and 1.25, halves that round to even.
    rows = "".join(f"{t},{100 + i % 2},{1.2 + 0.1 * (i % 2):.1f}\n" for i, t in enumerate(times))
    table = write(tmp_path / "h.csv", "time,pm25,co\n" + rows)
    result = run("daily", table, "-o", tmp_path / "d.csv", *options)
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "d.csv")
    assert out["pm25_24h"].tolist() == [pm25]
    assert out["co_24h"].tolist() == [co]


def test_it_reads_parquet_times_with_a_time_zone(tmp_path: Path) -> None:
    times = pd.date_range("2015-11-30 17:00", periods=2, freq="h", tz="UTC")
    pd.DataFrame({"time": times, "pm25": [10.0, 20.0]}).to_parquet(tmp_path / "h.parquet")
    result = run("hourly", tmp_path / "h.parquet", "-o", tmp_path / "o.csv")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["time"].tolist() == ["2015-12-01 01:00:00", "2015-12-01 02:00:00"]


def test_co_in_micrograms_becomes_the_exact_milligram_value(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,co\n2015-12-01 01:00,1900\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv", "--co-unit", "ug")
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "o.csv")["co_1h"].tolist() == [1.9]  # not 1.9000000000000001
