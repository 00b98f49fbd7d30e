"""Public pages and the CAP feed: no sign-in, only published warnings, Chinese first, valid CAP.

The warnings here are rows as the warning services leave them (issued, adjusted, lifted); the
full workflow through the services is in test_views_warning_flow.py and the browser test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cap_schema import assert_valid_cap
from django.test import Client
from lxml import etree

from hazeguard.cap import ATOM_NAMESPACE, CAP_NAMESPACE
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.warnings.models import EndReason, State, Warning

pytestmark = pytest.mark.django_db

NS = {"cap": CAP_NAMESPACE, "atom": ATOM_NAMESPACE}
ISSUED = datetime(2026, 1, 4, 2, 0, tzinfo=UTC)
MEASURES = [
    {
        "category": "health",
        "text_zh": "中小学、幼儿园停止户外活动",
        "responsible_units": ["市教育和体育局"],
        "clause": "003 §4.4.3",
    },
    {
        "category": "mandatory",
        "text_zh": "城区内禁止燃放烟花爆竹",
        "responsible_units": ["市公安局"],
        "clause": "003 §4.4.3",
    },
    {
        "category": "mandatory",
        "text_zh": "城区内禁止重型和中型柴油货车通行",
        "responsible_units": ["市公安局"],
        "clause": "003 §4.4.3",
    },
    {"category": "guidance", "text_zh": "钢铁企业停产", "clause": "003 §4.4.3"},
]


@pytest.fixture
def liaocheng_place() -> Jurisdiction:
    return Jurisdiction.objects.create(
        code="liaocheng", name_zh="聊城市", name_en="Liaocheng", kind="city"
    )


@pytest.fixture
def county(liaocheng_place: Jurisdiction) -> Jurisdiction:
    return Jurisdiction.objects.create(
        code="liaocheng-dongchangfu",
        name_zh="东昌府区",
        name_en="Dongchangfu",
        kind="district",
        parent=liaocheng_place,
    )


def _warning(place: Jurisdiction, level: str, response: str, **fields: object) -> Warning:
    version, _ = PlanVersion.objects.get_or_create(
        jurisdiction=place,
        plan_id="liaocheng-2020",
        number=1,
        defaults={"snapshot": {"id": "liaocheng-2020"}, "digest": "0" * 64},
    )
    values: dict[str, object] = {
        "jurisdiction": place,
        "level": level,
        "response": response,
        "plan_version": version,
        "decision": {"level": level, "response": response, "measures": MEASURES},
        "reason": "预测AQI日均值>200持续4天",
        "issued_at": ISSUED,
        "starts_at": ISSUED + timedelta(hours=24),
    }
    values.update(fields)
    return Warning.objects.create(**values)


@pytest.fixture
def red_in_force(liaocheng_place: Jurisdiction) -> Warning:
    return _warning(liaocheng_place, "red", "I", state=State.IN_FORCE)


def test_the_home_page_shows_the_red_warning_and_its_public_measures_without_sign_in(
    client: Client, red_in_force: Warning, county: Jurisdiction
) -> None:
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-level="red"' in page
    assert "红色预警" in page
    assert "Ⅰ级" in page
    assert "城区内禁止燃放烟花爆竹" in page
    assert "中小学、幼儿园停止户外活动" in page
    # Guidance measures address industry and counties, not the public.
    assert "钢铁企业停产" not in page
    # The county has no warning of its own yet.
    assert "东昌府区" in page
    assert 'data-level="none"' in page


def test_the_jurisdiction_page_shows_the_period_and_the_history(
    client: Client, red_in_force: Warning
) -> None:
    response = client.get("/j/liaocheng/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "2026-01-05 10:00" in page  # starts_at in China Standard Time
    assert f'data-warning="{red_in_force.pk}"' in page


def test_a_proposal_is_not_public(client: Client, liaocheng_place: Jurisdiction) -> None:
    proposal = _warning(liaocheng_place, "red", "I", issued_at=None, state=State.PROPOSED)

    assert 'data-level="red"' not in client.get("/").content.decode()
    assert f'data-warning="{proposal.pk}"' not in client.get("/history/").content.decode()
    assert proposal.pk  # the row exists, it is only not shown


def test_the_language_switch_turns_the_pages_to_english(
    client: Client, red_in_force: Warning
) -> None:
    chinese = client.get("/").content.decode()
    assert "当前重污染天气预警" in chinese
    assert '<html lang="zh-hans">' in chinese

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    page = client.get("/").content.decode()

    assert "Heavy pollution weather warnings in force" in page
    assert "Red warning" in page
    assert "Liaocheng" in page


def test_the_cap_feed_indexes_the_alert_and_the_message_is_valid_cap(
    client: Client, red_in_force: Warning
) -> None:
    feed = etree.fromstring(client.get("/cap/feed.atom").content)
    links = feed.findall("atom:entry/atom:link[@type='application/cap+xml']", NS)
    assert len(links) == 1

    message = client.get(links[0].get("href"))
    assert message["Content-Type"].startswith("application/cap+xml")
    alert = assert_valid_cap(message.content)
    assert alert.findtext("cap:msgType", namespaces=NS) == "Alert"
    assert alert.findtext("cap:info/cap:severity", namespaces=NS) == "Extreme"
    measures = [
        p.findtext("cap:value", namespaces=NS)
        for p in alert.findall("cap:info[1]/cap:parameter", NS)
        if (p.findtext("cap:valueName", namespaces=NS) or "").startswith("measure:")
    ]
    assert any("烟花爆竹" in (m or "") for m in measures)


def _cap_messages(client: Client) -> list[etree._Element]:
    feed = etree.fromstring(client.get("/cap/feed.atom").content)
    hrefs = [
        link.get("href")
        for link in feed.findall("atom:entry/atom:link[@type='application/cap+xml']", NS)
    ]
    return [assert_valid_cap(client.get(href).content) for href in reversed(hrefs)]


def test_an_adjustment_is_an_update_and_lifting_a_cancel_each_referencing_the_earlier(
    client: Client, liaocheng_place: Jurisdiction
) -> None:
    first = _warning(
        liaocheng_place,
        "orange",
        "II",
        state=State.ENDED,
        ended_at=ISSUED + timedelta(days=1),
        end_reason=EndReason.ADJUSTED,
    )
    _warning(
        liaocheng_place,
        "red",
        "I",
        state=State.ENDED,
        supersedes=first,
        issued_at=ISSUED + timedelta(days=1),
        ended_at=ISSUED + timedelta(days=3),
        end_reason=EndReason.LIFTED,
        end_note="空气质量改善",
    )

    alert, update, cancel = _cap_messages(client)

    assert [m.findtext("cap:msgType", namespaces=NS) for m in (alert, update, cancel)] == [
        "Alert",
        "Update",
        "Cancel",
    ]
    alert_id = alert.findtext("cap:identifier", namespaces=NS)
    update_id = update.findtext("cap:identifier", namespaces=NS)
    assert alert_id in (update.findtext("cap:references", namespaces=NS) or "")
    cancel_refs = cancel.findtext("cap:references", namespaces=NS) or ""
    assert alert_id in cancel_refs
    assert update_id in cancel_refs
    assert cancel.findtext("cap:info/cap:responseType", namespaces=NS) == "AllClear"
    assert cancel.findtext("cap:note", namespaces=NS) == "空气质量改善"


def test_an_unknown_cap_message_is_not_found(client: Client, red_in_force: Warning) -> None:
    assert client.get("/cap/hazeguard-liaocheng-w999-issue.xml").status_code == 404
    assert client.get("/cap/nonsense.xml").status_code == 404
