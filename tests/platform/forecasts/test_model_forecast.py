"""The worker makes the model's forecast each day before the consultation, from the observed
days the platform holds, with the probability of each level of the plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.test import override_settings

from forecasts.beijing_days import CONSULTATION_DAY, beijing_with_plan, observe_beijing
from hazeguard_platform.errors import ConflictError
from hazeguard_platform.forecasts.models import Forecast, Provider, Source
from hazeguard_platform.forecasts.services import forecast_model_make, forecast_models_make_due
from hazeguard_platform.jurisdictions.models import Jurisdiction

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


@override_settings(MODEL_FORECAST_LEAD_MINUTES=60)
def test_the_worker_makes_it_once_a_day_from_an_hour_before_the_consultation(
    beijing: Jurisdiction,
) -> None:
    observe_beijing(beijing, until=date(2015, 12, 17))
    # Yesterday's model forecast and today's from the centre do not make today's model one.
    Forecast.objects.create(
        jurisdiction=beijing,
        issued_at=CONSULTATION_DAY - timedelta(days=1),
        source=Source.WORKER,
        provider=Provider.MODEL,
    )
    Forecast.objects.create(
        jurisdiction=beijing,
        issued_at=CONSULTATION_DAY - timedelta(hours=5),
        source=Source.ENTRY,
        provider=Provider.MONITORING_CENTRE,
    )
    with time_machine.travel(CONSULTATION_DAY - timedelta(hours=1), tick=False):  # 13:30
        assert forecast_models_make_due() == ([], [])
    with time_machine.travel(CONSULTATION_DAY, tick=False):  # 14:30
        made, problems = forecast_models_make_due()
        assert problems == []
        assert [f.jurisdiction for f in made] == [beijing]
        assert forecast_models_make_due() == ([], [])  # already made today
    assert Forecast.objects.filter(provider=Provider.MODEL).count() == 2
