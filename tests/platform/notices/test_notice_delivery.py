"""Delivering one notice over every channel to real servers on loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from email.header import decode_header, make_header
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.notices.models import (
    Attempt,
    AttemptOutcome,
    Channel,
    Contact,
    Delivery,
    DeliveryState,
    Event,
    Notice,
)
from hazeguard_platform.notices.services import (
    notice_create,
    outbox_process,
    webhook_endpoint_deactivate,
)

from .notice_helpers import WEBHOOK_SECRET, HttpReceiver, Office, SmtpInbox, free_port

pytestmark = pytest.mark.django_db


def issue_notice(office: Office, *recipients: object, due_in: timedelta | None = None) -> Notice:
    return notice_create(
        event=Event.ISSUE,
        recipients=recipients or (office.county_contact,),
        actor=office.clerk,
        jurisdiction=office.city,
        title="橙色预警发布 orange warning issued",
        body="自1月5日0时起启动Ⅱ级响应。",
        due_at=timezone.now() + due_in if due_in else None,
    )


def delivery(notice: Notice, channel: str) -> Delivery:
    return Delivery.objects.get(recipient__notice=notice, channel=channel)


def test_it_sends_the_email_over_smtp_with_an_acknowledgement_link(
    office: Office, mail: SmtpInbox, clock: time_machine.Coordinates
) -> None:
    notice = issue_notice(office, office.county_contact, due_in=timedelta(hours=3))
    run = outbox_process(now=timezone.now())
    assert len(run.sent) == 2  # e-mail and SMS
    (message,) = mail.messages
    assert message["To"] == "county@example.org"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "[HazeGuard] 橙色预警发布 orange warning issued"
    text = message.get_payload(decode=True).decode()
    assert "自1月5日0时起启动Ⅱ级响应。" in text
    assert "2026-01-04 11:00" in text  # due 3 h after 08:00 China Standard Time
    assert "http://testserver/notices/ack/" in text
    email = delivery(notice, Channel.EMAIL)
    assert email.state == DeliveryState.SENT
    assert email.sent_at == timezone.now()
    # An SMTP server accepting a message is a hand-over, not proof the reader has it.
    assert email.delivered_at is None


def test_it_signs_the_webhook_body_with_the_endpoints_secret_and_a_timestamp(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    notice = issue_notice(office, office.endpoint)
    outbox_process(now=timezone.now())
    (request,) = http_receiver.requests
    assert request.path == "/hooks/hazeguard"
    timestamp = request.headers["x-hazeguard-timestamp"]
    assert int(timestamp) == int(timezone.now().timestamp())
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(request.headers["x-hazeguard-signature"], "sha256=" + expected)
    document = json.loads(request.body)
    assert document["notice"] == notice.pk
    assert document["event"] == "issue"
    assert document["title"] == "橙色预警发布 orange warning issued"
    assert request.headers["x-hazeguard-delivery"] == str(document["delivery"])
    hook = delivery(notice, Channel.WEBHOOK)
    assert hook.state == DeliveryState.SENT
    assert hook.delivered_at == timezone.now()  # the endpoint itself answered 2xx


def test_a_signature_made_with_another_secret_does_not_verify(
    office: Office, http_receiver: HttpReceiver
) -> None:
    issue_notice(office, office.endpoint)
    outbox_process(now=timezone.now())
    (request,) = http_receiver.requests
    timestamp = request.headers["x-hazeguard-timestamp"]
    forged = hmac.new(b"guess", timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["x-hazeguard-signature"] != "sha256=" + forged.hexdigest()


def test_it_sends_sms_through_the_gateway_with_the_configured_credentials(
    office: Office, http_receiver: HttpReceiver
) -> None:
    notice = issue_notice(
        office,
        Contact.objects.create(jurisdiction=office.city, name="乡镇 township", phone="13800000002"),
    )
    outbox_process(now=timezone.now())
    (request,) = http_receiver.requests
    url = urlsplit(request.path)
    assert url.path == "/sms/send"
    assert parse_qs(url.query) == {"to": ["13800000002"]}
    form = parse_qs(request.body.decode())
    assert form["phone"] == ["13800000002"]
    assert form["text"][0].startswith("【HazeGuard】橙色预警发布")
    credentials = base64.b64decode(request.headers["authorization"].removeprefix("Basic "))
    assert credentials == b"gateway-user:gateway-password"
    assert delivery(notice, Channel.SMS).state == DeliveryState.SENT


def test_a_user_gets_the_notice_in_the_inbox_at_once_and_by_email(
    office: Office, mail: SmtpInbox
) -> None:
    notice = issue_notice(office, office.director)
    inbox = delivery(notice, Channel.INBOX)
    assert inbox.state == DeliveryState.SENT
    assert inbox.delivered_at is not None
    outbox_process(now=timezone.now())
    assert [m["To"] for m in mail.messages] == ["director@example.org"]


def test_a_gateway_500_is_retried_after_the_backoff_and_then_succeeds(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    notice = issue_notice(office, office.endpoint)
    http_receiver.statuses[:] = [500]
    first = outbox_process(now=timezone.now())
    hook = delivery(notice, Channel.WEBHOOK)
    assert first.retrying == [hook.pk]
    assert hook.state == DeliveryState.QUEUED
    assert hook.last_error == "the webhook answered HTTP 500"
    assert hook.next_attempt_at == timezone.now() + timedelta(seconds=60)

    clock.shift(timedelta(seconds=59))
    assert outbox_process(now=timezone.now()).claimed == 0  # not due yet
    clock.shift(timedelta(seconds=1))
    second = outbox_process(now=timezone.now())
    assert second.sent == [hook.pk]
    assert len(http_receiver.requests) == 2
    hook.refresh_from_db()
    assert (hook.state, hook.attempts) == (DeliveryState.SENT, 2)
    outcomes = list(Attempt.objects.filter(delivery=hook).values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.RETRY, AttemptOutcome.SENT]


def test_the_backoff_doubles_and_the_tries_are_bounded(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    notice = issue_notice(office, office.endpoint)
    http_receiver.statuses[:] = [503] * 10
    waits = []
    for _ in range(4):  # NOTICES_MAX_ATTEMPTS = 4
        outbox_process(now=timezone.now())
        hook = delivery(notice, Channel.WEBHOOK)
        if hook.next_attempt_at and hook.state == DeliveryState.QUEUED:
            waits.append(hook.next_attempt_at - timezone.now())
            clock.move_to(hook.next_attempt_at)
    assert waits == [timedelta(seconds=s) for s in (60, 120, 240)]
    assert (hook.state, hook.attempts) == (DeliveryState.FAILED, 4)
    assert len(http_receiver.requests) == 4
    clock.shift(timedelta(hours=2))
    assert outbox_process(now=timezone.now()).claimed == 0  # a failed row stays failed


def test_a_webhook_400_fails_at_once_and_is_recorded_for_the_office(
    office: Office, http_receiver: HttpReceiver
) -> None:
    notice = issue_notice(office, office.endpoint)
    http_receiver.statuses[:] = [400]
    run = outbox_process(now=timezone.now())
    hook = delivery(notice, Channel.WEBHOOK)
    assert run.failed == [hook.pk]
    assert (hook.state, hook.attempts) == (DeliveryState.FAILED, 1)
    assert hook.last_error == "the webhook answered HTTP 400"
    assert hook.failed_at is not None
    entry = AuditEntry.objects.get(action="notice.delivery_failed")
    assert entry.object_id == str(hook.pk)
    assert entry.message == "the webhook answered HTTP 400"


def test_a_gateway_429_is_temporary(office: Office, http_receiver: HttpReceiver) -> None:
    notice = issue_notice(office, office.endpoint)
    http_receiver.statuses[:] = [429]
    outbox_process(now=timezone.now())
    assert delivery(notice, Channel.WEBHOOK).state == DeliveryState.QUEUED


def test_an_smtp_550_is_a_permanent_failure_and_a_451_a_temporary_one(
    office: Office, mail: SmtpInbox
) -> None:
    bounce = Contact.objects.create(jurisdiction=office.city, name="b", email="bounce@example.org")
    later = Contact.objects.create(jurisdiction=office.city, name="l", email="later@example.org")
    notice = issue_notice(office, bounce, later)
    outbox_process(now=timezone.now())
    refused = Delivery.objects.get(recipient__notice=notice, address="bounce@example.org")
    deferred = Delivery.objects.get(recipient__notice=notice, address="later@example.org")
    assert refused.state == DeliveryState.FAILED
    assert "550" in refused.last_error
    assert deferred.state == DeliveryState.QUEUED
    assert "451" in deferred.last_error
    assert mail.messages == []


def test_an_unreachable_smtp_server_is_retried(
    office: Office, notice_settings: object, settings: object
) -> None:
    settings.EMAIL_PORT = free_port()  # type: ignore[attr-defined]  # nobody listens there
    notice = issue_notice(office, office.escalation_contact)
    outbox_process(now=timezone.now())
    email = delivery(notice, Channel.EMAIL)
    assert email.state == DeliveryState.QUEUED
    assert email.last_error.startswith("SMTP server unreachable")


def test_sms_without_a_gateway_fails_visibly(office: Office, settings: object) -> None:
    settings.NOTICES_SMS_URL = ""  # type: ignore[attr-defined]
    notice = issue_notice(office)
    outbox_process(now=timezone.now())
    sms = delivery(notice, Channel.SMS)
    assert sms.state == DeliveryState.FAILED
    assert sms.last_error == "no SMS gateway is configured (HAZEGUARD_SMS_URL)"


def test_a_deactivated_endpoint_is_not_called(office: Office, http_receiver: HttpReceiver) -> None:
    notice = issue_notice(office, office.endpoint)
    webhook_endpoint_deactivate(actor=None, endpoint=office.endpoint)
    outbox_process(now=timezone.now())
    assert http_receiver.requests == []
    assert delivery(notice, Channel.WEBHOOK).state == DeliveryState.FAILED


def test_the_smtp_server_can_be_set_by_environment_variables(
    office: Office, mail: SmtpInbox, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EMAIL_PORT = free_port()  # type: ignore[attr-defined]  # the settings point nowhere
    monkeypatch.setenv("HAZEGUARD_EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("HAZEGUARD_EMAIL_PORT", str(mail.port))
    monkeypatch.setenv("HAZEGUARD_EMAIL_FROM", "office@example.org")
    notice = issue_notice(office, office.escalation_contact)
    outbox_process(now=timezone.now())
    assert delivery(notice, Channel.EMAIL).state == DeliveryState.SENT
    assert [m["From"] for m in mail.messages] == ["office@example.org"]
