"""Each source's verification over the season: the CLI's scores against the observed days the
platform holds, per lead day, beside persistence, on one page with a chart."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
import time_machine
from django.test import Client

from conftest import MakePerson
from forecasts.beijing_days import beijing_with_plan, observe_beijing, observed_aqi
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.forecasts.models import Forecast, ForecastDay, Provider, Source
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.forecasts.validation import day_inputs
from hazeguard_platform.forecasts.verification import SourceScores, verification
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db
ISSUE_DAYS = (date(2015, 12, 10), date(2015, 12, 11), date(2015, 12, 12))
CENTRE_HIGHS = [150, 200, 250]  # days 0, 1, 2 after the issue; ranges 40 wide
BUREAU_HIGHS = [120, 140, 160]
# The model's P(none, blue, yellow, orange, red) from 11 December, cumulative over days 0 … d.
MODEL_LEVELS = ["none", "blue", "yellow", "orange", "red"]
MODEL_DAYS = [[0.9, 0.1, 0, 0, 0], [0.6, 0.3, 0.1, 0, 0], [0.3, 0.4, 0.2, 0.1, 0]]


@pytest.fixture
def place(make_person: MakePerson) -> Jurisdiction:
    """Beijing, observed to 20 December 2015; the centre and the bureau forecast at 16:00 China
    time on 10, 11 and 12 December (the centre twice on the 12th: the later one counts)."""
    beijing = beijing_with_plan()
    observe_beijing(beijing, until=date(2015, 12, 20))
    clerk = make_person("beijing-clerk", Role.COMMAND_OFFICE_STAFF, beijing)
    for issue_day in ISSUE_DAYS:
        at = datetime(issue_day.year, issue_day.month, issue_day.day, 8, tzinfo=UTC)
        sources = [
            (Provider.MONITORING_CENTRE, CENTRE_HIGHS),
            (Provider.WEATHER_BUREAU, BUREAU_HIGHS),
        ]
        if issue_day == ISSUE_DAYS[-1]:
            # An earlier forecast of the same day, which the later one replaces.
            sources.insert(0, (Provider.MONITORING_CENTRE, [500, 500, 500]))
        for minutes, (provider, highs) in enumerate(sources):
            with time_machine.travel(at + timedelta(minutes=minutes), tick=False):
                forecast_enter(
                    actor=clerk,
                    jurisdiction=beijing,
                    issued_at=at + timedelta(minutes=minutes),
                    days=day_inputs(issue_day, highs, spread=40),
                    provider=provider,
                )
    model_at = datetime(2015, 12, 11, 6, tzinfo=UTC)
    model = Forecast.objects.create(
        jurisdiction=beijing,
        issued_at=model_at,
        source=Source.WORKER,
        provider=Provider.MODEL,
        probabilities={"plan": "beijing-2015", "levels": MODEL_LEVELS, "days": MODEL_DAYS},
    )
    for lead, median in enumerate([120, 150, 190]):
        ForecastDay.objects.create(
            forecast=model,
            day=date(2015, 12, 11 + lead),
            aqi_low=median - 30,
            aqi_high=median + 30,
            aqi_median=median,
        )
    return beijing


@pytest.fixture
def director(place: Jurisdiction, make_person: MakePerson) -> Client:
    """Beijing's office director, signed in."""
    client = Client()
    client.force_login(make_person("beijing-director", Role.OFFICE_DIRECTOR, place))
    return client


def _mae(forecasts: list[float], observed: list[float]) -> float:
    return round(float(np.mean(np.abs(np.round(forecasts) - np.array(observed)))), 3)


def test_each_source_is_scored_per_lead_day_beside_persistence(place: Jurisdiction) -> None:
    results = verification(place, date(2015, 12, 1), date(2015, 12, 31))

    assert [r.source for r in results] == [
        "model",
        "monitoring_centre",
        "weather_bureau",
        "persistence",
    ]
    _, centre, bureau, persistence = results
    assert centre.forecasts == bureau.forecasts == 3
    for lead in (0, 1, 2):
        targets = [d + timedelta(days=lead) for d in ISSUE_DAYS]
        observed = [observed_aqi(t) for t in targets]
        assert centre.leads[lead]["pairs"] == 3
        assert centre.leads[lead]["mae"] == _mae([CENTRE_HIGHS[lead] - 20] * 3, observed)
        assert bureau.leads[lead]["mae"] == _mae([BUREAU_HIGHS[lead] - 20] * 3, observed)
        before = [observed_aqi(d - timedelta(days=1)) for d in ISSUE_DAYS]
        assert persistence.leads[lead]["mae"] == _mae(before, observed)
    assert centre.leads[3]["pairs"] == 0
    assert centre.leads[3]["mae"] is None


