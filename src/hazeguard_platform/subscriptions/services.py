"""Every change to public subscriptions (STYLE.md §7): request, confirm, end, and the mailings
of a warning to its subscribers.

A person is not signed in: the services take the address and the signed tokens of the links
sent to it. Audit records name the subscription and its channel, never the address.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.subscriptions import texts, tokens
from hazeguard_platform.subscriptions.models import (
    Channel,
    Mailing,
    MailingKind,
    Subscription,
    SubscriptionState,
)
from hazeguard_platform.subscriptions.selectors import confirmed_subscribers, subscription_by_id
from hazeguard_platform.warnings.models import Warning

# Digits with an optional leading + (E.164 at most 15 digits; Chinese mobiles have 11), as the
# notices' address book accepts them.
_PHONE = re.compile(r"\+?[0-9]{5,15}")
# A pending address gets at most one confirmation request in this time: a form submitted over
# and over does not turn the platform into a mailer aimed at somebody else's inbox.
CONFIRM_RESEND_AFTER = timedelta(minutes=10)


def _enqueue_send() -> None:
    from hazeguard_platform.subscriptions.tasks import mailings_send_task

    mailings_send_task.enqueue()


def normalised_address(channel: str, address: str) -> str:
    """The address as stored: an e-mail address in lower case, a phone number's digits (and a
    leading +); ``InvalidInputError`` (field ``address``, in the active language) when it is
    neither."""
    if channel == Channel.EMAIL:
        value = address.strip().lower()
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInputError(
                _("Enter an e-mail address such as name@example.cn."), field="address"
            ) from None
        return value
    if channel == Channel.SMS:
        value = re.sub(r"[\s()-]", "", address)
        if not _PHONE.fullmatch(value):
            raise InvalidInputError(
                _("Enter a mobile phone number of digits only, such as 13800000000."),
                field="address",
            )
        return value
    raise InvalidInputError(_("Choose e-mail or text message."), field="channel")


def _queue(
    subscription: Subscription, *, kind: str, text: texts.Text, warning: Warning | None = None
) -> Mailing:
    return Mailing(
        subscription=subscription,
        kind=kind,
        warning=warning,
        channel=subscription.channel,
        address=subscription.address,
        subject=text.subject[:200],
        text=text.text,
        next_attempt_at=timezone.now(),
    )


def subscription_request(
    *, jurisdiction: Jurisdiction, channel: str, address: str, language: str
) -> Subscription:
    """Subscribe ``address`` to ``jurisdiction``'s warnings, pending its confirmation: a
    confirmation request with a signed link goes to the address (double opt-in).

    An address already subscribed stays so and is sent nothing; the page says the same in every
    case, so nobody learns from it whether an address is subscribed.
    """
    value = normalised_address(channel, address)
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            jurisdiction=jurisdiction,
            channel=channel,
            address=value,
            defaults={"language": language, "created_at": now},
        )
        if subscription.state == SubscriptionState.ACTIVE:
            return subscription
        recent = subscription.mailings.filter(
            kind=MailingKind.CONFIRM, created_at__gt=now - CONFIRM_RESEND_AFTER
        ).exists()
        if not created and recent:
            return subscription
        subscription.state, subscription.language = SubscriptionState.PENDING, language
        subscription.ended_at = None
        subscription.save(update_fields=["state", "language", "ended_at"])
        text = texts.confirm_text(
            jurisdiction=jurisdiction,
            channel=channel,
            language=language,
            confirm=tokens.confirm_url(subscription.pk),
            end=tokens.end_url(subscription.pk),
        )
        _queue(subscription, kind=MailingKind.CONFIRM, text=text).save()
        audit_record(
            actor=None,
            action="subscription.request",
            obj=subscription,
            after={"jurisdiction": jurisdiction.code, "channel": channel},
        )
        transaction.on_commit(_enqueue_send)
    return subscription


def _by_token(pk: int) -> Subscription:
    found = subscription_by_id(pk)
    if found is None:
        raise tokens.TokenError("invalid")
    return found


def subscription_confirm(*, token: str) -> Subscription:
    """Confirm a subscription by the link's token (``tokens.TokenError`` when bad or expired);
    confirming twice keeps the first time; an ended subscription is not revived by an old link."""
    with transaction.atomic():
        subscription = _by_token(tokens.confirm_subscription_id(token))
        if subscription.state != SubscriptionState.PENDING:
            return subscription
        subscription.state, subscription.confirmed_at = SubscriptionState.ACTIVE, timezone.now()
        subscription.save(update_fields=["state", "confirmed_at"])
        audit_record(actor=None, action="subscription.confirm", obj=subscription)
    return subscription


def subscription_end(*, token: str) -> Subscription:
    """End a subscription by the unsubscribe link's token; queued messages to it are not sent."""
    with transaction.atomic():
        subscription = _by_token(tokens.end_subscription_id(token))
        if subscription.state == SubscriptionState.ENDED:
            return subscription
        subscription.state, subscription.ended_at = SubscriptionState.ENDED, timezone.now()
        subscription.save(update_fields=["state", "ended_at"])
        audit_record(actor=None, action="subscription.end", obj=subscription)
    return subscription


def subscribers_notify(*, warning: Warning, event: str, actor: Actor = None) -> int:
    """Queue the message of ``event`` (``issue``, ``adjust`` or ``lift``) about ``warning`` to
    every confirmed subscriber of its jurisdiction and of its counties (the regional warning
    covers them), each address once; returns how many were queued.

    Called by ``notices.routing.warning_notice_send`` inside the warning service's transaction;
    the mailings go out after it commits.
    """
    if event not in (MailingKind.ISSUE, MailingKind.ADJUST, MailingKind.LIFT):
        raise InvalidInputError(f"unknown warning event {event!r}", field="event")
    mailings: list[Mailing] = []
    for subscription in confirmed_subscribers(warning.jurisdiction):
        text = texts.warning_text(
            warning=warning,
            event=event,
            subscribed_to=subscription.jurisdiction,
            channel=subscription.channel,
            language=subscription.language,
            end=tokens.end_url(subscription.pk),
        )
        mailings.append(_queue(subscription, kind=event, text=text, warning=warning))
    if not mailings:
        return 0
    with transaction.atomic():
        Mailing.objects.bulk_create(mailings)
        audit_record(
            actor=actor,
            action="subscription.notify",
            obj=warning,
            after={"event": event, "mailings": len(mailings)},
        )
        transaction.on_commit(_enqueue_send)
    return len(mailings)
