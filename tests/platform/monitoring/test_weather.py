"""Observed hourly weather in: checked by the core's reader, stored once, corrected with a
record, read back as the core's hourly weather table."""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from conftest import Staff
from hazeguard.io.beijing import demo_weather_path, read_beijing_weather
from hazeguard.io.weather import weather_from_table, weather_table
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.core import CHINA
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.monitoring.demo import monitoring_demo_load
from hazeguard_platform.monitoring.models import Delivery, Station, WeatherCorrection, WeatherHour
from hazeguard_platform.monitoring.selectors import observed_weather
from hazeguard_platform.monitoring.weather import weather_ingest

pytestmark = pytest.mark.django_db
HEADER = "time,station,wind_speed,wind_direction,temperature,dew_point,pressure,precipitation\n"
ROWS = (
    "2026-01-05 01:00,东昌府,1.5,NNW,-2.0,-8.5,1021.0,0\n"
    "2026-01-05 02:00,东昌府,2.0,315,-2.5,-8.0,1021.5,NA\n"
)


@pytest.fixture
def station(liaocheng: Staff) -> Station:
    return Station.objects.create(
        code="371502",
        name_zh="东昌府",
        name_en="Dongchangfu",
        kind="national",
        jurisdiction=liaocheng.jurisdiction,
        latitude=36.45,
        longitude=115.98,
    )


def _ingest(staff: Staff, body: str, source: str = "weather.csv") -> Delivery:
    return weather_ingest(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, body=body, source=source
    )


def test_hours_are_stored_in_the_cores_units_and_read_back_as_its_table(
    liaocheng: Staff, station: Station
) -> None:
    delivery = _ingest(liaocheng, HEADER + ROWS)
    assert (delivery.rows, delivery.stored, delivery.content) == (2, 2, "weather")
    table = observed_weather(liaocheng.jurisdiction, date(2026, 1, 5), date(2026, 1, 6))
    assert list(table.columns) == [
        "time",
        "station",
        "wind_speed",
        "wind_direction",
        "temperature",
        "dew_point",
        "pressure",
        "precipitation",
    ]
    assert list(table["time"]) == [
        pd.Timestamp("2026-01-05 01:00"),
        pd.Timestamp("2026-01-05 02:00"),
    ]
    assert list(table["station"]) == ["371502", "371502"]
    # NNW is 337.5° from north; NA stays unknown.
    assert table["wind_direction"].tolist() == [337.5, 315.0]
    assert pd.isna(table["precipitation"].iloc[1])
    weather = weather_from_table(table)
    assert weather.stations is not None
    assert list(weather.stations) == ["371502", "371502"]


def test_the_period_holds_the_hours_ending_after_start_up_to_end(
    liaocheng: Staff, station: Station
) -> None:
    _ingest(liaocheng, HEADER + ROWS)
    start = datetime(2026, 1, 5, 1, tzinfo=CHINA)
    one = observed_weather(liaocheng.jurisdiction, start, datetime(2026, 1, 5, 2))
    assert list(one["time"]) == [pd.Timestamp("2026-01-05 02:00")]
    none = observed_weather(liaocheng.jurisdiction, date(2026, 2, 1), date(2026, 3, 1))
    assert list(none.columns) == ["time", "station"]
    assert none.empty


def test_rows_without_a_station_are_the_jurisdictions_weather(liaocheng: Staff) -> None:
    _ingest(liaocheng, "time,temperature,boundary_layer_height\n2026-01-05 01:00,-3,420\n")
    table = observed_weather(liaocheng.jurisdiction, date(2026, 1, 5), date(2026, 1, 6))
    assert table["station"].isna().all()
    assert table[["temperature", "boundary_layer_height"]].iloc[0].tolist() == [-3.0, 420.0]
    assert weather_from_table(table).stations is None


def test_a_delivery_again_changes_nothing_and_a_change_leaves_a_correction(
    liaocheng: Staff, station: Station
) -> None:
    _ingest(liaocheng, HEADER + ROWS)
    again = _ingest(liaocheng, HEADER + ROWS)
    assert (again.stored, again.unchanged, again.corrected) == (0, 2, 0)
    fixed = _ingest(liaocheng, HEADER + ROWS.replace("-2.5,-8.0", "-1.5,-8.0"))
    assert (fixed.stored, fixed.unchanged, fixed.corrected) == (0, 1, 1)
    correction = WeatherCorrection.objects.get()
    assert (correction.before["temperature"], correction.after["temperature"]) == (-2.5, -1.5)
    assert WeatherHour.objects.count() == 2
    assert AuditEntry.objects.filter(action="weather.ingest").count() == 3


