"""A Liaocheng warning reaches the address books: the counties' duty contacts and systems by the
county deadline (3 h, seed 003 §4.2), the city's website by the public-notice deadline (2 h,
003 §5.2); a lift tells the counties their regional warnings ended."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from flows import in_force, lifted, proposed

from conftest import T0, MakePerson, Staff, up_to_approval
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Channel, Contact, Event, Notice, WebhookEndpoint
from hazeguard_platform.notices.selectors import recipient_statuses
from hazeguard_platform.notices.services import notices_escalate, outbox_process
from hazeguard_platform.response.services import warning_approve, warning_issue
from hazeguard_platform.warnings.models import EndReason, Warning

from .notice_helpers import WEBHOOK_SECRET, HttpReceiver, SmtpInbox

pytestmark = pytest.mark.django_db
COUNTY_DEADLINE = timedelta(hours=3)  # seed 003 §4.2
PUBLIC_DEADLINE = timedelta(hours=2)  # seed 003 §5.2


@pytest.fixture
def county(liaocheng: Staff) -> Jurisdiction:
    first = liaocheng.jurisdiction.children.order_by("code").first()
    assert first is not None
    return first


@pytest.fixture
def book(liaocheng: Staff, county: Jurisdiction, http_receiver: HttpReceiver) -> dict[str, object]:
    """The address books of Liaocheng and its first county."""
    city = liaocheng.jurisdiction

    def contact(where: Jurisdiction, name: str, **fields: object) -> Contact:
        return Contact.objects.create(jurisdiction=where, name=name, **fields)

    def endpoint(where: Jurisdiction, name: str, path: str, public: bool) -> WebhookEndpoint:
        url = f"{http_receiver.url}/{path}"
        return WebhookEndpoint.objects.create(
            jurisdiction=where, name=name, url=url, secret=WEBHOOK_SECRET, public=public
        )

    return {
        "duty": contact(county, "县值班室 county duty", email="duty@county.example.cn"),
        "county_dept": contact(county, "县住建局 county housing", phone="13800000002"),
        "county_office": contact(
            county, "县指挥部办公室", email="office@county.example.cn", escalation=True
        ),
        "gone": contact(county, "旧联系人 former", email="former@example.cn", active=False),
        "county_system": endpoint(county, "县平台 county system", "county", public=False),
        "city_unit": contact(city, "市交通局 transport", email="transport@example.cn"),
        "city_duty": contact(
            city, "市应急值班 city duty", email="cityduty@example.cn", escalation=True
        ),
        "website": endpoint(city, "市政府网站 city website", "website", public=True),
    }


def _issue_notice() -> Notice:
    return Notice.objects.get(event=Event.ISSUE)


def _due(notice: Notice) -> dict[str, tuple[object, str]]:
    return {r.name: (r.due_at, r.due_clause) for r in notice.recipients.all()}


def test_issuing_reaches_the_county_address_book_by_3_hours_and_the_website_by_2(
    liaocheng: Staff, county: Jurisdiction, book: dict[str, object], clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock)
    child = Warning.objects.get(regional_source=warning, jurisdiction=county)
    assert child.respond_by == T0 + COUNTY_DEADLINE
    due = _due(_issue_notice())

    county_deadline = (T0 + COUNTY_DEADLINE, "003 §4.2")
    assert due["县值班室 county duty"] == county_deadline
    assert due["县住建局 county housing"] == county_deadline
    assert due["县指挥部办公室"] == county_deadline, "the county office is addressed too"
    assert due["县平台 county system"] == county_deadline
    assert due["市政府网站 city website"] == (T0 + PUBLIC_DEADLINE, "003 §5.2")
    assert due["市交通局 transport"] == county_deadline  # as the member units' staff
    assert "旧联系人 former" not in due, "an inactive contact is not addressed"
    assert "市应急值班 city duty" not in due, "the city's escalation contact is its office"
    assert _issue_notice().due_at == T0 + PUBLIC_DEADLINE  # the earliest recipient deadline
    assert Notice.objects.exclude(event=Event.STEP).count() == 1, (
        "the county warnings send no notice of their own"
    )


def test_the_messages_carry_each_recipients_own_deadline(
    liaocheng: Staff,
    book: dict[str, object],
    http_receiver: HttpReceiver,
    mail: SmtpInbox,
    clock: time_machine.Coordinates,
) -> None:
    in_force(liaocheng, clock)
    run = outbox_process(now=timezone.now())
    assert not run.failed
    mails = {m["To"]: m.get_payload(decode=True).decode() for m in mail.messages}
    assert "2026-01-04 11:00" in mails["duty@county.example.cn"]  # 08:00 + 3 h, China time
    hooks = {
        r.path: json.loads(r.body)
        for r in http_receiver.requests
        if r.path in {"/website", "/county"}
    }
    assert hooks["/website"]["due_at"] == (T0 + PUBLIC_DEADLINE).isoformat()
    assert hooks["/county"]["due_at"] == (T0 + COUNTY_DEADLINE).isoformat()


def test_a_website_that_never_answered_by_2_hours_is_escalated_to_the_city_office(
    liaocheng: Staff,
    book: dict[str, object],
    http_receiver: HttpReceiver,
    clock: time_machine.Coordinates,
) -> None:
    in_force(liaocheng, clock)  # the clock is now T0 + 24 h
    http_receiver.statuses[:] = [503] * 20  # the website is down for every try
    outbox_process(now=timezone.now())
    notice = _issue_notice()
    rows = {row.recipient.name: row for row in recipient_statuses(notice)}
    assert rows["市政府网站 city website"].overdue

    (overdue,) = notices_escalate(now=T0 + PUBLIC_DEADLINE)
    assert "市政府网站 city website: 未送达" in overdue.body
    assert "市政府网站 city website: not delivered" in overdue.body_en
    assert "003 §5.2" in overdue.body
    assert {r.name for r in overdue.recipients.all()} >= {"市应急值班 city duty"}


def test_a_website_that_answered_2xx_in_time_is_done_and_not_escalated(
    liaocheng: Staff,
    book: dict[str, object],
    http_receiver: HttpReceiver,
    clock: time_machine.Coordinates,
) -> None:
    warning = proposed(liaocheng)
    up_to_approval(liaocheng, warning.pk)
    warning_approve(actor=liaocheng.commander, warning_id=warning.pk)
    warning_issue(
        actor=liaocheng.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(days=1)
    )
    outbox_process(now=timezone.now())  # at T0 every webhook answers 200
    clock.shift(PUBLIC_DEADLINE)
    rows = {row.recipient.name: row for row in recipient_statuses(_issue_notice())}
    website = rows["市政府网站 city website"]
    assert (website.status, website.overdue, website.late) == ("delivered", False, False)
    assert website.delivered_at == T0, "a webhook's 2xx is its delivery"
    assert notices_escalate(now=timezone.now()) == []


def test_lifting_tells_the_county_its_regional_warning_ended(
    liaocheng: Staff, county: Jurisdiction, book: dict[str, object], clock: time_machine.Coordinates
) -> None:
    warning = lifted(liaocheng, in_force(liaocheng, clock))
    child = Warning.objects.get(regional_source=warning, jurisdiction=county)
    assert (child.state, child.end_reason) == ("ended", EndReason.REGIONAL_LIFTED)
    notice = Notice.objects.get(event=Event.LIFT)
    addressed = {r.name: r.due_at for r in notice.recipients.all()}
    assert addressed["县值班室 county duty"] is None, "a lift has no deadline"
    assert "县平台 county system" in addressed
    assert f"区域预警同时解除：{county.name_zh}" in notice.body
    assert Notice.objects.filter(event=Event.LIFT).count() == 1


def test_a_county_departments_staff_account_hears_of_the_city_warning_and_its_end(
    liaocheng: Staff, county: Jurisdiction, make_person: MakePerson, clock: time_machine.Coordinates
) -> None:
    staff = make_person("county-housing-staff", Role.MEMBER_UNIT_STAFF, county)
    lifted(liaocheng, in_force(liaocheng, clock))
    for event in (Event.ISSUE, Event.LIFT):
        notice = Notice.objects.get(event=event)
        assert notice.recipients.filter(user=staff).exists(), event


def test_the_office_page_shows_each_recipients_deadline_and_clause(
    liaocheng: Staff, book: dict[str, object], clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock)
    client = Client()
    client.force_login(liaocheng.office_clerk)
    page = client.get(f"/notices/{_issue_notice().pk}/").content.decode()
    assert "003 §4.2" in page
    assert "003 §5.2" in page
    assert "公开发布" in page
    sms = _issue_notice().recipients.get(name="县住建局 county housing").deliveries.get()
    assert sms.channel == Channel.SMS


def test_a_county_officer_whose_contact_is_in_the_address_book_is_told_once(
    liaocheng: Staff,
    county: Jurisdiction,
    make_person: MakePerson,
    clock: time_machine.Coordinates,
) -> None:
    officer = make_person("county-officer", Role.COUNTY_OFFICER, county)
    Contact.objects.create(
        jurisdiction=county, name="县长 county head", phone="13800000009", user=officer
    )
    in_force(liaocheng, clock)
    notice = _issue_notice()
    (recipient,) = notice.recipients.filter(user=officer) | notice.recipients.filter(
        contact__user=officer
    )
    assert recipient.user == officer
    sms = [d.address for d in recipient.deliveries.all() if d.channel == Channel.SMS]
    assert sms == ["13800000009"]
