"""``hazeguard demo``: real Beijing data shipped inside the package, no ../shared needed."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import hazeguard
from hazeguard.cli import main
from hazeguard.cli.demo import demo_report
from hazeguard.io.beijing import demo_path
from paths import SHARED_DATA

# Days of December 2015 with a published Beijing daily AQI > 200 (aqistudy.cn, republishing the
# national network: ../shared/data/city-daily-aqi/beijing.csv). An independent source.
PUBLISHED_HEAVY_DAYS = [
    "2015-12-01", "2015-12-07", "2015-12-08", "2015-12-09", "2015-12-13", "2015-12-14",
    "2015-12-20", "2015-12-21", "2015-12-22", "2015-12-23", "2015-12-25", "2015-12-26",
    "2015-12-29",
]  # fmt: skip


def test_the_demo_prints_the_daily_city_aqi_and_the_heavy_days() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Beijing daily AQI (HJ 633-2012 daily report, mean of 12 stations)")
    days = [line for line in lines if line.startswith("2015-12-")]
    assert len(days) == 31
    assert days[0].split()[:4] == ["2015-12-01", "482", "6", "严重污染"]
    assert days[0].split()[-1] == "PM2.5"
    assert "Days with AQI > 200 (heavy pollution or worse): 13" in lines
    assert "https://doi.org/10.1098/rspa.2017.0457" in result.output
    assert "CC BY 4.0" in result.output


def test_the_demos_heavy_days_are_the_published_ones() -> None:
    report, stations = demo_report()
    assert stations == 12
    heavy = report.loc[report["aqi"] > 200, "date"].dt.strftime("%Y-%m-%d").tolist()
    assert heavy == PUBLISHED_HEAVY_DAYS


def test_the_demos_pm25_is_the_mean_of_the_station_daily_means() -> None:
    # Recomputed here the plain pandas way: hours 0 … 23 of a date, ≥ 20 hours per station.
    raw = pd.read_csv(demo_path())
    per_station = raw.groupby(["station", "day"])["PM2.5"].agg(["mean", "count"])
    valid = per_station[per_station["count"] >= 20]["mean"]
    expected = valid.groupby("day").mean()
    report, _ = demo_report()
    assert report["pm25_24h"].tolist() == pytest.approx(expected.tolist(), abs=1e-5)


def test_the_demo_data_ship_inside_the_package_with_their_attribution() -> None:
    package = Path(hazeguard.__file__).parent
    assert demo_path().is_relative_to(package)
    with gzip.open(demo_path(), "rt", encoding="utf-8") as file:
        assert file.readline().strip() == "year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,station"
    readme = (package / "data" / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme
    assert "10.1098/rspa.2017.0457" in readme


def test_the_demo_runs_from_an_unrelated_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hazeguard", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Days with AQI > 200" in done.stdout


@pytest.mark.shared_data
def test_the_demo_data_are_the_original_rows() -> None:
    shipped = pd.read_csv(demo_path(), dtype=str, keep_default_na=False)
    originals = []
    for path in sorted((SHARED_DATA / "beijing-multisite").glob("PRSA_Data_*.csv")):
        original = pd.read_csv(path, dtype=str, keep_default_na=False)
        originals.append(original[(original["year"] == "2015") & (original["month"] == "12")])
    expected = pd.concat(originals)[list(shipped.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(shipped, expected)
