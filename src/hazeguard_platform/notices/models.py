"""Notices, their recipients, the outbox of deliveries and the log of every delivery attempt.

A :class:`Notice` is one channel-neutral message about one event (a warning issued, adjusted or
lifted, a reminder, an overdue escalation). Each addressee is a :class:`Recipient`; each channel
that reaches a recipient is a :class:`Delivery` (the outbox row the worker claims); each try is an
:class:`Attempt` with its outcome (STYLE.md §8, §9).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard.vocabulary import Language
from hazeguard_platform.immutable import ImmutableModel
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.pages import page_language


class Event(models.TextChoices):
    ISSUE = "issue", "预警发布 warning issued"
    ADJUST = "adjust", "预警调整 warning adjusted"
    LIFT = "lift", "预警解除 warning lifted"
    REMINDER = "reminder", "提醒 reminder"
    OVERDUE = "overdue", "逾期未确认 overdue"
    STEP = "step", "待您办理 waiting for your step"


class Channel(models.TextChoices):
    INBOX = "inbox", "站内 in-app inbox"
    EMAIL = "email", "电子邮件 e-mail"
    SMS = "sms", "短信 SMS"
    WEBHOOK = "webhook", "Webhook"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "待发送 queued"
    SENDING = "sending", "发送中 sending"
    SENT = "sent", "已发送 sent"
    FAILED = "failed", "失败 failed"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", "sent"
    RETRY = "retry", "failed, will retry"
    FAILED = "failed", "failed for good"
    # The worker that claimed the row stopped before recording an outcome; its lease ran out.
    ABANDONED = "abandoned", "abandoned by a stopped worker"


class Contact(models.Model):
    """A person or duty post reached by e-mail and/or SMS (a county's duty office, a unit's
    liaison). ``user`` links the contact to a sign-in account, whose phone number it holds."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="notice_contacts"
    )
    name = models.CharField(max_length=128)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notice_contact",
    )
    # Overdue recipients of this jurisdiction's notices are reported to escalation contacts.
    escalation = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return self.name


class WebhookEndpoint(models.Model):
    """A system that receives notices as signed JSON (HMAC-SHA256 with its own ``secret``)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    name = models.CharField(max_length=128)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128)
    # Publishes to the public (the website, a media feed): a warning must reach it within the
    # plan's public-notice deadline (Liaocheng: 2 h after issue, seed 003 §5.2).
    public = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """One message about one event, written once in each language and rendered per channel.

    ``title``/``body`` are the Chinese text (the text of record, what e-mail and SMS send);
    ``title_en``/``body_en`` the English one. A page shows :attr:`shown_title` and
    :attr:`shown_body`, the reader's language; a notice stored before the English fields existed
    has them empty and shows its Chinese text in English mode too.
    """

    event = models.CharField(max_length=16, choices=Event.choices)
    # The jurisdiction whose office sent the notice and sees its status.
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    body_en = models.TextField(blank=True)
    # What the notice is about, as the audit log names objects (``warnings.warning``, ``17``).
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Recipients must acknowledge by then (e.g. counties within 3 h, seed 003 §4.2); set by the
    # caller from the plan. ``None``: no acknowledgement deadline, never escalated.
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For an overdue notice: the notice whose recipients did not acknowledge in time.
    escalates = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: Language) -> str:
        """The title in ``language`` (``zh`` or ``en``); the Chinese one when no English was
        stored."""
        return (self.title_en or self.title) if language == "en" else self.title

    def body_in(self, language: Language) -> str:
        """The body in ``language``; the Chinese one when no English was stored."""
        return (self.body_en or self.body) if language == "en" else self.body

    @property
    def shown_title(self) -> str:
        """The title in the page's language (what every page shows)."""
        return self.title_in(page_language())

    @property
    def shown_body(self) -> str:
        """The body in the page's language."""
        return self.body_in(page_language())


