"""Forecast and history files: layouts, format detection, and errors naming file, row, column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from hazeguard.warnings import DailyForecast, HourlyForecast
from hazeguard.warnings.io import ForecastFileError, detect_format, read_daily

AQISTUDY_ROWS = (
    "\ufeff北京,2015-12-07,275,182~352,重度污染,225.5,9.9,25.1,3.5,104.3,6.3,341\n"
    "北京,2015-12-08,350,264~451,严重污染,291.6,320.0,24.3,4.3,113.6,5.6,357\n"
    "北京,2015-12-10,150,64~219,轻度污染,114.6,136.5,12.9,2.0,84.2,7.7,300\n"
)


def write(tmp_path: Path, text: str, name: str = "forecast.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_a_daily_forecast_with_pollutant_dust_and_concentrations(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "date,aqi,primary_pollutant,dust,pm25,pm10\n"
        "2016-12-16,230,PM2.5,false,180,220\n"
        "2016-12-17,310,PM10;PM2.5,true,90,600\n",
    )
    forecast = DailyForecast.from_csv(path)
    assert forecast.dates == (date(2016, 12, 16), date(2016, 12, 17))
    assert forecast.primary == ("PM2.5", "PM10+PM2.5")
    assert forecast.dust == (False, True)
    assert forecast.pm10.tolist() == [220, 600]


def test_it_reads_a_range_forecast(tmp_path: Path) -> None:
    path = write(tmp_path, "date,aqi_low,aqi_high\n2016-12-16,180,230\n")
    forecast = DailyForecast.from_csv(path)
    assert (forecast.aqi("lower")[0], forecast.aqi("upper")[0]) == (180, 230)


def test_it_reads_the_output_of_hazeguard_aqi_daily(tmp_path: Path) -> None:
    path = write(
        tmp_path, "time,aqi,primary_pollutants,level\n2016-12-16T00:00+08:00,230,PM2.5,5\n"
    )
    assert DailyForecast.from_csv(path).dates == (date(2016, 12, 16),)


def test_it_reads_hourly_rolling_values(tmp_path: Path) -> None:
    path = write(tmp_path, "time,aqi\n2016-12-16T08:00,230\n2016-12-16T09:00,231\n")
    forecast = HourlyForecast.from_csv(path)
    assert forecast.times[1] == datetime(2016, 12, 16, 9)
    assert forecast.period(0) == (datetime(2016, 12, 15, 8), datetime(2016, 12, 16, 8))


def test_it_detects_the_aqistudy_layout_without_a_header_and_with_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path, AQISTUDY_ROWS)
    assert detect_format([["北京", "2015-12-07"] + ["1"] * 10]) == "aqistudy"
    assert detect_format([["date", "aqi"]]) == "table"
    history = read_daily(path, history=True)
    assert history.dates[0] == date(2015, 12, 7)
    assert history.pm25[1] == pytest.approx(291.6)
    # 2015-12-09 is missing: a history gets a blank row in its place.
    assert len(history) == 4
    assert np.isnan(history.aqi_high[2])


def test_a_forecast_must_not_skip_a_day(tmp_path: Path) -> None:
    path = write(tmp_path, AQISTUDY_ROWS)
    with pytest.raises(ForecastFileError, match=r"row 3, column 'date'.*does not follow"):
        read_daily(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when,aqi\n2016-12-16,230\n", r"row 1: no 'date' or 'time' column"),
        ("date,pm25\n2016-12-16,230\n", r"row 1: no 'aqi' column"),
        ("date,aqi\n2016-12-16,high\n", r"row 2, column 'aqi': 'high' is not a number"),
        ("date,aqi\n2016-12-16,-5\n", r"row 2, column 'aqi': '-5' must be a number"),
        ("date,aqi\n16/12/2016,230\n", r"row 2, column 'date': '16/12/2016' is not an ISO date"),
        ("date,aqi,dust\n2016-12-16,230,maybe\n", r"row 2, column 'dust': 'maybe' is not true"),
        ("date,aqi_low,aqi_high\n2016-12-16,250,230\n", r"row 2, column 'aqi_low': aqi_low 250"),
        ("date,aqi\n2016-12-16\n", r"row 2: 1 fields for 2 columns"),
        ("date,aqi\n", r"no data rows"),
        ("", r"the file is empty"),
        ("date,aqi\n2016-12-16T08:00,230\n", r"row 2, column 'date': .* is not a day"),
    ],
)
def test_it_names_file_row_and_column_of_a_bad_value(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ForecastFileError, match=message) as caught:
        read_daily(path)
    assert str(path) in str(caught.value)


def test_an_hourly_file_must_not_skip_an_hour(tmp_path: Path) -> None:
    path = write(tmp_path, "time,aqi\n2016-12-16T08:00,230\n2016-12-16T10:00,231\n")
    with pytest.raises(ForecastFileError, match=r"row 3, column 'time'"):
        HourlyForecast.from_csv(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ForecastFileError, match="cannot read"):
        read_daily(tmp_path / "absent.csv")
