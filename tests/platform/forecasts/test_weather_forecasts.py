"""The weather bureau's forecast of the coming days: uploaded as the core's daily weather table,
read by the core's reader, refused whole with the file, row and column in the page's language,
and given back as the table the model reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.utils import translation

from conftest import MakePerson
from hazeguard.io.daily_weather import WEATHER_COLUMNS
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.forecasts.models import WeatherForecast, WeatherForecastDay
from hazeguard_platform.forecasts.weather_forecasts import weather_for_days, weather_forecast_upload
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.services import plan_import

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)
NOON = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # 12:00 China time
PAGE = "/staff/j/beijing/forecast/weather/"
GOOD = """date,temperature,dew_point,pressure,wind_speed,wind_direction,precipitation
2026-12-03,-1.5,-12.0,1024.1,2.1,NNW,0
2026-12-04,0.5,-9.5,1021.0,1.2,S,
2026-12-05,2.0,-6.0,1018.4,0.8,190,0.4
"""


@pytest.fixture
def place() -> Jurisdiction:
    return plan_import(actor=None, plan_id="beijing-2015").jurisdiction


@pytest.fixture
def clerk(place: Jurisdiction, make_person: MakePerson) -> User:
    return make_person("beijing-clerk", Role.COMMAND_OFFICE_STAFF, place)


def _upload(clerk: User, place: Jurisdiction, text: str) -> WeatherForecast:
    return weather_forecast_upload(
        actor=clerk, jurisdiction=place, file_name="气象台预报.csv", content=text.encode()
    )


def test_the_days_are_stored_and_read_back_as_the_models_weather(
    clerk: User, place: Jurisdiction
) -> None:
    with time_machine.travel(NOON, tick=False):
        forecast = _upload(clerk, place, GOOD)
        table = weather_for_days(place, TODAY, 3)

    assert [d.day for d in forecast.days.all()] == [TODAY + timedelta(days=n) for n in range(3)]
    assert table is not None
    assert list(table.columns) == list(WEATHER_COLUMNS)
    assert table["temperature"].tolist() == [-1.5, 0.5, 2.0]
    assert table["wind_direction"].tolist() == [337.5, 180.0, 190.0]  # NNW, S, degrees
    assert table["relative_humidity"].isna().all()  # not in the file
    assert table["precipitation"].isna().tolist() == [False, True, False]  # blank: unknown
    with time_machine.travel(NOON, tick=False):
        assert weather_for_days(place, TODAY, 4) is None  # no forecast reaches the 4th day


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "气象台预报.csv 第 3 行“temperature”列：'warm' 不是数字"),
        ("en", "气象台预报.csv, row 3, column “temperature”: 'warm' is not a number"),
    ],
)
def test_a_bad_cell_is_refused_whole_naming_file_row_and_column_in_the_pages_language(
    clerk: User, place: Jurisdiction, language: str, expected: str
) -> None:
    bad = GOOD.replace("0.5,-9.5", "warm,-9.5")
    with (
        time_machine.travel(NOON, tick=False),
        translation.override(language),
        pytest.raises(InvalidInputError) as refused,
    ):
        _upload(clerk, place, bad)
    assert refused.value.field == "file"
    assert refused.value.message.startswith(expected)
    assert not WeatherForecast.objects.exists()
    assert not WeatherForecastDay.objects.exists()


def test_a_table_of_past_days_is_refused(clerk: User, place: Jurisdiction) -> None:
    with (
        time_machine.travel(NOON + timedelta(days=3), tick=False),
        translation.override("zh-hans"),
        pytest.raises(InvalidInputError, match="所有日期都早于今天"),
    ):
        _upload(clerk, place, GOOD)
    assert not WeatherForecast.objects.exists()


def _post(client: Client, text: str) -> HttpResponse:
    upload = SimpleUploadedFile("气象台预报.csv", text.encode(), content_type="text/csv")
    return client.post(PAGE, {"file": upload})  # type: ignore[return-value]


def test_the_page_uploads_a_forecast_and_shows_its_days(clerk: User) -> None:
    client = Client()
    client.force_login(clerk)
    with time_machine.travel(NOON, tick=False):
        response = _post(client, GOOD)
        page = client.get(PAGE).content.decode()

    assert response.status_code == 302
    assert "气象台预报.csv" in page
    assert "12-05" in page
    assert "至少120个以往日的实况气象数据" in page
    assert "逐日气象预报，CSV 表格" in page


def test_the_page_shows_a_bad_file_with_row_and_column_in_english_too(clerk: User) -> None:
    client = Client()
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    with time_machine.travel(NOON, tick=False):
        response = _post(client, GOOD.replace("1021.0", "high"))
    page = response.content.decode()

    assert response.status_code == 400
    assert "气象台预报.csv, row 3, column “pressure”:" in page
    assert "observed weather of at least 120 past days" in page
    assert not WeatherForecast.objects.exists()