class Recipient(models.Model):
    """One addressee of a notice: a user, a contact or a webhook endpoint (exactly one)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice_recipients",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="recipients"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="recipients"
    )
    # The addressee's name when the notice was sent, kept if the contact is renamed later.
    name = models.CharField(max_length=150)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_via = models.CharField(max_length=8, blank=True)  # "link" or "inbox"
    # This recipient's deadline from the plan [aware datetime]: people acknowledge by then, a
    # webhook endpoint must have answered 2xx by then (e.g. a county within 3 h, seed 003 §4.2;
    # the city's website within 2 h, 003 §5.2). ``None``: no deadline, never escalated.
    due_at = models.DateTimeField(null=True, blank=True)
    # The plan clause the deadline comes from ("003 §4.2"), shown beside it.
    due_clause = models.CharField(max_length=32, blank=True)
    # Set once, when the office was told this recipient is overdue (never escalated twice).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contact__isnull=True, endpoint__isnull=True)
                    | models.Q(user__isnull=True, contact__isnull=False, endpoint__isnull=True)
                    | models.Q(user__isnull=True, contact__isnull=True, endpoint__isnull=False)
                ),
                name="notice_recipient_exactly_one_addressee",
            ),
            models.UniqueConstraint(fields=["notice", "user"], name="notice_recipient_user"),
            models.UniqueConstraint(fields=["notice", "contact"], name="notice_recipient_contact"),
            models.UniqueConstraint(
                fields=["notice", "endpoint"], name="notice_recipient_endpoint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ← {self.notice}"

    @property
    def acknowledges(self) -> bool:
        """Whether the recipient is expected to acknowledge: people do; a webhook endpoint is a
        system whose 2xx answer is the confirmation."""
        return self.endpoint_id is None


class Delivery(models.Model):
    """One channel to one recipient: the outbox row that the worker claims and works.

    ``queued`` rows wait for ``next_attempt_at``; a worker claims a row by a conditional UPDATE
    to ``sending`` with a lease (``lease_until``); a row whose lease ran out belonged to a worker
    that stopped, and is claimed again (STYLE.md §9).
    """

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    # E-mail address, phone number or URL, as it was when the notice was queued.
    address = models.CharField(max_length=500, blank=True)
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=64, blank=True)
    # Handed over (SMTP server or SMS gateway accepted it; shown in the inbox).
    sent_at = models.DateTimeField(null=True, blank=True)
    # Confirmed received by the addressee's own system (a webhook's 2xx; the inbox).
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The id a delivery receipt names: the SMS gateway's message id, or our reference
    # ``hg-<id>`` when the gateway returns none (docs/notices.md, "Delivery receipts").
    provider_id = models.CharField(max_length=100, blank=True)
    # The last receipt's status as the gateway wrote it (``DELIVRD``, ``UNDELIV`` …) and when.
    receipt_status = models.CharField(max_length=32, blank=True)
    receipt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recipient", "channel"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["channel", "provider_id"]),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.channel} → {self.address or self.recipient.name}: {self.state}"


class Attempt(ImmutableModel):
    """One try of one delivery, with its outcome; written once."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    worker = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number", "id"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.outcome}"


class DeliveryReceipt(ImmutableModel):
    """One delivery receipt an SMS gateway posted back, as received; written once.

    ``signature`` is unique: the same signed request posted twice (a replay) is refused.
    """

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="receipts")
    status = models.CharField(max_length=32)
    error = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField()
    signature = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["delivery", "received_at", "id"]

    def __str__(self) -> str:
        return f"receipt {self.status} for {self.delivery_id}"


class TaskWorker(models.Model):
    """A running ``manage.py task_worker`` and its last heartbeat (database clock).

    A task the worker claimed is its own while ``beat_at`` is younger than the task lease
    (``HAZEGUARD_TASK_LEASE_SECONDS``); after that any worker re-queues the task once, then fails
    it with the reason (``notices/task_leases.py``). The row goes when the worker stops cleanly.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"task worker {self.worker_id} ({self.host}:{self.pid})"
