"""``hazeguard aqi``: index tables, hourly/daily/rolling reports, and errors that name the cell."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from hazeguard.cli import main

BEIJING_OPTIONS = [
    "--co-unit", "ug", "--time-parts", "year,month,day,hour", "--hour-label", "start",
    "--map", "PM2.5=pm25", "--map", "PM10=pm10", "--map", "SO2=so2", "--map", "NO2=no2",
    "--map", "CO=co", "--map", "O3=o3",
]  # fmt: skip


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["aqi", *map(str, args)])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def hourly_csv(path: Path, days: int = 2, stations: tuple[str, ...] = ("A", "B")) -> Path:
    times = pd.date_range("2015-12-01 01:00", periods=24 * days, freq="h")
    rows = []
    for number, station in enumerate(stations):
        for k, time in enumerate(times):
            rows.append(
                {
                    "time": time.strftime("%Y-%m-%d %H:%M"),
                    "station": station,
                    "pm25": 100 + 50 * number + k % 3,
                    "pm10": 150,
                    "so2": 20,
                    "no2": 60,
                    "co": 1.5,
                    "o3": 40 + k % 24,
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def assert_input_error(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"Error: {message}"
    assert "Traceback" not in result.output


# --- aqi index ---------------------------------------------------------------------------------


def test_index_adds_sub_indices_aqi_level_category_and_pollutants(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "site,pm25_24h,o3_8h,co_24h\nX,80,120,1.9\nY,35,,0.5\n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--standard", "HJ633-2012")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert out["site"].tolist() == ["X", "Y"]  # other columns pass through
    assert out["iaqi_pm25_24h"].tolist() == [107, 50]
    assert out["iaqi_co_24h"].tolist() == [48, 13]
    assert out["aqi"].tolist() == [107, 50]
    assert out["level"].tolist() == [3, 1]
    assert out["category"].tolist() == ["轻度污染", "优"]
    assert out["primary_pollutants"].tolist() == ["pm25_24h", ""]
    assert out["exceedance_pollutants"].tolist() == ["pm25_24h", ""]


def test_index_reads_and_writes_parquet(tmp_path: Path) -> None:
    pd.DataFrame({"pm10_24h": [151.0], "no2_1h": [350.0]}).to_parquet(tmp_path / "in.parquet")
    result = run(
        "index",
        tmp_path / "in.parquet",
        "-o",
        tmp_path / "out.parquet",
        "--mode",
        "realtime",
        "--standard",
        "HJ633-2026",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["iaqi_no2_1h"].tolist() == [115]


def test_index_rejects_an_unknown_indicator_naming_the_header_cell(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h,o3_24h\n1,2\n")
    result = run("index", table, "-o", tmp_path / "out.csv")
    assert_input_error(
        result,
        f"{table}: row 1, column 'o3_24h': unknown indicator; known: "
        "pm25_24h, pm10_24h, so2_24h, no2_24h, co_24h, o3_1h, o3_8h, so2_1h, "
        "no2_1h, co_1h, pm25_1h, pm10_1h",
    )


def test_index_rejects_text_in_a_number_cell(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h,note\n12,a\n13,b\nabout 40,c\n")
    result = run("index", table, "-o", tmp_path / "out.csv")
    assert_input_error(result, f"{table}: row 4, column 'pm25_24h': 'about 40' is not a number")


def test_index_rejects_a_negative_concentration(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "so2_24h\n5\n-3\n")
    result = run("index", table, "-o", tmp_path / "out.csv")
    assert_input_error(
        result,
        f"{table}: row 3, column 'so2_24h': negative value -3; a concentration is never negative",
    )


# --- hourly, daily, rolling --------------------------------------------------------------------


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


def test_it_reports_a_bad_cell_in_the_second_file_with_that_files_row(tmp_path: Path) -> None:
    first = hourly_csv(tmp_path / "a.csv", days=1, stations=("A",))
    second = write(
        tmp_path / "b.csv", "time,station,pm25\n2015-12-01 01:00,B,5\n2015-12-01 02:00,B,-1\n"
    )
    result = run("hourly", first, second, "-o", tmp_path / "o.csv")
    assert_input_error(
        result,
        f"{second}: row 3, column 'pm25': negative value -1; a concentration is never negative",
    )


def test_it_names_the_files_own_column_for_a_mapped_pollutant(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,PM2.5\n2015-12-01 01:00,12\n2015-12-01 02:00,twelve\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv", "--map", "PM2.5=pm25")
    assert_input_error(result, f"{table}: row 3, column 'PM2.5': 'twelve' is not a number")


def test_it_rejects_a_duplicate_time_for_a_station(tmp_path: Path) -> None:
    table = write(
        tmp_path / "h.csv",
        "time,station,pm25\n2015-12-01 01:00,A,1\n2015-12-01 01:00,B,2\n2015-12-01 01:00,A,3\n",
    )
    result = run("daily", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result,
        f"{table}: row 4, column 'time': duplicate time "
        f"2015-12-01 01:00:00 for station 'A'; first given in {table} row 2",
    )


def test_it_rejects_a_time_that_does_not_parse(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,pm25\n2015-12-01 01:00,1\n2015-13-01 02:00,2\n")
    result = run("rolling", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result, f"{table}: row 3, column 'time': time '2015-13-01 02:00' is not an ISO 8601 time"
    )


def test_it_rejects_a_date_that_does_not_exist_in_time_parts(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "year,month,day,hour,pm25\n2015,2,28,0,1\n2015,2,29,0,1\n")
    result = run("daily", table, "-o", tmp_path / "o.csv", "--time-parts", "year,month,day,hour")
    assert_input_error(result, f"{table}: row 3, column 'day': date 2015-2-29 does not exist")


def test_it_rejects_an_unknown_map_target() -> None:
    result = run("daily", "x.csv", "-o", "o.csv", "--map", "PM2.5=pm2")
    assert result.exit_code == 2
    assert "'PM2.5=pm2': expected COLUMN=NAME" in result.output


def test_it_rejects_a_missing_time_column(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "when,pm25\n2015-12-01 01:00,1\n")
    result = run("daily", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result, f"{table}: row 1, column 'time': no time column (map one or give the time parts)"
    )


def test_it_rejects_a_glob_that_matches_nothing(tmp_path: Path) -> None:
    result = run("daily", tmp_path / "none*.csv", "-o", tmp_path / "o.csv")
    assert_input_error(result, f"{tmp_path / 'none*.csv'}: no file matches")


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


def test_index_chooses_the_standard_by_the_time_column(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "day,pm25_24h\n2026-02-28,70\n2026-03-01,70\n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--time-column", "day")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["standard"].tolist() == ["HJ633-2012", "HJ633-2026"]
    assert out["aqi"].tolist() == [94, 110]  # 50 + 35 × 50/40 → 94; 100 + 10 × 50/55 → 110


def test_index_rejects_a_missing_time_column(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h\n70\n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--time-column", "day")
    assert_input_error(result, f"{table}: row 1, column 'day': no such column")


def test_it_counts_a_blank_line_as_a_row_of_the_file(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,pm25\n2015-12-01 01:00,1\n\n2015-12-01 03:00,x\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv")
    assert_input_error(result, f"{table}: row 3, column 'time': time is empty")


def test_it_reads_parquet_times_with_a_time_zone(tmp_path: Path) -> None:
    times = pd.date_range("2015-11-30 17:00", periods=2, freq="h", tz="UTC")
    pd.DataFrame({"time": times, "pm25": [10.0, 20.0]}).to_parquet(tmp_path / "h.parquet")
    result = run("hourly", tmp_path / "h.parquet", "-o", tmp_path / "o.csv")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["time"].tolist() == ["2015-12-01 01:00:00", "2015-12-01 02:00:00"]


def test_it_reads_the_standards_na_and_slash_marks_as_missing(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h,so2_24h\n80,/\nNA, / \n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--standard", "HJ633-2012")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["aqi"].fillna(-1).tolist() == [107, -1]
    assert out["so2_24h"].isna().all()


def test_co_in_micrograms_becomes_the_exact_milligram_value(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,co\n2015-12-01 01:00,1900\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv", "--co-unit", "ug")
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "o.csv")["co_1h"].tolist() == [1.9]  # not 1.9000000000000001
