"""A personal home for every role: what waits for me (issue 12 §2).

Liaocheng's red is reviewed by the office director and approved by the commander (003 §3.3.1),
released 24 h ahead of its start (003 §3.3.1); its counties answer within 3 h (003 §3.3).
"""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from flows import in_force, lifted, proposed

from conftest import MakePerson, Staff, through_chain
from hazeguard_platform.accounts.models import Role

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue_of(user: User) -> str:
    page = signed_in(user).get("/staff/").content.decode()
    return page.split('id="my-queue"')[1].split("</section>")[0]


def test_the_office_director_finds_the_red_proposal_to_review_at_home(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)

    director = queue_of(liaocheng.office_director)
    commander = queue_of(liaocheng.commander)

    assert "待我处理" in director
    assert f'data-warning="{warning.pk}" data-kind="review"' in director
    assert "待审核" in director
    assert f'data-warning="{warning.pk}"' not in commander  # not the commander's step yet


def test_the_commander_finds_the_approval_with_its_deadline_once_reviewed(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    through_chain(liaocheng, warning.pk, until="review")

    commander = queue_of(liaocheng.commander)
    deputy = queue_of(liaocheng.deputy_commander)

    assert f'data-warning="{warning.pk}" data-kind="approve"' in commander
    assert "待批准" in commander
    # Released 24 h before the engine's earliest start (5 Jan 00:00): 4 Jan 00:00, passed at 08:00.
    assert "发布截止 1月4日 00:00" in commander
    assert "（已过，请尽快）" in commander
    assert "003 §3.3" in commander
    assert f'data-warning="{warning.pk}"' not in deputy


def test_the_office_finds_the_approved_warning_to_issue(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    through_chain(liaocheng, warning.pk)

    assert f'data-warning="{warning.pk}" data-kind="issue"' in queue_of(liaocheng.office_clerk)


def test_a_person_who_cannot_act_is_told_who_can(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    through_chain(liaocheng, warning.pk, until="review")

    page = signed_in(liaocheng.deputy_commander).get(f"/staff/warning/{warning.pk}/")

    text = page.content.decode().split('id="nothing-for-you"')[1].split("</p>")[0]
    assert "您当前无需对此预警操作" in text
    assert "指挥长 · 批准" in text
    assert liaocheng.commander.username in text


def test_a_county_officer_finds_the_regional_warning_and_reports_not_yet_due(
    liaocheng: Staff, make_person: MakePerson, clock: time_machine.Coordinates
) -> None:
    county = liaocheng.jurisdiction.children.get(code="dongchangfu")
    officer = make_person("dongchangfu-officer", Role.COUNTY_OFFICER, county)
    in_force(liaocheng, clock)

    queue = queue_of(officer)

    child = county.warnings.get()
    assert f'data-warning="{child.pk}" data-kind="respond"' in queue
    assert "响应截止" in queue
    if 'id="queue-reports"' in queue:
        reports = queue.split('id="queue-reports"')[1]
        assert "未到期" in reports
        assert "已超时" not in reports


def test_the_city_office_is_not_asked_to_answer_its_own_counties(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock)

    assert 'data-kind="respond"' not in queue_of(liaocheng.office_clerk)


def test_an_enterprise_contact_lands_on_the_portal_and_holds_no_api_token(
    liaocheng: Staff, make_person: MakePerson
) -> None:
    contact = make_person("firm-contact", Role.ENTERPRISE_CONTACT, liaocheng.jurisdiction)
    client = signed_in(contact)

    home = client.get("/staff/")
    tokens = client.get("/staff/tokens/")
    created = client.post("/staff/tokens/", {"name": "mine", "scope": "read", "days": "30"})

    assert home.status_code == 302
    assert home["Location"] == "/enterprises/"
    assert tokens.status_code == 403
    assert created.status_code == 403
    assert not contact.api_tokens.exists()


def test_a_lifted_warning_leaves_no_open_county_deadlines_on_the_dashboard(
    liaocheng: Staff, make_person: MakePerson, clock: time_machine.Coordinates
) -> None:
    county = liaocheng.jurisdiction.children.get(code="dongchangfu")
    officer = make_person("dongchangfu-officer", Role.COUNTY_OFFICER, county)
    warning = in_force(liaocheng, clock)
    lifted(liaocheng, warning)

    city = signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/").content.decode()
    own = signed_in(officer).get("/staff/j/dongchangfu/").content.decode()

    assert 'id="county-deadlines"' not in city
    assert "响应截止" not in own
    assert 'data-kind="respond"' not in queue_of(officer)
