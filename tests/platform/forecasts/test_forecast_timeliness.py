"""A forecast is stored once it is made and while it still covers the coming days; "the latest
forecast" is the most recently issued one that does."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from api_client import ApiClient
from django.utils import translation

from conftest import FIRST_DAY, T0, Staff, forecast_days
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.forecasts.models import Forecast, Provider
from hazeguard_platform.forecasts.selectors import latest_forecast
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.forecasts.validation import day_inputs

pytestmark = pytest.mark.django_db


def _enter(
    staff: Staff, *, issued_at: datetime = T0, days: list[dict[str, object]] | None = None
) -> Forecast:
    return forecast_enter(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        issued_at=issued_at,
        days=days or forecast_days(260, 280, 300),
    )


def test_it_refuses_a_forecast_issued_in_the_future_naming_the_field_in_chinese(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    with pytest.raises(InvalidInputError) as error:
        _enter(kashgar, issued_at=T0 + timedelta(hours=2))
    assert error.value.field == "issued_at"
    # 10:00 China time: T0 is 08:00 in Shanghai.
    assert error.value.message == "发布时间 2026-01-04 10:00 晚于当前时间：请在预报作出后再录入。"
    assert not Forecast.objects.exists()


def test_it_says_the_same_in_english(kashgar: Staff, clock: time_machine.Coordinates) -> None:
    with translation.override("en"), pytest.raises(InvalidInputError) as error:
        _enter(kashgar, issued_at=T0 + timedelta(days=1))
    assert "The issue time 2026-01-05 08:00 is in the future" in error.value.message


def test_a_few_minutes_of_clock_skew_are_allowed(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    assert _enter(kashgar, issued_at=T0 + timedelta(minutes=4)).pk


def test_it_refuses_a_forecast_whose_days_are_all_past(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    past = day_inputs(FIRST_DAY - timedelta(days=4), [260, 280, 300])  # 1-3 January
    with pytest.raises(InvalidInputError) as error:
        _enter(kashgar, days=past)
    assert error.value.field == "days"
    assert "2026-01-01 至 2026-01-03" in error.value.message
    with translation.override("en"), pytest.raises(InvalidInputError) as english:
        _enter(kashgar, days=past)
    assert "(2026-01-01 to 2026-01-03) is already past" in english.value.message
    assert not Forecast.objects.exists()


def test_a_forecast_from_yesterday_that_covers_today_is_kept(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    days = day_inputs(FIRST_DAY - timedelta(days=2), [260, 280, 300])  # 3-5 January; today is 4
    assert _enter(kashgar, days=days).days.count() == 3


def test_the_latest_forecast_is_the_newest_that_still_covers_the_coming_days(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    week = _enter(kashgar, days=forecast_days(260, 280, 300, 250, 200))  # 5-9 January
    clock.shift(timedelta(hours=3))
    short = _enter(kashgar, issued_at=T0 + timedelta(hours=3), days=forecast_days(240, 250))
    assert latest_forecast(kashgar.jurisdiction) == short
    clock.shift(timedelta(days=3))  # 7 January: the short one ended on the 6th
    assert latest_forecast(kashgar.jurisdiction) == week
    clock.shift(timedelta(days=3))  # 10 January: nothing covers the coming days
    assert latest_forecast(kashgar.jurisdiction) is None


def test_the_api_takes_whose_forecast_it_is_but_never_the_models(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    api = ApiClient(kashgar.office_clerk)
    body = {"issued_at": T0.isoformat(), "days": forecast_days(260, 280)}
    created = api.post(
        "/api/jurisdictions/kashgar/forecasts", {**body, "provider": "weather_bureau"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["provider"] == "weather_bureau"
    refused = api.post("/api/jurisdictions/kashgar/forecasts", {**body, "provider": "model"})
    assert refused.status_code == 400
    assert Forecast.objects.get().provider == Provider.WEATHER_BUREAU


def test_a_late_api_forecast_is_a_400_naming_the_field(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    late = {"issued_at": (T0 + timedelta(hours=1)).isoformat(), "days": forecast_days(260)}
    response = ApiClient(kashgar.office_clerk).post("/api/jurisdictions/kashgar/forecasts", late)
    assert response.status_code == 400
    assert response.json()["field"] == "issued_at"