def test_a_station_is_found_by_its_english_name_too(liaocheng: Staff, station: Station) -> None:
    _ingest(liaocheng, HEADER + ROWS.replace("东昌府", "Dongchangfu"))
    assert WeatherHour.objects.filter(station=station).count() == 2


@pytest.mark.parametrize(
    ("bad", "zh", "en"),
    [
        (
            ROWS.replace("NNW", "north-ish"),
            "weather.csv 第 2 行“wind_direction”列：'north-ish' 既不是度数也不是方位",
            "weather.csv, row 2, column “wind_direction”: 'north-ish' is neither degrees",
        ),
        (
            ROWS.replace("2.0,315", "2.0,400"),
            "weather.csv 第 3 行“wind_direction”列：400° 不是风向",
            "weather.csv, row 3, column “wind_direction”: 400° is not a direction",
        ),
        (
            ROWS.replace("东昌府,2.0", "无此站,2.0"),
            "weather.csv 第 3 行“station”列：'无此站' 不是 聊城市 的站点",
            "weather.csv, row 3, column “station”: '无此站' is not a station of Liaocheng",
        ),
        (
            ROWS.replace("-2.0,-8.5", "cold,-8.5"),
            "weather.csv 第 2 行“temperature”列：'cold' 不是数字",
            "weather.csv, row 2, column “temperature”: 'cold' is not a number",
        ),
    ],
)
def test_a_bad_row_stores_nothing_and_is_named_in_the_pages_language(
    liaocheng: Staff, station: Station, bad: str, zh: str, en: str
) -> None:
    _ingest(liaocheng, HEADER + ROWS)
    for language, expected in (("zh-hans", zh), ("en", en)):
        with translation.override(language), pytest.raises(InvalidInputError) as error:
            _ingest(liaocheng, HEADER + bad + "2026-01-05 03:00,东昌府,1,1,1,1,1,1\n")
        assert error.value.message.startswith(expected), error.value.message
    assert WeatherHour.objects.count() == 2
    refused = Delivery.objects.filter(content="weather").exclude(error="")
    assert refused.count() == 2


def test_a_commander_does_not_deliver_weather(liaocheng: Staff) -> None:
    with pytest.raises(ForbiddenError):
        weather_ingest(
            actor=liaocheng.commander,
            jurisdiction=liaocheng.jurisdiction,
            body=HEADER,
            source="weather.csv",
        )


def test_the_upload_page_stores_and_reports_in_chinese(liaocheng: Staff, station: Station) -> None:
    client = Client()
    client.force_login(liaocheng.office_clerk)
    url = f"/monitoring/j/{liaocheng.jurisdiction.code}/weather/"
    upload = SimpleUploadedFile("weather.csv", (HEADER + ROWS).encode(), "text/csv")
    answer = client.post(
        url, {"file": upload, "layout": "hazeguard"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    told = [str(m) for m in get_messages(answer.wsgi_request)]
    assert told == ["已存储 2 小时气象数据，更正 0 小时，0 小时此前已存储。"]
    assert WeatherHour.objects.count() == 2


def test_the_command_loads_the_shipped_beijing_weather_idempotently() -> None:
    plan_import(actor=None, plan_id="beijing-2015")
    monitoring_demo_load()
    assert WeatherHour.objects.count() == 8928, "12 stations × 744 hours of December 2015"
    beijing = Station.objects.get(code="1001A").jurisdiction
    table = observed_weather(beijing, date(2015, 12, 1), date(2016, 1, 1))
    # The stored hours are the file's, read by the core's own reader of those files.
    expected = weather_table(read_beijing_weather([demo_weather_path()]))
    codes = {s.name_en: s.code for s in Station.objects.all()}
    expected["station"] = expected["station"].map(codes)
    expected = expected.sort_values(["station", "time"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    path = demo_weather_path()
    call_command("weather_load", "beijing", str(path), "--layout", "beijing")
    assert WeatherHour.objects.count() == 8928
    assert Delivery.objects.filter(content="weather").first().unchanged == 8928  # type: ignore[union-attr]
    assert gzip.decompress(path.read_bytes()).startswith(b"year,month,day,hour,TEMP")


def test_the_command_names_the_bad_row(liaocheng: Staff, station: Station, tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(HEADER + ROWS.replace("1021.5", "high"), encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="row 3, column “pressure”"):
        call_command("weather_load", "liaocheng", str(path))
