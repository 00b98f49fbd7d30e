"""``hazeguard monitor check`` on the shipped Beijing hours."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from hazeguard.cli import main
from hazeguard.io.beijing import demo_path


def test_it_writes_beijings_city_values_and_the_flags(tmp_path: Path) -> None:
    # The shipped file has the dataset's own columns; write it in the hazeguard layout first.
    raw = pd.read_csv(demo_path())
    raw = raw[raw["day"] <= 3]
    start = pd.to_datetime(raw[["year", "month", "day"]]) + pd.to_timedelta(raw["hour"] + 1, "h")
    table = pd.DataFrame(
        {
            "time": start.dt.strftime("%Y-%m-%dT%H:%M"),
            "station": raw["station"],
            "pm25": raw["PM2.5"],
            "pm10": raw["PM10"],
            "so2": raw["SO2"],
            "no2": raw["NO2"],
            "co": raw["CO"] / 1000,
            "o3": raw["O3"],
        }
    )
    source = tmp_path / "hours.csv"
    table.to_csv(source, index=False)
    result = CliRunner().invoke(
        main,
        [
            "monitor",
            "check",
            str(source),
            "-o",
            str(tmp_path / "city.csv"),
            "--flags",
            str(tmp_path / "flags.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    daily = pd.read_csv(tmp_path / "city-daily.csv")
    assert len(daily) == 3
    assert daily["aqi"].notna().all()
    assert (tmp_path / "flags.csv").exists()


def test_a_bad_cell_names_file_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("time,station,pm25\n2015-12-01T01:00,A,x\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["monitor", "check", str(source), "-o", str(tmp_path / "c.csv")]
    )
    assert result.exit_code == 2
    assert "bad.csv: row 2, column 'pm25'" in result.output
