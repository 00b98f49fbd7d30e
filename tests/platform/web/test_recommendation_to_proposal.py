"""The office, from the engine's recommendation to a proposal in two clicks (issue 12 §1).

Liaocheng's plan has yellow, orange and red (003 §3.1), no blue; a forecast above 200 for four
days with two above 300 meets its red criteria, approved by the commander (003 §3.3).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from flows import forecast, in_force, proposed

from conftest import T0, Staff, through_chain
from hazeguard_platform.forecasts.services import consultation_record
from hazeguard_platform.warnings.models import State, Warning

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirm": "on"}


def signed_in(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def visible(page: str) -> str:
    """The page's text as a person reads it (no tags, no attributes)."""
    return re.sub(r"<[^>]+>", " ", page.split("<main")[1])


def test_the_dashboard_opens_with_the_engines_recommendation_and_its_basis(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    page = signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/").content.decode()

    card = page.split('id="recommendation"')[1].split("</section>")[0]
    assert 'data-engine-level="red"' in page
    assert "发布红色预警，启动Ⅰ级应急响应" in card
    assert "AQI日均值&gt;300连续2天（48小时）" in card  # why, with its clause
    assert "003 §3.1" in card
    assert "1月5日 00:00" in card  # the earliest start, for people
    assert "指挥长" in card  # the approver
    assert f"/staff/forecast/{basis.pk}/" in card  # the forecast it used
    assert 'id="observed-used"' in card
    assert 'href="/staff/j/liaocheng/propose/"' in card
    assert "按建议提请" in card


def test_the_recommendation_is_english_in_english_mode(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast(liaocheng)

    page = signed_in(liaocheng.office_clerk, "en").get("/staff/j/liaocheng/").content.decode()

    card = page.split('id="recommendation"')[1].split("</section>")[0]
    assert "issue red warning (response I)" in card
    assert "5 Jan 00:00" in card
    assert "Propose as recommended" in card
    assert "指挥长" not in card


def test_the_proposal_opens_pre_filled_with_level_consultation_and_reason(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)
    meeting = consultation_record(
        actor=liaocheng.office_clerk,
        jurisdiction=liaocheng.jurisdiction,
        held_at=T0,
        conclusion="建议发布红色预警",
        concluded_level="red",
        forecast_ids=[basis.pk],
    )

    response = signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/propose/")

    form = response.context["propose_form"]
    assert response.status_code == 200
    assert form.initial["level"] == "red"
    assert form.initial["consultation"] == meeting.pk
    assert form.initial["forecast"] == basis.pk
    assert "AQI日均值>300连续2天（48小时）：1月5日、1月6日 [003 §3.1]" in (form.initial["reason"])
    page = response.content.decode()
    assert 'type="hidden" name="forecast"' in page  # nobody types the forecast's id
    assert '<select name="consultation"' in page  # nor the consultation's
    assert "1月5日 00:00" in page.split('id="proposed-start"')[1]


def test_the_level_list_offers_only_the_plans_levels(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast(liaocheng)

    form = (
        signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/propose/").context["propose_form"]
    )

    offered = [value for value, _label in form.fields["level"].choices]
    assert "blue" not in offered
    assert {"yellow", "orange", "red"} <= set(offered)


def test_proposing_as_recommended_takes_two_clicks(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast(liaocheng)
    client = signed_in(liaocheng.office_clerk)
    form = client.get("/staff/j/liaocheng/propose/").context["propose_form"]

    response = client.post(
        "/staff/j/liaocheng/propose/",
        {name: value for name, value in form.initial.items() if value is not None},
    )

    warning = Warning.objects.get()
    assert response.status_code == 302
    assert (warning.level, warning.state) == ("red", State.PROPOSED)
    assert warning.reason.startswith("发布红色预警")


def test_a_refused_second_proposal_links_to_the_pending_one(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    pending = proposed(liaocheng)
    client = signed_in(liaocheng.office_clerk)

    dashboard = client.get("/staff/j/liaocheng/").content.decode()
    page = client.get("/staff/j/liaocheng/propose/").content.decode()
    refused = client.post(
        "/staff/j/liaocheng/propose/",
        {"level": "orange", "forecast": pending.forecast_id, "reason": "再提一次"},
    )

    link = f'href="/staff/warning/{pending.pk}/"'
    assert link in dashboard.split('id="pending-proposal"')[1]
    assert link in page.split('id="pending-proposal"')[1]
    assert 'id="propose-form"' not in page
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "已有待审批的提请" in text
    assert link in text.split('id="pending-proposal"')[1]
    assert "liaocheng already" not in text


def test_the_issue_form_holds_the_engines_earliest_start(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    through_chain(liaocheng, warning.pk)

    response = signed_in(liaocheng.office_clerk).get(f"/staff/warning/{warning.pk}/")

    issue = response.context["action_forms"]["issue"]
    assert issue.initial["starts_at"] == T0 + timedelta(hours=16)  # 2026-01-05 00:00 CST
    assert 'value="2026-01-05 00:00"' in response.content.decode()


def test_a_short_lead_error_is_chinese_rounded_and_says_what_to_do(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    through_chain(liaocheng, warning.pk)

    response = signed_in(liaocheng.office_clerk).post(
        f"/staff/warning/{warning.pk}/issue/",
        {"starts_at": (T0 + timedelta(hours=2, minutes=17)).isoformat()},
    )

    text = visible(response.content.decode())
    assert response.status_code == 400
    assert "short_lead_reason" not in text
    assert "e-0" not in text
    assert "2.3小时" in text  # 2 h 17 min, rounded
    assert "请选择更晚的开始时间，或在下方说明" in text


def test_a_short_lead_error_is_english_in_english_mode(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    through_chain(liaocheng, warning.pk)

    response = signed_in(liaocheng.office_clerk, "en").post(
        f"/staff/warning/{warning.pk}/issue/", {"starts_at": T0.isoformat()}
    )

    text = response.content.decode()
    assert "The warning would start 0 h after it is issued" in text
    assert "choose a later start" in text


def test_lifting_asks_for_confirmation_first(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock)
    client = signed_in(liaocheng.office_clerk)

    unconfirmed = client.post(f"/staff/warning/{warning.pk}/lift/", {"note": "空气质量改善"})
    confirmed = client.post(
        f"/staff/warning/{warning.pk}/lift/", {"note": "空气质量改善", **CONFIRMED}
    )

    assert unconfirmed.status_code == 400
    assert "confirm" in unconfirmed.context["action_forms"]["lift"].errors
    assert confirmed.status_code == 302
    assert warning.steps.filter(action="lift").count() == 1


def test_a_withdrawn_proposal_no_longer_looks_like_a_warning(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    client = signed_in(liaocheng.office_clerk)

    unconfirmed = client.post(f"/staff/warning/{warning.pk}/withdraw/")
    client.post(f"/staff/warning/{warning.pk}/withdraw/", CONFIRMED)
    page = client.get(f"/staff/warning/{warning.pk}/").content.decode()
    dashboard = client.get("/staff/j/liaocheng/").content.decode()

    assert unconfirmed.status_code == 400
    warning.refresh_from_db()
    assert warning.state == State.WITHDRAWN
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert "已撤回的提请" in heading
    assert "level-red" not in heading
    assert "本级别应急措施" not in page  # no measures take effect
    assert 'id="not-a-warning"' in page
    row = dashboard.split('id="warnings"')[1]
    assert "badge level-red" not in row
    assert "data-ended" in row


def test_the_consultation_chooses_its_forecast_by_issue_time_not_by_id(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    page = signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/consultation/new/")

    text = page.content.decode()
    # One choice per source, labelled by its maker and issue time (forecasts/sources.py).
    assert 'type="radio" name="forecast"' in text
    assert f'value="{basis.pk}"' in text
    assert "01-04 08:00" in text
