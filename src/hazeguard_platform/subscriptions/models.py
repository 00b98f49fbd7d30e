"""Public subscriptions to a jurisdiction's warnings, and the mailings sent to subscribers.

A person subscribes an e-mail address or a phone number to one jurisdiction; the subscription is
``pending`` until the person opens the signed confirmation link sent to that address (double
opt-in), ``active`` then, and ``ended`` once unsubscribed. Each message to a subscriber is a
:class:`Mailing`, the outbox row the sender claims and works with the notices' transports
(``notices/transports.py``) and back-off (docs/public.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.jurisdictions.models import Jurisdiction


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class SubscriptionState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    ENDED = "ended", _("Unsubscribed")


class Subscription(models.Model):
    """One address subscribed to one jurisdiction's warnings."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="subscriptions"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # The e-mail address (lower case) or the phone number (digits, optional leading +).
    address = models.CharField(max_length=254)
    # The language the person subscribed in; every message to it is written in that language.
    language = models.CharField(max_length=8, default="zh-hans")
    state = models.CharField(
        max_length=8, choices=SubscriptionState.choices, default=SubscriptionState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["jurisdiction", "channel", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "channel", "address"], name="subscription_once_per_address"
            )
        ]
        indexes = [models.Index(fields=["jurisdiction", "state"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.jurisdiction_id}:{self.state}"


class MailingKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirmation request")
    ISSUE = "issue", _("Warning issued")
    ADJUST = "adjust", _("Warning adjusted")
    LIFT = "lift", _("Warning lifted")


class MailingState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Mailing(models.Model):
    """One message to one subscriber: written once in the subscriber's language, then sent by
    the notices' e-mail or SMS transport, with bounded retries (``sending.py``)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="mailings"
    )
    kind = models.CharField(max_length=8, choices=MailingKind.choices)
    # The warning a warning mailing is about (none for a confirmation request).
    warning = models.ForeignKey(
        "warnings.Warning", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    state = models.CharField(max_length=8, choices=MailingState.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The SMS gateway's message id (or our ``hs-<id>`` reference).
    provider_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel}: {self.state}"
