"""Reading daily histories and weather: layouts, conversions, errors naming file, row, column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from forecast_fixtures import DAILY

from hazeguard.io.daily import primary_name, read_daily_history
from hazeguard.io.daily_weather import read_daily_weather
from hazeguard.io.tables import TableError

AQISTUDY = "\ufeff北京,2013-12-02,119,106~130,轻度污染,108.8,138.4,60.9,2.578,88.3,16,43\n"


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_hazeguard_aqi_daily_output_with_its_indicator_names() -> None:
    history = read_daily_history(DAILY)
    assert history.index[0].isoformat() == "2014-03-01T00:00:00"
    assert history.loc["2014-03-02", "pm25"] == pytest.approx(134.4)
    assert history.loc["2014-03-02", "co"] == pytest.approx(2.542)
    assert history.loc["2014-03-02", "primary_pollutant"] == "PM2.5"


def test_it_reads_an_aqistudy_file_and_computes_the_primary_pollutant(tmp_path: Path) -> None:
    second = "北京,2013-12-04,40,30~50,优,20,30,5,0.5,20,60,10\n"
    history = read_daily_history(write(tmp_path, AQISTUDY + second))
    assert len(history) == 3  # the missing 2013-12-03 is a blank row
    assert history["aqi"].iloc[[0, 2]].tolist() == [119.0, 40.0]
    assert np.isnan(history["aqi"].iloc[1])
    assert history.loc["2013-12-02", "primary_pollutant"] == "PM2.5"
    assert history.loc["2013-12-04", "primary_pollutant"] == ""  # AQI ≤ 50: none


def test_a_text_aqi_is_named_by_file_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "date,aqi\n2016-01-01,120\n2016-01-02,high\n")
    with pytest.raises(TableError, match=r"row 3, column 'aqi'.*'high' is not a number"):
        read_daily_history(path)


def test_a_repeated_day_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "date,aqi\n2016-01-01,120\n2016-01-01,130\n")
    with pytest.raises(TableError, match="row 3, column 'date': duplicate"):
        read_daily_history(path)


def test_a_history_without_aqi_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no 'aqi' column"):
        read_daily_history(write(tmp_path, "date,pm25\n2016-01-01,120\n"))


@pytest.mark.parametrize(
    ("text", "name"),
    [("pm25_24h;pm10_24h", "PM2.5"), ("O3_8h", "O3"), ("PM2.5+PM10", "PM2.5"), ("-", "")],
)
def test_primary_pollutants_are_named_as_forecasts_name_them(text: str, name: str) -> None:
    assert primary_name(text) == name


def test_weather_reads_compass_points_and_degrees(tmp_path: Path) -> None:
    text = "date,temperature,wind_speed,wind_direction\n2016-01-01,-3.5,2,NNW\n2016-01-02,1,3,90\n"
    weather = read_daily_weather(write(tmp_path, text))
    assert weather["wind_direction"].tolist() == [337.5, 90.0]
    assert weather["temperature"].tolist() == [-3.5, 1.0]


def test_a_bad_wind_direction_is_named_by_row_and_column(tmp_path: Path) -> None:
    text = "date,wind_direction\n2016-01-01,N\n2016-01-02,north-ish\n"
    with pytest.raises(TableError, match=r"row 3, column 'wind_direction'.*compass point"):
        read_daily_weather(write(tmp_path, text))


def test_weather_without_any_weather_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no weather column"):
        read_daily_weather(write(tmp_path, "date,cloud\n2016-01-01,3\n"))


def test_a_negative_wind_speed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"row 2, column 'wind_speed'.*negative"):
        read_daily_weather(write(tmp_path, "date,wind_speed\n2016-01-01,-1\n"))
