"""The engine's reasons on the pages in the page's language (issue 12 §4: one language at a
time), and in the API in both.

Liaocheng's red warning (flows.py: AQI above 200 for five days, three of them above 300) matches
"预测AQI日均值>200将持续4天（96小时）及以上，且预测AQI日均值>300将持续2天（48小时）及以上"
(003 §3.1); the Chinese pages show the plan's words, the English pages the English the CLI
prints.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from api_client import ApiClient
from django.contrib.auth.models import User
from django.test import Client
from flows import RED_DAYS, forecast, in_force, proposed

from conftest import T0, Staff, up_to_approval
from hazeguard_platform.response.services import warning_approve, warning_issue
from hazeguard_platform.warnings.models import Warning

pytestmark = pytest.mark.django_db

OVER_300_ZH = "AQI日均值&gt;300连续2天（48小时）"
OVER_300_EN = "AQI &gt; 300 for 2 days"


def signed_in(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def assert_one_language(zh_page: str, en_page: str, zh: str, en: str) -> None:
    """The Chinese page holds ``zh`` and not ``en``; the English page the other way round."""
    assert zh in zh_page, zh
    assert en not in zh_page, en
    assert en in en_page, en
    assert zh not in en_page, zh


def test_the_public_page_gives_the_reasons_in_the_page_language(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock)
    page = client.get("/j/liaocheng/").content.decode()
    why = page[page.index('id="why"') :]
    client.cookies["django_language"] = "en"
    english = client.get("/j/liaocheng/").content.decode()
    why_en = english[english.index('id="why"') :]
    assert "预警依据" in why
    assert_one_language(why, why_en, OVER_300_ZH, OVER_300_EN)
    assert_one_language(why, why_en, "AQI日均值&gt;200连续4天（96小时）", "AQI &gt; 200 for 4 days")


def test_the_public_page_gives_no_engine_reasons_for_a_level_the_engine_did_not_decide(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    # People may decide otherwise than the engine (a red forecast, an orange warning): the
    # engine's red reasons would not explain it.
    warning = proposed(liaocheng, "orange", RED_DAYS)
    assert warning.decision is not None
    assert warning.decision["level"] == "red"
    up_to_approval(liaocheng, warning.pk)
    warning_approve(actor=liaocheng.deputy_commander, warning_id=warning.pk)
    warning_issue(
        actor=liaocheng.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(days=1)
    )
    page = client.get("/j/liaocheng/").content.decode()
    assert 'data-level="orange"' in page
    assert 'id="why"' not in page


def test_the_staff_warning_page_shows_the_decision_in_the_page_language(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    url = f"/staff/warning/{warning.pk}/"
    page = signed_in(liaocheng.commander).get(url).content.decode()
    english = signed_in(liaocheng.commander, "en").get(url).content.decode()
    assert_one_language(
        page, english, "发布红色预警，启动Ⅰ级应急响应", "issue red warning (response I)"
    )
    assert_one_language(page, english, OVER_300_ZH, OVER_300_EN)
    # The lead-time rule: its name and detail in the page's language.
    assert_one_language(page, english, "提前发布", "lead time")
    # A late release is recorded as late, the measures not postponed (issue 10: the engine no
    # longer postpones the start).
    assert_one_language(
        page, english, "不足提前24小时：记为迟发", "less than 24 h: recorded as late"
    )


def test_a_decision_stored_before_chinese_texts_shows_its_english(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    assert warning.decision is not None
    old = dict(warning.decision)
    old.pop("headline")
    old["criteria"] = [
        {key: value for key, value in c.items() if key in ("level", "criterion", "clause")}
        for c in old["criteria"]
    ]
    Warning.objects.filter(pk=warning.pk).update(decision=old)
    page = signed_in(liaocheng.commander).get(f"/staff/warning/{warning.pk}/").content.decode()
    assert '<span class="en" lang="en">AQI &gt; 300 for 2 days</span>' in page


def test_the_api_gives_both_texts_and_the_structured_form(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)
    office = ApiClient(liaocheng.office_clerk)
    body = office.get("/api/jurisdictions/liaocheng/decision", forecast_id=basis.pk).json()
    decision = body["decision"]
    assert decision["headline"]["zh"] == "发布红色预警，启动Ⅰ级应急响应"
    over_300 = decision["criteria"][1]
    assert (over_300["criterion_zh"], over_300["criterion"]) == (
        "AQI日均值>300连续2天（48小时）",
        "AQI > 300 for 2 days",
    )
    assert over_300["explanation"] == {
        "code": "criterion.persistence",
        "params": {"op": ">", "threshold": 300, "days": 2},
        "zh": "AQI日均值>300连续2天（48小时）",
        "en": "AQI > 300 for 2 days",
    }
    lead = decision["rules"][0]
    assert (lead["rule_zh"], lead["explanation"]["code"]) == ("提前发布", "rule.lead_time.late")
