"""The worker makes the model's forecast each day before the consultation, from the observed
days the platform holds, with the probability of each level of the plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pandas as pd
import pytest
import time_machine
from django.test import override_settings

from conftest import MakePerson
from forecasts.beijing_days import CONSULTATION_DAY, beijing_with_plan, observe_beijing
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.errors import ConflictError
from hazeguard_platform.forecasts.models import Forecast, Provider, Source
from hazeguard_platform.forecasts.services import forecast_model_make
from hazeguard_platform.forecasts.weather_forecasts import weather_forecast_upload
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.weather import weather_ingest
from paths import ROOT

WEATHER_DAYS = ROOT / "tests" / "core" / "forecast" / "data" / "beijing-weather-2014-2016.csv"

# A light model (5 boosting iterations, not 60): the tests check the plumbing, not the skill,
# which docs/forecast.md measures.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("light_model")]


@pytest.fixture
def light_model() -> Iterator[None]:
    with override_settings(MODEL_FORECAST_ITERATIONS=5):
        yield


@pytest.fixture
def beijing(db: None) -> Jurisdiction:
    return beijing_with_plan()


def test_the_model_forecasts_a_week_with_the_plans_level_probabilities(
    beijing: Jurisdiction,
) -> None:
    observe_beijing(beijing, until=date(2015, 12, 17))
    with time_machine.travel(CONSULTATION_DAY, tick=False):
        forecast = forecast_model_make(jurisdiction=beijing, at=CONSULTATION_DAY)
    days = list(forecast.days.order_by("day"))
    assert (forecast.provider, forecast.source) == (Provider.MODEL, Source.WORKER)
    assert [d.day for d in days] == [date(2015, 12, 18) + timedelta(days=n) for n in range(7)]
    assert all(d.aqi_low <= d.aqi_median <= d.aqi_high for d in days)  # type: ignore[operator]
    chances = forecast.probabilities
    assert chances["plan"] == "beijing-2015"
    assert chances["levels"][0] == "none"
    assert "red" in chances["levels"]
    assert len(chances["days"]) == 7
    for row in chances["days"]:
        assert sum(row) == pytest.approx(1.0, abs=0.005)
    assert chances["trained_to"] == "2015-12-17"


def test_without_yesterdays_observation_it_says_why(beijing: Jurisdiction) -> None:
    observe_beijing(beijing, until=date(2015, 12, 10))
    with time_machine.travel(CONSULTATION_DAY), pytest.raises(ConflictError, match="2015-12-17"):
        forecast_model_make(jurisdiction=beijing, at=CONSULTATION_DAY)
    assert not Forecast.objects.exists()


def test_with_observed_weather_and_the_bureaus_forecast_the_model_runs_with_weather(
    beijing: Jurisdiction, make_person: MakePerson
) -> None:
    clerk = make_person("beijing-clerk", Role.COMMAND_OFFICE_STAFF, beijing)
    observe_beijing(beijing, until=date(2015, 12, 17))
    daily = pd.read_csv(WEATHER_DAYS, dtype=str)
    past, ahead = daily[daily["date"] <= "2015-12-17"], daily[daily["date"] >= "2015-12-18"]
    # The observed weather as monitoring stores it: one hour (13:00) per day, Beijing's own.
    hours = past.rename(columns={"date": "time"}).assign(time=past["date"] + " 13:00")
    weather_ingest(actor=None, jurisdiction=beijing, body=hours.to_csv(index=False), source="t")
    with time_machine.travel(CONSULTATION_DAY, tick=False):
        without = forecast_model_make(jurisdiction=beijing, at=CONSULTATION_DAY)
        table = ahead.iloc[:7].drop(columns="precipitation").to_csv(index=False).encode()
        weather_forecast_upload(
            actor=clerk, jurisdiction=beijing, file_name="bureau.csv", content=table
        )
        with_weather = forecast_model_make(jurisdiction=beijing, at=CONSULTATION_DAY)

    assert without.probabilities["weather"] is False  # no forecast of the target days yet
    assert with_weather.probabilities["weather"] is True
    assert len(with_weather.probabilities["days"]) == 7
