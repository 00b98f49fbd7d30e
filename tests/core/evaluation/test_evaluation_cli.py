"""``hazeguard evaluate``: normalise, trend and episode from files; errors name file/row/column."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from deweather_synthetic import weather_driven

from hazeguard.cli import main
from paths import SHARED_DATA

SMALL = ["--trees", "40"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["evaluate", *map(str, args)])


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    table = weather_driven(days=400, cut=0.3).table
    table["time"] = table["time"].dt.strftime("%Y-%m-%dT%H:%M")
    hourly = tmp_path / "stations.csv"
    weather = tmp_path / "weather.csv"
    table[["time", "station", "pm25"]].to_csv(hourly, index=False)
    table.drop(columns=["station", "pm25"]).to_csv(weather, index=False)
    return hourly, weather


def test_normalise_then_trend_from_the_files(files: tuple[Path, Path], tmp_path: Path) -> None:
    hourly, weather = files
    output = tmp_path / "normalised.csv"
    result = run("normalise", "--hourly", hourly, "--weather", weather, "-o", output,
                 "--samples", "20", "--city", "--json", *SMALL)  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["n_samples"] == 20
    assert document["fits"][0]["station"] == "synthetic"
    daily = pd.read_csv(output)
    assert set(daily["station"]) == {"synthetic", "city"}
    result = run("trend", output, "--before", "2020-07-01", "2020-12-31",
                 "--after", "2021-01-01", "2021-06-30", "--boot", "200")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pm25" in result.output
    assert "95 % interval" in result.output


def test_episode_prints_the_effect_and_writes_the_days(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    hourly, weather = files
    days = tmp_path / "days.csv"
    result = run("episode", "--hourly", hourly, "--weather", weather, "--station", "synthetic",
                 "--from", "2021-01-10", "--to", "2021-01-15", "--season-days", "60",
                 "-o", days, "--json", *SMALL)  # fmt: skip
    assert result.exit_code == 0, result.output
    (effect,) = json.loads(result.output)
    assert effect["pollutant"] == "pm25"
    assert effect["percent_low"] <= -30 <= effect["percent_high"]
    assert len(pd.read_csv(days)) == 5


def test_a_bad_weather_cell_is_named_by_file_row_and_column(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    hourly, weather = files
    table = pd.read_csv(weather, dtype={"wind_direction": str})
    table.loc[4, "wind_direction"] = "east-ish"
    table.to_csv(weather, index=False)
    result = run("normalise", "--hourly", hourly, "--weather", weather, "-o", tmp_path / "n.csv")
    assert result.exit_code == 2
    assert f"{weather}: row 6, column 'wind_direction'" in result.output


def test_trend_names_a_station_the_file_does_not_have(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text(
        "station,pollutant,date,observed,predicted,normalised\nA,pm25,2021-01-01,1,1,1\n"
    )
    result = run("trend", path, "--before", "2021-01-01", "2021-01-01",
                 "--after", "2021-01-02", "2021-01-02")  # fmt: skip
    assert result.exit_code == 2
    assert "no station 'city'" in result.output


@pytest.mark.shared_data
def test_the_apec_controls_lowered_no2_at_dongsi() -> None:
    """Real data, one station: the APEC week's NO2 below business as usual."""
    dongsi = str(SHARED_DATA / "beijing-multisite" / "PRSA_Data_Dongsi_20130301-20170228.csv")
    result = run("episode", "--format", "beijing", "--hourly", dongsi, "--weather", dongsi,
                 "--station", "Dongsi", "--pollutant", "no2", "--from", "2014-11-03",
                 "--to", "2014-11-13", "--warnings", SHARED_DATA / "warning-history.csv",
                 "--city-name", "Beijing", "--json", "--trees", "100")  # fmt: skip
    assert result.exit_code == 0, result.output
    (effect,) = json.loads(result.output)
    assert effect["percent"] < -10
    assert effect["placebo_rank"] < 0.2
    assert effect["r2"] > 0.4


@pytest.mark.shared_data
def test_the_year_table_of_beijing_2015_names_the_late_red_warning() -> None:
    result = run("year", SHARED_DATA / "city-daily-aqi" / "beijing.csv", "--plan", "beijing",
                 "--warnings", SHARED_DATA / "warning-history.csv", "--city-name", "Beijing",
                 "--year", "2015", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    red = next(r for r in rows if r["real_level"] == "red" and r["real_first"] == "2015-12-08")
    # The plan's criteria were met on the observed AQI from 7 December; the red began on the 8th.
    assert (red["verdict"], red["lag_days"]) == ("hit, late", 1)
    assert all(r["verdict"] != "false alarm" for r in rows)


def test_the_year_command_says_when_the_data_miss_the_year(tmp_path: Path) -> None:
    daily = tmp_path / "daily.csv"
    daily.write_text("date,aqi\n2020-01-01,50\n2020-01-02,60\n", encoding="utf-8")
    history = tmp_path / "history.csv"
    history.write_text("city,level,issued_at,start,end,source,notes\n", encoding="utf-8")
    result = run("year", daily, "--plan", "beijing", "--warnings", history,
                 "--city-name", "Beijing", "--year", "2015")  # fmt: skip
    assert result.exit_code == 2
    assert "not into 2015" in result.output
