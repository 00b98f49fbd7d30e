"""Helpers of the ``hazeguard aqi`` command tests: run a command, write inputs, check errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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
