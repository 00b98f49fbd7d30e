"""Recipients acknowledge by the signed link or the inbox button; the overdue are escalated once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.notices.messages import ack_token
from hazeguard_platform.notices.models import Event, Notice, Recipient
from hazeguard_platform.notices.services import (
    notice_acknowledge,
    notice_create,
    notices_escalate,
    outbox_process,
)

from .notice_helpers import HttpReceiver, Office, SmtpInbox

pytestmark = pytest.mark.django_db
COUNTY_DEADLINE = timedelta(hours=3)  # Liaocheng's counties: within 3 h (seed 003 §4.2)


def issue(office: Office, *recipients: object) -> Notice:
    return notice_create(
        event=Event.ISSUE,
        recipients=recipients,
        actor=office.clerk,
        jurisdiction=office.city,
        title="区域预警 regional warning",
        due_at=timezone.now() + COUNTY_DEADLINE,
    )


def recipient(notice: Notice, name: str) -> Recipient:
    return notice.recipients.get(name=name)


def test_the_link_in_the_email_acknowledges_on_post_but_not_on_get(
    office: Office, mail: SmtpInbox, client: Client, clock: time_machine.Coordinates
) -> None:
    notice = issue(office, office.county_contact)
    outbox_process(now=timezone.now())
    text = mail.messages[0].get_payload(decode=True).decode()
    path = re.search(r"http://testserver(/notices/ack/\S+/)", text).group(1)  # type: ignore[union-attr]
    county = recipient(notice, office.county_contact.name)

    page = client.get(path)
    assert page.status_code == 200
    assert "区域预警 regional warning" in page.content.decode()
    county.refresh_from_db()
    assert county.acknowledged_at is None  # a mail scanner fetching the link acknowledges nothing

    clock.shift(timedelta(minutes=40))
    done = client.post(path)
    assert done.status_code == 200
    assert 'id="ack-done"' in done.content.decode()
    county.refresh_from_db()
    assert county.acknowledged_at == timezone.now()
    assert county.acknowledged_via == "link"
    assert AuditEntry.objects.filter(action="notice.acknowledge").count() == 1


def test_acknowledging_twice_keeps_the_first_time(
    office: Office, clock: time_machine.Coordinates
) -> None:
    notice = issue(office, office.county_contact)
    county = recipient(notice, office.county_contact.name)
    first = notice_acknowledge(token=ack_token(county.pk)).acknowledged_at
    clock.shift(timedelta(minutes=5))
    again = notice_acknowledge(token=ack_token(county.pk))
    assert again.acknowledged_at == first
    assert AuditEntry.objects.filter(action="notice.acknowledge").count() == 1


def test_it_rejects_a_tampered_link(office: Office, client: Client) -> None:
    notice = issue(office, office.county_contact)
    token = ack_token(recipient(notice, office.county_contact.name).pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    answer = client.post(f"/notices/ack/{forged}/")
    assert answer.status_code == 400
    assert "not valid" in answer.content.decode()
    with pytest.raises(InvalidInputError) as error:
        notice_acknowledge(token=forged)
    assert error.value.field == "token"


def test_it_rejects_a_link_older_than_its_validity(
    office: Office, client: Client, clock: time_machine.Coordinates
) -> None:
    notice = issue(office, office.county_contact)
    token = ack_token(recipient(notice, office.county_contact.name).pk)
    clock.shift(timedelta(days=15))  # links work 14 days
    answer = client.post(f"/notices/ack/{token}/")
    assert answer.status_code == 400
    assert "expired" in answer.content.decode()


def test_a_user_acknowledges_with_the_inbox_button(office: Office, client: Client) -> None:
    notice = issue(office, office.director)
    client.force_login(office.director)
    inbox = client.get("/notices/inbox/")
    assert "区域预警 regional warning" in inbox.content.decode()
    mine = recipient(notice, "city-director")
    answer = client.post(f"/notices/inbox/{mine.pk}/acknowledge/")
    assert answer.status_code == 302
    mine.refresh_from_db()
    assert (mine.acknowledged_via, mine.acknowledged_by) == ("inbox", office.director)


def test_nobody_acknowledges_for_someone_else(office: Office, client: Client) -> None:
    notice = issue(office, office.director)
    theirs = recipient(notice, "city-director")
    with pytest.raises(ForbiddenError):
        notice_acknowledge(recipient_id=theirs.pk, user=office.clerk)
    client.force_login(office.clerk)
    assert client.post(f"/notices/inbox/{theirs.pk}/acknowledge/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None
    assert AuditEntry.objects.filter(action="notice.acknowledge", outcome="denied").exists()


def test_an_unacknowledged_recipient_past_due_is_escalated_once(
    office: Office, mail: SmtpInbox, clock: time_machine.Coordinates
) -> None:
    late = office.county_contact
    notice = issue(office, late, office.escalation_contact)
    notice_acknowledge(token=ack_token(recipient(notice, office.escalation_contact.name).pk))
    outbox_process(now=timezone.now())
    mail.messages.clear()

    clock.shift(COUNTY_DEADLINE - timedelta(seconds=1))
    assert notices_escalate(now=timezone.now()) == []  # not due yet
    clock.shift(timedelta(seconds=1))
    (overdue,) = notices_escalate(now=timezone.now())
    assert overdue.event == Event.OVERDUE
    assert overdue.escalates == notice
    assert late.name in overdue.body
    assert office.escalation_contact.name not in overdue.body  # it acknowledged in time
    office_people = {r.name for r in overdue.recipients.all()}
    assert office_people == {"city-clerk", "city-director", office.escalation_contact.name}
    assert recipient(notice, late.name).escalated_at == timezone.now()

    clock.shift(timedelta(hours=1))
    assert notices_escalate(now=timezone.now()) == []  # once per recipient
    assert Notice.objects.filter(event=Event.OVERDUE).count() == 1
    # The overdue notice has no deadline of its own: it is never escalated in turn.
    clock.shift(timedelta(days=2))
    assert notices_escalate(now=timezone.now()) == []

    outbox_process(now=timezone.now())
    assert sorted(m["To"] for m in mail.messages) == [
        "clerk@example.org",
        "director@example.org",
        "duty@example.org",
    ]


def test_a_webhook_endpoint_that_answered_2xx_is_not_escalated(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    issue(office, office.endpoint)
    outbox_process(now=timezone.now())
    clock.shift(COUNTY_DEADLINE * 2)
    assert notices_escalate(now=timezone.now()) == []


def test_a_webhook_endpoint_that_never_answered_2xx_by_its_deadline_is_escalated(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    notice = issue(office, office.endpoint)
    http_receiver.statuses[:] = [404]  # gone: a permanent failure
    outbox_process(now=timezone.now())
    clock.shift(COUNTY_DEADLINE)
    (overdue,) = notices_escalate(now=timezone.now())
    assert overdue.escalates == notice
    # The office reads the list in its language: Chinese, and English beside it.
    assert f"{office.endpoint.name}: 未送达" in overdue.body
    assert "Webhook 失败" in overdue.body
    assert f"{office.endpoint.name}: not delivered" in overdue.body_en
    assert "Webhook failed" in overdue.body_en


def test_without_an_office_the_escalation_goes_to_whoever_sent_the_notice(
    office: Office, make_person: object, clock: time_machine.Coordinates
) -> None:
    from hazeguard_platform.jurisdictions.models import Jurisdiction

    county = Jurisdiction.objects.create(code="county-x", name_zh="某县", kind="county")
    sender = User.objects.create_user(username="sender")
    notice = notice_create(
        event=Event.REMINDER,
        recipients=[office.county_contact],
        actor=sender,
        jurisdiction=county,
        due_at=timezone.now() + timedelta(hours=1),
    )
    clock.shift(timedelta(hours=2))
    (overdue,) = notices_escalate(now=timezone.now())
    assert [r.user for r in overdue.recipients.all()] == [sender]
    assert overdue.escalates == notice


def test_a_link_to_a_recipient_that_no_longer_exists_answers_404(client: Client) -> None:
    answer = client.get(f"/notices/ack/{ack_token(999_999)}/")
    assert answer.status_code == 404
    assert "该通知已不存在。" in answer.content.decode()  # in the page's language
    with pytest.raises(InvalidInputError, match="no longer exists"):
        notice_acknowledge(token=ack_token(999_999))
