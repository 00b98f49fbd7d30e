"""The subscribers' outbox step: claim due mailings, send each once through the notices'
transports, record the outcome.

The same discipline as the notices' outbox (``notices/outbox.py``, STYLE.md §9): a mailing is
claimed by a conditional ``UPDATE … WHERE state = old AND attempts = n`` with a lease, the
network call holds no database lock, the outcome is written only by the worker that still holds
the claim, retries back off as the notices' do (``notices.outbox.backoff``) up to
``HAZEGUARD_NOTICES_MAX_ATTEMPTS`` tries. A mailing to a subscription ended in the meantime is
not sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Min, Q
from django.utils import timezone

from hazeguard_platform.notices import conf
from hazeguard_platform.notices.messages import Message
from hazeguard_platform.notices.models import Delivery
from hazeguard_platform.notices.outbox import backoff
from hazeguard_platform.notices.transports import EmailTransport, SmsTransport, TransportError
from hazeguard_platform.subscriptions.models import (
    Channel,
    Mailing,
    MailingKind,
    MailingState,
    SubscriptionState,
)


class SubscriberEmail(EmailTransport):
    """The notices' SMTP transport with the subscriber's text (no acknowledgement link)."""

    subject_template = "subscriptions/message/email_subject.txt"
    body_template = "subscriptions/message/email.txt"


class SubscriberSms(SmsTransport):
    """The notices' SMS gateway transport with the subscriber's text."""

    text_template = "subscriptions/message/sms.txt"

    def reference(self, delivery: Delivery) -> str:
        # Not ``hg-<id>``: that names a notice's delivery in the gateway's receipts.
        return f"hs-{delivery.pk}"


TRANSPORTS = {Channel.EMAIL: SubscriberEmail, Channel.SMS: SubscriberSms}


@dataclass
class MailingRun:
    """What one :func:`mailings_send` call did (mailing ids per outcome)."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _due(now: datetime) -> Q:
    return Q(state=MailingState.QUEUED, next_attempt_at__lte=now) | Q(
        state=MailingState.SENDING, lease_until__lt=now
    )


def mailings_next_due() -> datetime | None:
    """When the earliest queued or leased mailing is due again (``None``: nothing left)."""
    queued = Mailing.objects.filter(state=MailingState.QUEUED).aggregate(at=Min("next_attempt_at"))
    leased = Mailing.objects.filter(state=MailingState.SENDING).aggregate(at=Min("lease_until"))
    times = [t for t in (queued["at"], leased["at"]) if t is not None]
    return min(times, default=None)


def _message(mailing: Mailing) -> Message:
    return Message(
        delivery_id=mailing.pk,
        notice_id=0,
        event=mailing.kind,
        event_label=mailing.get_kind_display(),
        title=mailing.subject,
        body=mailing.text,
        recipient_name="",
        jurisdiction_code=mailing.subscription.jurisdiction.code,
        object_type="warnings.warning" if mailing.warning_id else "",
        object_id=str(mailing.warning_id or ""),
        created_at=mailing.created_at,
        due_at=None,
        acknowledge_url="",
    )


def _finish(mailing: Mailing, attempts: int, **changes: object) -> None:
    Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING, attempts=attempts).update(
        lease_until=None, **changes
    )


def _send_one(mailing: Mailing, now: datetime, run: MailingRun) -> None:
    subscription = mailing.subscription
    wanted = (
        SubscriptionState.PENDING
        if mailing.kind == MailingKind.CONFIRM
        else SubscriptionState.ACTIVE
    )
    attempts = mailing.attempts
    if subscription.state != wanted:
        _finish(
            mailing,
            attempts,
            state=MailingState.FAILED,
            failed_at=now,
            last_error="the subscription ended or changed before sending",
        )
        run.failed.append(mailing.pk)
        return
    transport = TRANSPORTS[Channel(mailing.channel)]()
    try:
        # The transports read the address and the id of what they send; a mailing has both.
        provider_id = transport.notify(_message(mailing), mailing)  # type: ignore[arg-type]
    except TransportError as error:
        if error.permanent or attempts >= conf.max_attempts():
            _finish(
                mailing,
                attempts,
                state=MailingState.FAILED,
                failed_at=timezone.now(),
                last_error=error.message,
            )
            run.failed.append(mailing.pk)
        else:
            _finish(
                mailing,
                attempts,
                state=MailingState.QUEUED,
                last_error=error.message,
                next_attempt_at=timezone.now() + backoff(attempts),
            )
            run.retrying.append(mailing.pk)
        return
    _finish(
        mailing,
        attempts,
        state=MailingState.SENT,
        sent_at=timezone.now(),
        provider_id=provider_id,
        last_error="",
    )
    run.sent.append(mailing.pk)


def mailings_send(*, now: datetime, limit: int = 50) -> MailingRun:
    """Claim up to ``limit`` due mailings and try each once; returns what happened."""
    run = MailingRun()
    rows = list(
        Mailing.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values("id", "state", "attempts")[:limit]
    )
    for row in rows:
        claimed = Mailing.objects.filter(
            pk=row["id"], state=row["state"], attempts=row["attempts"]
        ).update(
            state=MailingState.SENDING,
            attempts=F("attempts") + 1,
            lease_until=now + conf.lease(),
        )
        if not claimed:
            continue  # another worker has it
        mailing = Mailing.objects.select_related("subscription__jurisdiction").get(pk=row["id"])
        _send_one(mailing, now, run)
    return run
