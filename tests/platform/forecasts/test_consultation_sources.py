"""The consultation puts the sources side by side (the model's, the monitoring centre's, the
weather bureau's), with the engine's decision on each and the model's level probabilities; its
conclusion becomes the 《会商意见》 document and fills the proposal form."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from docx import Document

from conftest import MakePerson
from forecasts.beijing_days import (
    CONSULTATION_DAY,
    beijing_with_plan,
    observe_beijing,
    three_sources,
)
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.forecasts.services import consultation_record, engine_decision
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.warnings.models import Warning

pytestmark = pytest.mark.django_db
CONCLUSION = "会商认为12月19日起将出现持续重污染，建议发布红色预警"


@dataclass(frozen=True)
class Day:
    place: Jurisdiction
    director: User
    model: Forecast
    centre: Forecast
    bureau: Forecast


@pytest.fixture
def day(make_person: MakePerson) -> Iterator[Day]:
    """Beijing at 14:30 on 18 December 2015 with its three sources (a light model: 5 boosting
    iterations; the skill is measured in docs/forecast.md, not here)."""
    with (
        override_settings(MODEL_FORECAST_ITERATIONS=5),
        time_machine.travel(CONSULTATION_DAY, tick=False),
    ):
        place = beijing_with_plan()
        observe_beijing(place, until=date(2015, 12, 17))
        clerk = make_person("beijing-clerk", Role.COMMAND_OFFICE_STAFF, place)
        director = make_person("beijing-director", Role.OFFICE_DIRECTOR, place)
        model, centre, bureau = three_sources(place, clerk, CONSULTATION_DAY)
        yield Day(place, director, model, centre, bureau)


def _client(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _level(day: Day, forecast: Forecast) -> str:
    version = plan_version_for(day.place)
    assert version is not None
    return str(engine_decision(day.place, version.snapshot, forecast, CONSULTATION_DAY)["level"])


def _record(day: Day, basis: Forecast) -> Consultation:
    return consultation_record(
        actor=day.director,
        jurisdiction=day.place,
        held_at=CONSULTATION_DAY,
        conclusion=CONCLUSION,
        concluded_level="red",
        forecast_ids=[day.model.pk, day.centre.pk, day.bureau.pk],
        basis_id=basis.pk,
    )


def test_the_page_shows_each_source_with_the_engines_decision_and_the_probabilities(
    day: Day,
) -> None:
    page = _client(day.director).get("/staff/j/beijing/consultation/new/").content.decode()

    rows = re.findall(r'<tr data-provider="(\w+)">', page)
    assert rows == ["model", "monitoring_centre", "weather_bureau"]
    levels = re.findall(r'<td data-engine-level="(\w+)">', page)
    assert levels == [_level(day, f) for f in (day.model, day.centre, day.bureau)]
    assert levels[1] == "red"  # the centre's 310, 350, 320 on 21-23 December
    assert "本平台模型" in page
    assert "环境监测中心" in page
    assert "气象局" in page
    # The model's probabilities: one row per day, the plan's outcomes as columns, in %.
    chances = day.model.probabilities
    assert "P(红色预警)" in page
    table = page[page.index('id="probabilities-table"') :]
    first_row = chances["days"][0]
    assert all(f"<td>{round(100 * share)} %</td>" in table for share in first_row)
    # It says it ran without weather, and where the bureau's weather forecast goes.
    assert 'data-weather="without"' in page
    assert "未使用气象预报" in page
    assert 'href="/staff/j/beijing/forecast/weather/"' in page


def test_the_page_in_english_has_no_chinese_in_the_sources(day: Day) -> None:
    page = _client(day.director, "en").get("/staff/j/beijing/consultation/new/").content.decode()
    sources = page[page.index('id="sources"') : page.index('id="consultation-form"')]
    assert "Environmental monitoring centre" in sources
    assert "P(Red warning)" in sources
    assert not re.search(r"[\u4e00-\u9fff]", sources)


def test_the_record_keeps_each_sources_decision_and_rests_on_the_chosen_one(day: Day) -> None:
    consultation = _record(day, basis=day.centre)

    assert consultation.basis == day.centre
    assert consultation.decision["level"] == "red"
    assert [(s["provider"], s["level"]) for s in consultation.sources] == [
        ("model", _level(day, day.model)),
        ("monitoring_centre", "red"),
        ("weather_bureau", _level(day, day.bureau)),
    ]


def test_the_form_records_on_the_source_chosen(day: Day) -> None:
    response = _client(day.director).post(
        "/staff/j/beijing/consultation/new/",
        {
            "held_at": "2015-12-18 15:00",
            "forecast": day.bureau.pk,
            "conclusion": CONCLUSION,
            "concluded_level": "orange",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.basis == day.bureau
    assert set(consultation.forecasts.all()) == {day.model, day.centre, day.bureau}


def _docx(day: Day, consultation: Consultation, language: str) -> tuple[list[str], list]:
    response = _client(day.director, language).get(
        f"/staff/consultation/{consultation.pk}/document.docx"
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    return texts, tables


def test_the_consultation_opinion_docx_has_the_sources_probabilities_and_decision(
    day: Day,
) -> None:
    consultation = _record(day, basis=day.centre)
    texts, tables = _docx(day, consultation, "zh-hans")

    assert texts[0] == "会商意见"
    sources, chances = tables
    assert sources[0][:4] == ["预报来源", "系统研判", "发布时间", "12-18"]
    assert [row[0] for row in sources[1:]] == ["本平台模型", "环境监测中心", "气象局"]
    assert sources[2][1] == "红色预警"
    assert sources[2][3:10] == [
        "70–110",
        "160–200",
        "240–280",
        "270–310",
        "310–350",
        "280–320",
        "140–180",
    ]
    assert chances[0][4] == "P(无预警)"
    assert len(chances) == 8  # the header and seven days
    assert CONCLUSION in texts
    assert any(text.startswith("结论级别") and text.endswith("红色预警") for text in texts)


def test_the_english_opinion_is_english_only(day: Day) -> None:
    consultation = _record(day, basis=day.centre)
    texts, tables = _docx(day, consultation, "en")

    assert texts[0] == "Consultation opinion"
    assert [row[0] for row in tables[0][1:]] == [
        "HazeGuard model",
        "Environmental monitoring centre",
        "Meteorological bureau",
    ]
    cells = " ".join(cell for table in tables for row in table for cell in row)
    assert not re.search(r"[\u4e00-\u9fff]", cells)


def test_the_conclusion_fills_the_proposal_form(day: Day) -> None:
    consultation = _record(day, basis=day.centre)
    client = _client(day.director)
    page = client.get(f"/staff/consultation/{consultation.pk}/").content.decode()
    link = f'href="/staff/j/beijing/propose/?consultation={consultation.pk}"'
    assert link in page  # the proposal opens filled from this conclusion
    page = client.get(f"/staff/j/beijing/propose/?consultation={consultation.pk}").content.decode()

    form = page[page.index('id="propose-form"') :]
    assert '<option value="red" selected>' in form
    assert f'<option value="{consultation.pk}" selected>' in form
    assert f'name="forecast" value="{day.centre.pk}"' in form
    assert CONCLUSION in form
    # The plan's earliest start is named in the reason (the start itself is set at issue).
    assert re.search(r"按预案最早可于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 启动", form)

    with time_machine.travel(CONSULTATION_DAY, tick=False):
        response = client.post(
            "/staff/j/beijing/propose/",
            {
                "level": "red",
                "forecast": day.centre.pk,
                "consultation": consultation.pk,
                "reason": CONCLUSION,
            },
        )
    assert response.status_code == 302
    warning = Warning.objects.get()
    assert (warning.level, warning.consultation_id) == ("red", consultation.pk)
