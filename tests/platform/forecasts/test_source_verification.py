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
from hazeguard_platform.forecasts.models import Provider
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.forecasts.validation import day_inputs
from hazeguard_platform.forecasts.verification import verification
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db
ISSUE_DAYS = (date(2015, 12, 10), date(2015, 12, 11), date(2015, 12, 12))
CENTRE_HIGHS = [150, 200, 250]  # days 0, 1, 2 after the issue; ranges 40 wide
BUREAU_HIGHS = [120, 140, 160]


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
    return beijing


def _mae(forecasts: list[float], observed: list[float]) -> float:
    return round(float(np.mean(np.abs(np.round(forecasts) - np.array(observed)))), 3)


def test_each_source_is_scored_per_lead_day_beside_persistence(place: Jurisdiction) -> None:
    results = verification(place, date(2015, 12, 1), date(2015, 12, 31))

    assert [r.source for r in results] == ["monitoring_centre", "weather_bureau", "persistence"]
    centre, bureau, persistence = results
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
    place: Jurisdiction, make_person: MakePerson
) -> None:
    director = make_person("beijing-director", Role.OFFICE_DIRECTOR, place)
    client = Client()
    client.force_login(director)
    response = client.get(
        "/staff/j/beijing/forecast/verification/", {"start": "2015-12-01", "end": "2015-12-31"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert re.findall(r'data-source="(\w+)"', page) == [
        "monitoring_centre",
        "weather_bureau",
        "persistence",
    ]
    assert "monitoring/vendor/echarts/echarts.min.js" in page
    data = re.search(r'<script id="verification-data" type="application/json">(.*?)</script>', page)
    assert data is not None
    chart = json.loads(data.group(1))
    assert [s["name"] for s in chart["series"]] == [
        "环境监测中心",
        "气象局",
        "持续性预报（发布前一日实况）",
    ]
    assert chart["series"][0]["mae"][1] is not None


def test_a_bad_period_is_a_400_naming_the_field(
    place: Jurisdiction, make_person: MakePerson
) -> None:
    director = make_person("beijing-director", Role.OFFICE_DIRECTOR, place)
    client = Client()
    client.force_login(director)
    response = client.get(
        "/staff/j/beijing/forecast/verification/", {"start": "2015-12-31", "end": "2015-12-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == ["结束日期早于开始日期。"]
