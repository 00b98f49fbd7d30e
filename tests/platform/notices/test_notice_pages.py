"""Creating notices, and the office's page of per-recipient status."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.messages import ack_token
from hazeguard_platform.notices.models import Channel, Contact, Event, Notice
from hazeguard_platform.notices.selectors import recipient_statuses
from hazeguard_platform.notices.services import (
    Addressed,
    notice_acknowledge,
    notice_create,
    outbox_process,
)

from .notice_helpers import HttpReceiver, Office

pytestmark = pytest.mark.django_db


def test_creating_a_notice_records_it_in_the_audit_log(office: Office) -> None:
    notice = notice_create(
        event=Event.ADJUST,
        recipients=[office.county_contact, office.county_contact, office.endpoint],
        actor=office.clerk,
        jurisdiction=office.city,
    )
    assert notice.recipients.count() == 2  # the repeated contact counts once
    entry = AuditEntry.objects.get(action="notice.create")
    assert entry.actor == office.clerk
    assert entry.object_id == str(notice.pk)
    # Without a title, the sender and the event name one in each language.
    assert notice.title == "测试市 预警调整"
    assert notice.title_en.endswith(" warning adjusted")


def test_each_recipient_keeps_its_own_deadline_and_a_repeated_one_its_earliest(
    office: Office, clock: time_machine.Coordinates
) -> None:
    now = timezone.now()
    notice = notice_create(
        event=Event.ISSUE,
        recipients=[
            office.director,  # takes the notice's deadline
            Addressed(office.county_contact, now + timedelta(hours=3), "003 §4.2"),
            Addressed(office.county_contact, now + timedelta(hours=5), "elsewhere"),
            Addressed(office.endpoint, now + timedelta(hours=2), "003 §5.2"),
        ],
        actor=office.clerk,
        jurisdiction=office.city,
        due_at=now + timedelta(hours=4),
        due_clause="test §1",
    )
    due = {r.name: (r.due_at - now, r.due_clause) for r in notice.recipients.all()}
    assert due == {
        "city-director": (timedelta(hours=4), "test §1"),
        office.county_contact.name: (timedelta(hours=3), "003 §4.2"),
        office.endpoint.name: (timedelta(hours=2), "003 §5.2"),
    }
    assert notice.due_at == now + timedelta(hours=2)  # the earliest of them
    with pytest.raises(InvalidInputError, match="time zone") as refused:
        notice_create(
            event=Event.ISSUE,
            recipients=[Addressed(office.director, datetime(2026, 1, 4, 11, 0))],
            actor=None,
            jurisdiction=office.city,
        )
    assert refused.value.field == "due_at"


def test_the_subject_object_names_the_notice_and_its_jurisdiction(office: Office) -> None:
    notice = notice_create(
        event=Event.ISSUE,
        recipients=[office.director],
        actor=None,
        subject_object=office.county_contact,
    )
    assert (notice.jurisdiction, notice.object_type) == (office.city, "notices.contact")
    assert notice.object_id == str(office.county_contact.pk)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event": "announce"}, "event"),
        ({"recipients": []}, "recipients"),
        ({"jurisdiction": None}, "jurisdiction"),
        ({"due_at": datetime(2026, 1, 4, 11, 0)}, "due_at"),
    ],
)
def test_it_rejects_a_notice_with_a_bad_field(
    office: Office, change: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {
        "event": Event.ISSUE,
        "recipients": [office.county_contact],
        "actor": office.clerk,
        "jurisdiction": office.city,
    }
    arguments.update(change)
    with pytest.raises(InvalidInputError) as error:
        notice_create(**arguments)  # type: ignore[arg-type]
    assert error.value.field == field
    assert not Notice.objects.exists()


def test_it_rejects_a_contact_that_cannot_be_reached(office: Office) -> None:
    mute = Contact.objects.create(jurisdiction=office.city, name="无联系方式 nobody")
    with pytest.raises(InvalidInputError, match="neither an e-mail address nor a phone"):
        notice_create(event=Event.ISSUE, recipients=[mute], actor=None, jurisdiction=office.city)


def test_a_users_phone_comes_from_their_contact(office: Office) -> None:
    Contact.objects.create(
        jurisdiction=office.city, name="d", phone="13900000000", user=office.director
    )
    notice = notice_create(
        event=Event.ISSUE, recipients=[office.director], actor=None, jurisdiction=office.city
    )
    channels = set(notice.recipients.get().deliveries.values_list("channel", "address"))
    assert channels == {
        (Channel.INBOX, ""),
        (Channel.EMAIL, "director@example.org"),
        (Channel.SMS, "13900000000"),
    }


def test_the_office_sees_sent_delivered_acknowledged_and_failed_per_recipient(
    office: Office,
    http_receiver: HttpReceiver,
    client: Client,
    clock: time_machine.Coordinates,
) -> None:
    notice = notice_create(
        event=Event.ISSUE,
        recipients=[office.county_contact, office.endpoint, office.director],
        actor=office.clerk,
        jurisdiction=office.city,
        due_at=timezone.now() + timedelta(hours=2),
    )
    http_receiver.statuses[:] = [200, 404]  # the SMS gateway takes it, the webhook is gone
    outbox_process(now=timezone.now())
    county = notice.recipients.get(contact=office.county_contact)
    notice_acknowledge(token=ack_token(county.pk))
    clock.shift(timedelta(hours=3))

    rows = {row.recipient.name: row for row in recipient_statuses(notice)}
    assert rows[office.county_contact.name].status == "acknowledged"
    assert rows[office.endpoint.name].status == "failed"
    assert rows["city-director"].status == "delivered"  # the inbox; e-mail went out too
    assert rows["city-director"].overdue
    # A system does not acknowledge, but one that never answered 2xx by its deadline is overdue.
    assert rows[office.endpoint.name].overdue
    assert rows[office.endpoint.name].recipient.acknowledges is False

    client.force_login(office.clerk)
    listing = client.get("/notices/").content.decode()
    assert f'data-notice="{notice.pk}"' in listing
    assert 'data-failed="1"' in listing
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert 'data-status="acknowledged"' in page
    assert "已确认" in page  # words, not codes
    assert "发送失败" in page
    assert "the webhook answered HTTP 404" in page
    assert 'id="failures"' in page  # permanent failures stand out above the table
    assert "邮件服务器已接收" in page  # not "delivered"
    assert 'data-overdue="1"' in page


def test_another_jurisdictions_office_cannot_see_the_notice(
    office: Office, make_person: object, client: Client
) -> None:
    notice = notice_create(
        event=Event.ISSUE, recipients=[office.director], actor=None, jurisdiction=office.city
    )
    other = Jurisdiction.objects.create(code="othercity", name_zh="他市", kind="city")
    stranger = make_person("other-clerk", Role.COMMAND_OFFICE_STAFF, other)  # type: ignore[operator]
    client.force_login(stranger)
    assert client.get(f"/notices/{notice.pk}/").status_code == 403
    assert f'data-notice="{notice.pk}"' not in client.get("/notices/").content.decode()
    assert client.get("/notices/999999/").status_code == 404


def test_a_county_office_above_which_the_city_sits_cannot_see_city_notices(
    office: Office, make_person: object, client: Client
) -> None:
    county = Jurisdiction.objects.create(
        code="county-y", name_zh="某县", kind="county", parent=office.city
    )
    officer = make_person("county-y-officer", Role.COMMAND_OFFICE_STAFF, county)  # type: ignore[operator]
    notice = notice_create(
        event=Event.ISSUE, recipients=[office.director], actor=None, jurisdiction=office.city
    )
    client.force_login(officer)
    assert client.get(f"/notices/{notice.pk}/").status_code == 403
    # ... while the city's office sees the county's notices.
    county_notice = notice_create(
        event=Event.REMINDER, recipients=[officer], actor=None, jurisdiction=county
    )
    client.force_login(office.clerk)
    assert client.get(f"/notices/{county_notice.pk}/").status_code == 200


def test_the_pages_need_a_sign_in(office: Office, client: Client) -> None:
    assert client.get("/notices/").status_code == 302
    assert client.get("/notices/inbox/").status_code == 302


def test_it_rejects_an_inactive_contact(office: Office) -> None:
    office.county_contact.active = False
    office.county_contact.save()
    with pytest.raises(InvalidInputError, match="not active"):
        notice_create(
            event=Event.ISSUE,
            recipients=[office.county_contact],
            actor=None,
            jurisdiction=office.city,
        )
