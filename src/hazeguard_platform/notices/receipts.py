"""SMS delivery receipts: the gateway posts back whether a text reached the handset.

Until a receipt comes, an SMS is only "accepted by the gateway" (``sent_at``); a ``DELIVRD``
receipt sets ``delivered_at``, an ``UNDELIV``/``EXPIRED``/``REJECTD`` one fails the delivery for
good, visibly. A receipt is a signed POST (HMAC-SHA256 over ``timestamp + "." + body`` with
``HAZEGUARD_SMS_RECEIPT_SECRET``, the scheme our own webhooks use), refused when the signature
does not match, when its timestamp is more than :data:`conf.RECEIPT_WINDOW` away, when the same
signed request comes twice (a replay), or when it names a message id no SMS delivery has.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.notices import conf
from hazeguard_platform.notices.models import Channel, Delivery, DeliveryReceipt, DeliveryState
from hazeguard_platform.notices.transports import webhook_signature

logger = logging.getLogger(__name__)

# Message states of an SMPP delivery receipt's ``stat`` field (SMPP 3.4, Appendix B), which
# Chinese gateways pass on, and the plain words other gateways use.
DELIVERED = frozenset({"DELIVRD", "DELIVERED"})
FAILED = frozenset(
    {"UNDELIV", "UNDELIVERED", "EXPIRED", "DELETED", "REJECTD", "REJECTED", "FAILED"}
)
PENDING = frozenset({"ACCEPTD", "ACCEPTED", "ENROUTE", "UNKNOWN", "PENDING", "SENT"})
_REFERENCE = re.compile(r"hg-([0-9]{1,18})")


class ReceiptError(ServiceError):
    """A receipt that is not recorded; ``status`` is the HTTP answer (401, 400, 404, 409)."""

    def __init__(self, message: str, *, status: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.status = status


def _authenticate(body: bytes, timestamp: str, signature: str, now: datetime) -> None:
    secret = conf.sms_receipt_secret()
    if not secret:
        raise ReceiptError("SMS receipts are not set up (HAZEGUARD_SMS_RECEIPT_SECRET)", status=404)
    if not timestamp.isdigit():
        raise ReceiptError(
            "X-HazeGuard-Timestamp is missing or not Unix seconds", status=401, field="timestamp"
        )
    if not hmac.compare_digest(signature, webhook_signature(secret, timestamp, body)):
        raise ReceiptError(
            "the X-HazeGuard-Signature does not match the body", status=401, field="signature"
        )
    # The timestamp is signed, so an old request cannot be made to look new (docs/notices.md).
    age = abs(now.timestamp() - int(timestamp))
    if age > conf.RECEIPT_WINDOW.total_seconds():
        raise ReceiptError(
            f"the receipt's timestamp is {age:.0f} s away from now "
            f"(at most {conf.RECEIPT_WINDOW.total_seconds():.0f} s)",
            status=401,
            field="timestamp",
        )


def _text(document: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = document.get(name)
    if value is None and not required:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ReceiptError(f"{name} must be a non-empty string", status=400, field=name)
    return value.strip()


def _parse(body: bytes) -> tuple[str, str, str, datetime | None]:
    """(message id, status in capitals, error, done_at) from the receipt's JSON body."""
    try:
        document = json.loads(body)
    except ValueError as error:
        raise ReceiptError(f"the body is not JSON: {error}", status=400, field="body") from None
    if not isinstance(document, dict):
        raise ReceiptError("the body must be a JSON object", status=400, field="body")
    message_id = _text(document, "message_id")[:100]
    status = _text(document, "status").upper()
    if status not in DELIVERED | FAILED | PENDING:
        known = ", ".join(sorted(DELIVERED | FAILED | PENDING))
        raise ReceiptError(f"unknown status {status!r}; one of {known}", status=400, field="status")
    done_text = _text(document, "done_at", required=False)
    done_at = parse_datetime(done_text) if done_text else None
    if done_text and (done_at is None or timezone.is_naive(done_at)):
        raise ReceiptError(
            f"done_at {done_text!r} is not an ISO 8601 time with a zone",
            status=400,
            field="done_at",
        )
    return message_id, status, _text(document, "error", required=False)[:200], done_at


def _delivery(message_id: str) -> Delivery:
    """The SMS delivery a receipt names: by the gateway's id, or by our ``hg-<id>`` reference
    (which also finds a delivery whose receipt outran the worker's record of the hand-over)."""
    match = _REFERENCE.fullmatch(message_id)
    by_reference = Q(pk=int(match.group(1))) if match else Q(pk__in=[])
    found = (
        Delivery.objects.filter(Q(provider_id=message_id) | by_reference, channel=Channel.SMS)
        .order_by("-pk")
        .first()
    )
    if found is None:
        raise ReceiptError(
            f"no SMS delivery has the message id {message_id!r}", status=404, field="message_id"
        )
    return found


def sms_receipt_record(*, body: bytes, timestamp: str, signature: str, now: datetime) -> Delivery:
    """Record one signed delivery receipt from the SMS gateway and update its delivery.

    ``body`` is JSON ``{"message_id", "status", "error"?, "done_at"?}``; ``timestamp`` and
    ``signature`` are the ``X-HazeGuard-Timestamp`` and ``X-HazeGuard-Signature`` headers; ``now``
    is the time of arrival [aware datetime]. :class:`ReceiptError` when not authentic, too old,
    a replay, malformed, or about an unknown message. A delivered receipt for a delivery
    already delivered, or any receipt for one already failed, changes nothing but is kept.
    """
    _authenticate(body, timestamp, signature, now)
    message_id, status, error, done_at = _parse(body)
    delivery = _delivery(message_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                DeliveryReceipt.objects.create(
                    delivery=delivery,
                    status=status,
                    error=error,
                    received_at=now,
                    signature=signature[:80],
                )
        except IntegrityError:
            raise ReceiptError(
                "this signed receipt was received before (a replay)", status=409, field="signature"
            ) from None
        rows = Delivery.objects.filter(pk=delivery.pk)
        rows.update(receipt_status=status, receipt_at=now)
        if status in DELIVERED:
            rows.filter(delivered_at__isnull=True).exclude(state=DeliveryState.FAILED).update(
                delivered_at=min(done_at or now, now)
            )
        elif status in FAILED:
            reason = f"SMS gateway receipt {status}" + (f": {error}" if error else "")
            failed = rows.filter(
                state__in=[DeliveryState.SENT, DeliveryState.SENDING], delivered_at__isnull=True
            ).update(state=DeliveryState.FAILED, failed_at=now, last_error=reason, lease_until=None)
            if failed:
                audit_record(
                    actor=None,
                    action="notice.delivery_failed",
                    obj=delivery,
                    after={"channel": delivery.channel, "address": delivery.address},
                    message=reason,
                )
    delivery.refresh_from_db()
    logger.info("SMS receipt %s for delivery %s (%s)", status, delivery.pk, message_id)
    return delivery
