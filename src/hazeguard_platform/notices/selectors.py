"""Reading notices: who may see which, and each recipient's status for the office page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import Http404
from django.utils import timezone

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
            user_id=getattr(user, "pk", None), role__in=OFFICE_ROLES
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
    if not isinstance(user, AbstractBaseUser):
        return Recipient.objects.none()
    return (
        Recipient.objects.filter(user=user, deliveries__channel=Channel.INBOX)
        .select_related("notice", "notice__jurisdiction")
        .order_by("-notice__created_at", "-pk")
    )


@dataclass(frozen=True)
class RecipientStatus:
    """One row of the office page: the recipient's channels and times against the deadline."""

    recipient: Recipient
    deliveries: tuple[Delivery, ...]
    sent_at: datetime | None
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    due_at: datetime | None
    overdue: bool
    failed: tuple[Delivery, ...]

    @property
    def status(self) -> str:
        """``acknowledged``, ``delivered``, ``sent``, ``failed`` or ``queued``."""
        if self.acknowledged_at:
            return "acknowledged"
        if self.delivered_at:
            return "delivered"
        if self.sent_at:
            return "sent"
        return "failed" if self.failed and len(self.failed) == len(self.deliveries) else "queued"


def _earliest(values: list[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def recipient_statuses(notice: Notice, *, now: datetime | None = None) -> list[RecipientStatus]:
    """Every recipient of ``notice`` with sent / delivered / acknowledged times and failures."""
    now = now or timezone.now()
    rows = []
    for recipient in notice.recipients.prefetch_related("deliveries").order_by("pk"):
        deliveries = tuple(recipient.deliveries.all())
        acknowledged = recipient.acknowledged_at
        due = notice.due_at if recipient.acknowledges else None
        rows.append(
            RecipientStatus(
                recipient=recipient,
                deliveries=deliveries,
                sent_at=_earliest([d.sent_at for d in deliveries]),
                delivered_at=_earliest([d.delivered_at for d in deliveries]),
                acknowledged_at=acknowledged,
                due_at=due,
                overdue=due is not None and acknowledged is None and due <= now,
                failed=tuple(d for d in deliveries if d.state == DeliveryState.FAILED),
            )
        )
    return rows
