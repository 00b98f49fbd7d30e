"""The warning services tell people: issuing, adjusting and lifting a Liaocheng warning sends one
notice to the county officers (due within the plan's 3 h, seed 003 §4.2), the member units' staff
and the listed enterprises' contacts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from enterprises.list_helpers import Firms, listed_firms
from flows import adjusted, in_force, lifted

from conftest import PASSWORD, T0, MakePerson, Staff
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.notices.models import Channel, DeliveryState, Event, Notice
from hazeguard_platform.notices.services import notice_acknowledge, notices_escalate

pytestmark = pytest.mark.django_db

MENU = (
    "/staff/",
    "/staff/tokens/",
    "/notices/",
    "/notices/inbox/",
    "/operations/",
    "/enterprises/",
)


@pytest.fixture
def officers(liaocheng: Staff, make_person: MakePerson) -> list[User]:
    """One county officer in each of Liaocheng's first two counties."""
    counties = liaocheng.jurisdiction.children.order_by("code")[:2]
    return [make_person(f"{c.code}-officer", Role.COUNTY_OFFICER, c) for c in counties]


@pytest.fixture
def unit_staff(liaocheng: Staff) -> User:
    """Staff of Liaocheng's first member unit, with an e-mail address."""
    unit = liaocheng.jurisdiction.member_units.order_by("code").first()
    assert unit is not None
    user = User.objects.create_user("unit-staff", "unit@example.cn", PASSWORD)
    city = liaocheng.jurisdiction
    Membership.objects.create(
        user=user, jurisdiction=city, role=Role.MEMBER_UNIT_STAFF, member_unit=unit
    )
    return user


@pytest.fixture
def firms(liaocheng: Staff, tmp_path: Path) -> Firms:
    return listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)


def _notice(event: Event) -> Notice:
    return Notice.objects.get(event=event)


def _addressed(notice: Notice) -> set[str]:
    return {r.user.username for r in notice.recipients.select_related("user") if r.user}


def test_issuing_liaocheng_red_tells_the_county_officers_within_3_hours_and_the_member_units(
    liaocheng: Staff,
    clock: time_machine.Coordinates,
    officers: list[User],
    unit_staff: User,
    firms: Firms,
) -> None:
    warning = in_force(liaocheng, clock)
    notice = _notice(Event.ISSUE)
    assert (notice.jurisdiction, notice.object_id) == (liaocheng.jurisdiction, str(warning.pk))
    assert notice.due_at == warning.issued_at + timedelta(hours=3) == T0 + timedelta(hours=3)
    assert _addressed(notice) == {
        *(o.username for o in officers),
        unit_staff.username,
        firms.cement_contact.username,
        firms.chemicals_contact.username,
    }
    email = notice.recipients.get(user=unit_staff).deliveries.get(channel=Channel.EMAIL)
    assert (email.address, email.state) == ("unit@example.cn", DeliveryState.QUEUED)
    assert liaocheng.commander.username not in _addressed(notice), "the command is the sender"


def test_a_county_officer_who_does_not_acknowledge_in_3_hours_is_escalated(
    liaocheng: Staff, clock: time_machine.Coordinates, officers: list[User]
) -> None:
    in_force(liaocheng, clock)  # issued at T0, the clock is now T0 + 24 h
    notice = _notice(Event.ISSUE)
    notice_acknowledge(recipient_id=notice.recipients.get(user=officers[0]).pk, user=officers[0])
    (overdue,) = notices_escalate(now=T0 + timedelta(hours=3))
    assert overdue.escalates == notice
    assert officers[1].username in overdue.body
    assert officers[0].username not in overdue.body


def test_issuing_an_adjustment_sends_an_adjust_notice(
    liaocheng: Staff, clock: time_machine.Coordinates, officers: list[User], unit_staff: User
) -> None:
    adjusted(liaocheng, in_force(liaocheng, clock), "orange")
    notice = _notice(Event.ADJUST)
    assert "橙色预警" in notice.body  # the vocabulary's name, not the code
    assert _addressed(notice) == {*(o.username for o in officers), unit_staff.username}


def test_lifting_sends_a_lift_notice_without_a_deadline(
    liaocheng: Staff, clock: time_machine.Coordinates, officers: list[User], unit_staff: User
) -> None:
    warning = lifted(liaocheng, in_force(liaocheng, clock))
    notice = _notice(Event.LIFT)
    assert notice.object_id == str(warning.pk)
    assert notice.due_at is None
    assert _addressed(notice) == _addressed(_notice(Event.ISSUE))


def test_the_county_officer_finds_the_issue_notice_in_the_inbox(
    liaocheng: Staff, clock: time_machine.Coordinates, officers: list[User]
) -> None:
    in_force(liaocheng, clock)
    notice = _notice(Event.ISSUE)
    client = Client()
    client.force_login(officers[0])
    page = client.get("/notices/inbox/").content.decode()
    assert notice.title in page
    assert "1月4日 11:00" in page, "the deadline in China time: 08:00 + 3 h"
    assert "确认收到" in page


def test_a_warning_of_a_jurisdiction_with_nobody_to_tell_sends_no_notice(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    lifted(liaocheng, in_force(liaocheng, clock))
    # Only the command heard, each of its chain's steps (issue 10): no warning notice went out.
    assert not Notice.objects.exclude(event=Event.STEP).exists()


def test_the_site_menu_links_each_person_to_the_pages_of_their_roles(
    liaocheng: Staff, officers: list[User], unit_staff: User, firms: Firms
) -> None:
    staff = {"/staff/", "/staff/tokens/"}
    expected = {
        liaocheng.office_clerk: {*staff, "/notices/", "/notices/inbox/", "/operations/"},
        liaocheng.administrator: {*staff, "/notices/", "/notices/inbox/"},
        officers[0]: {*staff, "/notices/inbox/", "/operations/"},
        unit_staff: {*staff, "/notices/inbox/", "/operations/"},
        # An enterprise contact has no staff pages (they would be empty for it).
        firms.cement_contact: {"/notices/inbox/", "/enterprises/"},
    }
    for person, links in expected.items():
        client = Client()
        client.force_login(person)
        page = client.get("/").content.decode()
        menu = page[page.index('class="site-nav"') : page.index("</nav>")]
        shown = {href for href in MENU if f'href="{href}"' in menu}
        assert shown == links, person.username
    assert 'href="/notices/inbox/"' not in Client().get("/").content.decode()
