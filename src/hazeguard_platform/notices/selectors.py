"""Reading notices: who may see which, and each recipient's status for the office page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from hazeguard.deadlines import deadline_state
from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.accounts.permissions import Actor, jurisdictions_of, refuse
from hazeguard_platform.notices.models import Channel, Delivery, DeliveryState, Notice, Recipient

# Who sees a jurisdiction's notices and their status: its command and its administrators.
OFFICE_ROLES = (*COMMAND_ROLES, Role.ADMINISTRATOR)


def _office_jurisdiction_ids(user: Actor) -> set[int]:
    """Jurisdictions where ``user`` holds an office role, and every one below them."""
    visible = list(jurisdictions_of(user))
    direct = set(
        Membership.objects.filter(
            user=user if isinstance(user, User) else None, role__in=OFFICE_ROLES
        ).values_list("jurisdiction_id", flat=True)
    )
    return {j.pk for j in visible if j.pk in direct or any(a.pk in direct for a in j.ancestors())}


def notices_for_user(user: Actor) -> models.QuerySet[Notice]:
    """The notices of the jurisdictions whose office ``user`` works in (or above), newest first."""
    return Notice.objects.filter(jurisdiction_id__in=_office_jurisdiction_ids(user)).select_related(
        "jurisdiction"
    )


def notice_for_user(user: Actor, notice_id: int) -> Notice:
    """One notice; ``Http404`` when unknown, ``ForbiddenError`` (audited) when not the user's."""
    notice = Notice.objects.select_related("jurisdiction").filter(pk=notice_id).first()
    if notice is None:
        raise Http404("no such notice")
    if notice.jurisdiction_id not in _office_jurisdiction_ids(user):
        raise refuse(user, action="notice.view", obj=notice, message="not your office's notice")
    return notice


def inbox_for_user(user: Actor) -> models.QuerySet[Recipient]:
    """The user's in-app inbox: the notices addressed to them, newest first."""
    if not isinstance(user, User):
        return Recipient.objects.none()
    return (
        Recipient.objects.filter(user=user, deliveries__channel=Channel.INBOX)
        .select_related("notice", "notice__jurisdiction")
        .order_by("-notice__created_at", "-pk")
    )


def overdue_recipients(now: datetime) -> Q:
    """Recipients past their deadline at ``now`` and not done: people who have not acknowledged,
    webhook endpoints that have not answered 2xx (a website that never got the warning leaves
    the public untold, seed 003 §5.2)."""
    delivered = Delivery.objects.filter(recipient=OuterRef("pk"), delivered_at__isnull=False)
    return Q(due_at__lte=now, acknowledged_at__isnull=True) & (
        Q(endpoint__isnull=True) | ~Q(Exists(delivered))
    )


def delivery_progress(delivery: Delivery) -> str:
    """How far one delivery got, in the words the office reads (``"中文 english"``, the page
    shows its half): e-mail and SMS that a server accepted are "accepted", not "delivered",
    until something confirms it (an SMS receipt, whose status the page shows beside it)."""
    if delivery.state == DeliveryState.FAILED:
        return "失败 failed"
    if delivery.channel == Channel.INBOX:
        return "在收件箱 in the inbox"
    if delivery.delivered_at is not None:
        return {
            Channel.WEBHOOK: "已送达 delivered (HTTP 2xx)",
            Channel.SMS: "已送达手机 delivered to the phone",
        }.get(Channel(delivery.channel), "已送达 delivered")
    if delivery.state == DeliveryState.SENT:
        if delivery.channel == Channel.EMAIL:
            # The relay took it; whether it reached the mailbox is unknown (docs/notices.md).
            return "邮件服务器已接收 accepted by the mail server"
        return "短信网关已接收 accepted by the SMS gateway"
    return str(delivery.get_state_display())


@dataclass(frozen=True)
class DeliveryRow:
    """One channel of a recipient on the office page."""

    delivery: Delivery
    progress: str


@dataclass(frozen=True)
class RecipientStatus:
    """One row of the office page: the recipient's channels and times against its deadline."""

    recipient: Recipient
    deliveries: tuple[DeliveryRow, ...]
    sent_at: datetime | None
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    due_at: datetime | None
    # Past the deadline and not done (people: acknowledged; systems: delivered).
    overdue: bool
    # Done, but after the deadline.
    late: bool
    failed: tuple[Delivery, ...]
    # on_time, late, overdue or not_due (hazeguard.deadlines); "" without a deadline.
    deadline: str = ""

    @property
    def status(self) -> str:
        """``acknowledged``, ``delivered``, ``sent`` (accepted by a server), ``failed`` or
        ``queued``."""
        if self.acknowledged_at:
            return "acknowledged"
        if self.delivered_at:
            return "delivered"
        if self.sent_at:
            return "sent"
        return "failed" if self.failed and len(self.failed) == len(self.deliveries) else "queued"

    @property
    def status_label(self) -> str:
        """The status as the office page shows it, Chinese first."""
        return STATUS_LABELS[self.status]


STATUS_LABELS = {
    "acknowledged": "已确认 acknowledged",
    "delivered": "已送达 delivered",
    "sent": "已发出 sent",
    "failed": "发送失败 failed",
    "queued": "待发送 queued",
}


def _earliest(values: list[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def recipient_statuses(notice: Notice, *, now: datetime | None = None) -> list[RecipientStatus]:
    """Every recipient of ``notice`` with sent / delivered / acknowledged times, its deadline
    and failures."""
    now = now or timezone.now()
    rows = []
    recipients = notice.recipients.select_related("endpoint").prefetch_related("deliveries")
    for recipient in recipients.order_by("pk"):
        deliveries = tuple(recipient.deliveries.all())
        delivered = _earliest([d.delivered_at for d in deliveries])
        # A person is done when they acknowledge; a system when it confirmed receipt (2xx).
        done = recipient.acknowledged_at if recipient.acknowledges else delivered
        due = recipient.due_at
        rows.append(
            RecipientStatus(
                recipient=recipient,
                deliveries=tuple(DeliveryRow(d, delivery_progress(d)) for d in deliveries),
                sent_at=_earliest([d.sent_at for d in deliveries]),
                delivered_at=delivered,
                acknowledged_at=recipient.acknowledged_at,
                due_at=due,
                overdue=due is not None and done is None and due <= now,
                late=due is not None and done is not None and done > due,
                failed=tuple(d for d in deliveries if d.state == DeliveryState.FAILED),
                deadline=deadline_state(due, done, now) if due is not None else "",
            )
        )
    return rows
