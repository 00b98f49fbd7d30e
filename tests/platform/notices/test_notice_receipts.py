"""An SMS is "accepted by the gateway" until the gateway's signed delivery receipt says it reached
the phone (or did not); forged, replayed, stale and unknown receipts are refused."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.notices.models import (
    Channel,
    Contact,
    Delivery,
    DeliveryReceipt,
    DeliveryState,
    Event,
)
from hazeguard_platform.notices.selectors import recipient_statuses
from hazeguard_platform.notices.services import notice_create, outbox_process
from hazeguard_platform.notices.transports import webhook_signature

from .notice_helpers import HttpReceiver, Office

pytestmark = pytest.mark.django_db
RECEIPT_SECRET = "gateway-receipt-secret-for-tests"
RECEIPTS = "/notices/receipts/sms/"


@pytest.fixture(autouse=True)
def receipt_secret(notice_settings: SettingsWrapper) -> None:
    notice_settings.NOTICES_SMS_RECEIPT_SECRET = RECEIPT_SECRET


def sms_sent(office: Office, http_receiver: HttpReceiver, answer: bytes) -> Delivery:
    """A text to a phone-only contact, handed to the loopback gateway, which answers ``answer``."""
    phone = Contact.objects.create(
        jurisdiction=office.city, name="县长 magistrate", phone="13700000007"
    )
    http_receiver.answers.append(answer)
    notice_create(
        event=Event.ISSUE,
        recipients=[phone],
        actor=office.clerk,
        jurisdiction=office.city,
        due_at=timezone.now() + timedelta(hours=3),
    )
    run = outbox_process(now=timezone.now())
    assert len(run.sent) == 1
    return Delivery.objects.get(channel=Channel.SMS)


def signed(
    document: dict[str, Any], *, secret: str = RECEIPT_SECRET, at: float | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a receipt as the gateway signs it."""
    body = json.dumps(document).encode()
    timestamp = str(int(time.time() if at is None else at))
    return body, {
        "X-HazeGuard-Timestamp": timestamp,
        "X-HazeGuard-Signature": webhook_signature(secret, timestamp, body),
    }


