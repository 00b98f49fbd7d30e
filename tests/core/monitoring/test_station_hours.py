"""One checked path for hourly station rows, whatever layout or way they arrive in."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hazeguard.io.tables import TableError
from hazeguard.monitoring.layouts import CNEMC, NATIVE, layout_named, station_hours

CSV = """time,station,pm25,pm10,so2,no2,co,o3
2015-12-01T01:00,1001A,80,100,NA,40,1.2,
2015-12-01T02:00,1001A,/,120,5,40,,30
2015-12-01T01:00,1002A,-3,,,,,
"""


def test_csv_rows_keep_missing_marks_as_nan_and_negatives_for_the_checks() -> None:
    hours = station_hours(CSV, "upload.csv", fmt="csv", layout=NATIVE)
    assert list(hours.stations) == ["1001A", "1001A", "1002A"]
    assert [t.hour for t in hours.times] == [1, 2, 1]
    pm25 = hours.concentrations["pm25"]
    assert pm25[0] == 80
    assert np.isnan(pm25[1])
    assert pm25[2] == -3
    assert np.isnan(hours.concentrations["so2"][0])


def test_cnemc_records_are_read_by_their_release_field_names() -> None:
    records = [
        {
            "StationCode": "1001A",
            "PositionName": "万寿西宫",
            "TimePoint": "2015-12-01T01:00:00",
            "AQI": "107",
            "PM2_5": "80",
            "PM10": "100",
            "SO2": "—",
            "NO2": "40",
            "CO": "1.2",
            "O3": "8",
        }
    ]
    hours = station_hours(json.dumps(records), "http://x/feed", fmt="json", layout=CNEMC)
    assert hours.concentrations["pm25"][0] == 80
    assert np.isnan(hours.concentrations["so2"][0]), "CNEMC's dash is a missing value"
    assert hours.concentrations["co"][0] == 1.2, "CO stays in mg/m³"


def test_an_offset_time_is_converted_to_beijing_time() -> None:
    body = json.dumps({"data": [{"time": "2015-12-01T00:00:00Z", "station": "A", "pm25": 5}]})
    hours = station_hours(body, "push", fmt="json", layout=NATIVE)
    assert str(hours.times.iloc[0]) == "2015-12-01 08:00:00"


@pytest.mark.parametrize(
    ("body", "fmt", "where"),
    [
        (CSV.replace(",80,", ",eighty,"), "csv", "upload.csv: row 2, column 'pm25'"),
        (CSV.replace("2015-12-01T02:00", "tomorrow"), "csv", "upload.csv: row 3, column 'time'"),
        (CSV.replace("T02:00,1001A", "T01:00,1001A"), "csv", "upload.csv: row 3, column 'time'"),
        ('[{"time": "2015-12-01T01:00", "station": "A", "pm25": "x"}]', "json", "row 1"),
        ("{not json", "json", "upload.csv: row 1, column '*': not JSON"),
        ("time,pm25\n2015-12-01T01:00,5\n", "csv", "column 'station': no station column"),
    ],
)
def test_a_bad_row_is_named_by_source_row_and_column(body: str, fmt: str, where: str) -> None:
    with pytest.raises(TableError) as error:
        station_hours(body, "upload.csv", fmt=fmt, layout=NATIVE)  # type: ignore[arg-type]
    assert where in str(error.value)


def test_an_unknown_layout_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="hazeguard, cnemc"):
        layout_named("airnow")
