"""Weather files and the normalised series are read with errors that name file, row and column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hazeguard.io.tables import TableError
from hazeguard.io.weather import read_weather


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "weather.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_compass_points_and_degrees_as_degrees(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,wd,ws\n2021-01-01T01:00,NNE,2\n2021-01-01T02:00,90,3\n")
    weather = read_weather([path], mapping={"wd": "wind_direction", "ws": "wind_speed"})
    assert weather.variables["wind_direction"].tolist() == [22.5, 90.0]


def test_it_names_the_row_and_column_of_a_bad_wind_direction(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,wind_direction\n2021-01-01T01:00,N\n2021-01-01T02:00,NXE\n")
    with pytest.raises(TableError, match=r"row 3, column 'wind_direction'.*'NXE'"):
        read_weather([path])


def test_it_refuses_humidity_above_100_percent(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,relative_humidity\n2021-01-01T01:00,101\n")
    with pytest.raises(TableError, match=r"row 2, column 'relative_humidity'.*outside 0 … 100"):
        read_weather([path])


def test_it_accepts_frost_but_not_negative_wind(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,temperature,wind_speed\n2021-01-01T01:00,-12.5,-1\n")
    with pytest.raises(TableError, match=r"column 'wind_speed'.*negative"):
        read_weather([path])


def test_a_file_without_weather_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,pm25\n2021-01-01T01:00,10\n")
    with pytest.raises(TableError, match="no weather column"):
        read_weather([path])


def test_missing_marks_are_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,wind_direction,pressure\n2021-01-01T01:00,NA,\n")
    weather = read_weather([path])
    assert np.isnan(weather.variables["wind_direction"][0])
    assert np.isnan(weather.variables["pressure"][0])