def post(client: Client, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    answer = client.post(RECEIPTS, data=body, content_type="application/json", headers=headers)
    return answer.status_code, answer.json()


def gateway_posts(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """The gateway's side: a real HTTP POST of the receipt to the running server."""
    request = urllib.request.Request(
        url, data=body, headers={**headers, "Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_the_gateway_posts_a_receipt_to_the_live_server_and_the_sms_becomes_delivered(
    office: Office,
    http_receiver: HttpReceiver,
    live_server: Any,
    client: Client,
    clock: time_machine.Coordinates,
) -> None:
    sms = sms_sent(office, http_receiver, answer=b'{"message_id": "gw-778899", "code": 0}')
    sent = urllib.parse.parse_qs(http_receiver.requests[-1].body.decode())
    assert sent["reference"] == [f"hg-{sms.pk}"]  # our reference travels with the text
    assert (sms.state, sms.provider_id, sms.delivered_at) == ("sent", "gw-778899", None)
    client.force_login(office.clerk)
    notice_page = f"/notices/{sms.recipient.notice_id}/"
    assert "短信网关已接收" in client.get(notice_page).content.decode()

    clock.shift(timedelta(seconds=40))
    done = timezone.now().isoformat()
    document = {"message_id": "gw-778899", "status": "DELIVRD", "done_at": done}
    status, answer = gateway_posts(live_server.url + RECEIPTS, *signed(document))

    assert (status, answer["state"], answer["receipt_status"]) == (200, "sent", "DELIVRD")
    sms.refresh_from_db()
    assert sms.delivered_at == timezone.now()
    assert sms.receipt_status == "DELIVRD"
    (row,) = recipient_statuses(sms.recipient.notice)
    assert row.status == "delivered"
    assert "已送达手机 (DELIVRD)" in client.get(notice_page).content.decode()


def test_an_undelivered_receipt_fails_the_sms_for_good_and_the_office_sees_it(
    office: Office, http_receiver: HttpReceiver, client: Client
) -> None:
    sms = sms_sent(office, http_receiver, answer=b'{"message_id": "gw-1"}')
    document = {"message_id": "gw-1", "status": "UNDELIV", "error": "MK:0011 空号 no such number"}
    status, answer = post(client, *signed(document))

    assert (status, answer["state"]) == (200, "failed")
    sms.refresh_from_db()
    assert sms.last_error == "SMS gateway receipt UNDELIV: MK:0011 空号 no such number"
    assert AuditEntry.objects.filter(action="notice.delivery_failed").count() == 1
    client.force_login(office.clerk)
    page = client.get(f"/notices/{sms.recipient.notice_id}/").content.decode()
    assert 'id="failures"' in page
    assert "MK:0011" in page


def test_without_a_gateway_id_the_receipt_names_our_reference(
    office: Office, http_receiver: HttpReceiver, client: Client
) -> None:
    sms = sms_sent(office, http_receiver, answer=b"OK")  # a gateway that answers plain text
    assert sms.provider_id == f"hg-{sms.pk}"
    status, answer = post(client, *signed({"message_id": f"hg-{sms.pk}", "status": "delivered"}))
    assert (status, answer["receipt_status"]) == (200, "DELIVERED")
    assert answer["delivered_at"] is not None


def test_a_forged_receipt_is_refused_and_changes_nothing(
    office: Office, http_receiver: HttpReceiver, client: Client
) -> None:
    sms = sms_sent(office, http_receiver, answer=b'{"message_id": "gw-2"}')
    forged = signed({"message_id": "gw-2", "status": "DELIVRD"}, secret="not-the-shared-secret")
    status, answer = post(client, *forged)

    assert status == 401
    assert answer["field"] == "signature"
    assert answer["error"] == "the X-HazeGuard-Signature does not match the body"
    body, headers = signed({"message_id": "gw-2", "status": "UNDELIV"})
    tampered = body.replace(b"UNDELIV", b"DELIVRD")  # signed for one body, sent with another
    assert post(client, tampered, headers)[0] == 401
    assert post(client, body, {})[0] == 401  # no signature at all
    sms.refresh_from_db()
    assert (sms.delivered_at, sms.receipt_status, sms.state) == (None, "", DeliveryState.SENT)
    assert not DeliveryReceipt.objects.exists()


def test_a_receipt_for_an_unknown_message_id_is_refused_naming_it(
    office: Office, http_receiver: HttpReceiver, client: Client
) -> None:
    sms_sent(office, http_receiver, answer=b'{"message_id": "gw-3"}')
    status, answer = post(client, *signed({"message_id": "gw-nobody-sent", "status": "DELIVRD"}))
    assert status == 404
    assert answer == {
        "error": "no SMS delivery has the message id 'gw-nobody-sent'",
        "field": "message_id",
    }


def test_a_replayed_or_stale_receipt_is_refused(
    office: Office, http_receiver: HttpReceiver, client: Client, clock: time_machine.Coordinates
) -> None:
    sms = sms_sent(office, http_receiver, answer=b'{"message_id": "gw-4"}')
    body, headers = signed({"message_id": "gw-4", "status": "ENROUTE"})
    assert post(client, body, headers)[0] == 200
    status, answer = post(client, body, headers)  # the same signed request again
    assert (status, answer["field"]) == (409, "signature")
    assert "replay" in answer["error"]

    stale = signed({"message_id": "gw-4", "status": "DELIVRD"}, at=time.time() - 600)
    status, answer = post(client, *stale)
    assert (status, answer["field"]) == (401, "timestamp")
    assert "600 s away from now" in answer["error"]
    sms.refresh_from_db()
    assert (sms.receipt_status, sms.delivered_at) == ("ENROUTE", None)  # still on its way
    assert DeliveryReceipt.objects.count() == 1


def test_a_receipt_with_an_unknown_status_is_refused_naming_the_field(
    office: Office, http_receiver: HttpReceiver, client: Client
) -> None:
    sms_sent(office, http_receiver, answer=b'{"message_id": "gw-5"}')
    status, answer = post(client, *signed({"message_id": "gw-5", "status": "MAYBE"}))
    assert (status, answer["field"]) == (400, "status")
    assert "unknown status 'MAYBE'" in answer["error"]
    status, answer = post(client, *signed({"status": "DELIVRD"}))
    assert (status, answer["field"]) == (400, "message_id")


def test_without_a_shared_secret_receipts_are_refused(
    notice_settings: SettingsWrapper, client: Client
) -> None:
    notice_settings.NOTICES_SMS_RECEIPT_SECRET = ""
    status, answer = post(client, *signed({"message_id": "gw-6", "status": "DELIVRD"}))
    assert status == 404
    assert "HAZEGUARD_SMS_RECEIPT_SECRET" in answer["error"]
    assert client.get(RECEIPTS).status_code == 405