def test_the_page_shows_the_scores_and_carries_the_chart(
    director: Client,
) -> None:
    client = director
    response = client.get(
        "/staff/j/beijing/forecast/verification/", {"start": "2015-12-01", "end": "2015-12-31"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert re.findall(r'data-source="(\w+)"', page) == [
        "model",
        "monitoring_centre",
        "weather_bureau",
        "persistence",
    ]
    assert "monitoring/vendor/echarts/echarts.min.js" in page
    data = re.search(r'<script id="verification-data" type="application/json">(.*?)</script>', page)
    assert data is not None
    chart = json.loads(data.group(1))
    assert [s["name"] for s in chart["series"]] == [
        "本平台模型",
        "环境监测中心",
        "气象局",
        "持续性预报（发布前一日实况）",
    ]
    assert chart["series"][1]["mae"][1] is not None


# Observed AQI 10-14 December 2015: 134, 73, 160, 224, 213. Under Beijing's 2015 plan (AQI > 200
# on 1 day blue, on 2 yellow) the level observed from the 10th is none on days 0-2; from the 11th
# none, none, blue; from the 12th none, blue, yellow.


def _levels(result: SourceScores) -> dict[str, float | None]:
    return {score.level: score.brier for score in result.levels}


def test_each_source_gets_a_brier_score_per_level_of_the_plan(place: Jurisdiction) -> None:
    results = verification(place, date(2015, 12, 1), date(2015, 12, 31))
    model, centre, bureau, persistence = results

    # The model, once, from the 11th: P(blue) 0.1, 0.3, 0.4 against none, none, blue.
    assert model.probabilistic
    assert _levels(model)["blue"] == round((0.1**2 + 0.3**2 + 0.6**2) / 3, 3)
    assert _levels(model)["yellow"] == round((0.1**2 + 0.2**2) / 3, 3)
    assert [lead["brier"] for lead in model.leads[:3]] == [0.02, 0.26, 0.5]
    assert model.leads[3]["brier"] is None
    blue = next(score for score in model.levels if score.level == "blue")
    assert [
        (row["from"], row["count"], row["forecast"], row["observed"]) for row in blue.reliability
    ] == [
        (0.1, 1, 0.1, 0.0),
        (0.3, 1, 0.3, 0.0),
        (0.4, 1, 0.4, 1.0),
    ]
    # The centre's points 130, 180, 230 give none, none, blue: sure (0 or 1) forecasts, wrong on
    # the 10th's day 2 and on the 12th's days 1 and 2 for blue.
    assert not centre.probabilistic
    assert _levels(centre) == {
        "blue": round(3 / 9, 3),
        "yellow": round(1 / 9, 3),
        "orange": 0.0,
        "red": 0.0,
    }
    assert _levels(bureau) == {
        "blue": round(2 / 9, 3),
        "yellow": round(1 / 9, 3),
        "orange": 0.0,
        "red": 0.0,
    }
    # Persistence from the 10th says 291 every day: blue, yellow, then red (none was observed).
    assert _levels(persistence) == {
        "blue": round(3 / 9, 3),
        "yellow": round(2 / 9, 3),
        "orange": 0.0,
        "red": round(1 / 9, 3),
    }
    assert [score.pairs for score in centre.levels] == [9] * 4


def test_the_page_shows_the_levels_brier_and_how_a_source_without_probability_is_scored(
    director: Client,
) -> None:
    client = director
    period = {"start": "2015-12-01", "end": "2015-12-31"}
    page = client.get("/staff/j/beijing/forecast/verification/", period).content.decode()

    assert page.count('data-scored="probability"') == 1
    assert page.count('data-scored="certain"') == 3
    assert "按0或1计分" in page
    assert "北京市空气重污染应急预案" in page
    model = page[page.index('data-source="model"') : page.index('data-source="monitoring_centre"')]
    assert re.search(
        r'<tr data-level="blue"><th scope="row">蓝色预警</th><td>3</td><td>0.153</td>', model
    )
    assert 'class="scores reliability" data-level="red"' in model

    client.cookies["django_language"] = "en"
    english = client.get("/staff/j/beijing/forecast/verification/", period).content.decode()
    assert "it is scored as 0 or 1" in english
    assert "Reliability tables" in english
    assert "按0或1计分" not in english


def test_a_bad_period_is_a_400_naming_the_field(
    director: Client,
) -> None:
    client = director
    response = client.get(
        "/staff/j/beijing/forecast/verification/", {"start": "2015-12-31", "end": "2015-12-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == ["结束日期早于开始日期。"]
