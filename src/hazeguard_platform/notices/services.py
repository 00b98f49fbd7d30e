"""Every change to notices (STYLE.md §7): create, acknowledge, escalate, and the outbox step.

Each service is keyword-only, runs in one ``transaction.atomic()`` and writes an audit record.
``notice_create`` is a building block for the other apps' services (``warning_issue`` …): it does
not check roles, the calling service has done that for the action that causes the notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from hazeguard.vocabulary import Language
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.acknowledgements import (
    TOLD,
    WARNING_OBJECT,
    warning_acknowledged,
)
from hazeguard_platform.notices.addressbook import (
    contact_create,
    webhook_endpoint_create,
    webhook_endpoint_deactivate,
)
from hazeguard_platform.notices.messages import AckTokenError, ack_token_recipient
from hazeguard_platform.notices.models import Channel, Contact, Event, Notice, Recipient
from hazeguard_platform.notices.outbox import OutboxRun, outbox_process
from hazeguard_platform.notices.recipients import (
    Addressed,
    Addressee,
    addressed_once,
    audit_summary,
    channels_of,
    recipients_add,
)
from hazeguard_platform.notices.selectors import overdue_recipients
from hazeguard_platform.pages import label_in
from hazeguard_platform.warnings.models import Warning

__all__ = [
    "Addressed",
    "Addressee",
    "OutboxRun",
    "contact_create",
    "notice_acknowledge",
    "notice_create",
    "notices_escalate",
    "outbox_process",
    "webhook_endpoint_create",
    "webhook_endpoint_deactivate",
]

# Who the office is when a recipient is overdue (GLOSSARY.md: command office, office director).
ESCALATION_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)


def _enqueue_drain() -> None:
    from hazeguard_platform.notices.tasks import outbox_drain_task

    outbox_drain_task.enqueue()


def _enqueue_escalation(due_at: datetime) -> None:
    from hazeguard_platform.notices.tasks import notices_escalate_task

    notices_escalate_task.using(run_after=due_at).enqueue()


def notice_create(
    *,
    event: Event | str,
    recipients: Iterable[Addressee | Addressed],
    actor: Actor,
    subject_object: models.Model | None = None,
    due_at: datetime | None = None,
    due_clause: str = "",
    title: str = "",
    body: str = "",
    title_en: str = "",
    body_en: str = "",
    jurisdiction: Jurisdiction | None = None,
    escalates: Notice | None = None,
) -> Notice:
    """Create a notice, its recipients and their queued deliveries; the outbox sends them after
    the transaction commits.

    ``jurisdiction`` is the sender (default: ``subject_object.jurisdiction``); ``due_at`` is the
    deadline from the plan [aware datetime] of every recipient not given as :class:`Addressed`
    with its own (``None``: never escalated), ``due_clause`` the clause it comes from. The
    notice's ``due_at`` is the earliest recipient deadline. Duplicate addressees count once,
    with their earliest deadline. ``title``/``body`` are the Chinese text, ``title_en``/
    ``body_en`` the English one (each page shows the reader's, :attr:`Notice.shown_title`);
    without a title, the sender and the event name one in each language.
    """
    if event not in Event.values:
        raise InvalidInputError(
            f"unknown event {event!r}; one of {', '.join(Event.values)}", field="event"
        )
    sender = jurisdiction or getattr(subject_object, "jurisdiction", None)
    if not isinstance(sender, Jurisdiction):
        raise InvalidInputError(
            "a notice needs the jurisdiction that sends it", field="jurisdiction"
        )
    if due_at is not None and timezone.is_naive(due_at):
        raise InvalidInputError("due_at needs a time zone", field="due_at")
    addressees = addressed_once(recipients, due_at, due_clause)
    if not addressees:
        raise InvalidInputError("a notice needs at least one recipient", field="recipients")
    reference = subject_object or escalates
    object_type = object_id = ""
    if isinstance(reference, Notice) and reference.object_type:
        object_type, object_id = reference.object_type, reference.object_id
    elif reference is not None:
        object_type, object_id = reference._meta.label_lower, str(reference.pk)
    if not title:
        about = f" · {subject_object}" if subject_object is not None else ""
        label = Event(event).label
        title = f"{sender.name_zh} {label_in(label, 'zh')}{about}"
        title_en = title_en or f"{sender.name_en or sender.code} {label_in(label, 'en')}{about}"
    deadlines = sorted({a.due_at for a in addressees if a.due_at is not None})
    # Every addressee is checked (active, reachable) before anything is written.
    channels = channels_of(addressees)
    now = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.create(
            event=event,
            jurisdiction=sender,
            title=title[:200],
            body=body,
            title_en=title_en[:200],
            body_en=body_en,
            object_type=object_type,
            object_id=object_id,
            due_at=deadlines[0] if deadlines else None,
            created_at=now,
            created_by=actor if isinstance(actor, User) else None,
            escalates=escalates,
        )
        added = recipients_add(notice, addressees, channels, now)
        audit_record(
            actor=actor,
            action="notice.create",
            obj=notice,
            after={
                "event": str(event),
                "title": notice.title,
                **audit_summary(added),
                "due_at": notice.due_at.isoformat() if notice.due_at else None,
            },
        )
        transaction.on_commit(_enqueue_drain)
        for deadline in deadlines:
            transaction.on_commit(partial(_enqueue_escalation, deadline))
    return notice


def notice_acknowledge(
    *, token: str | None = None, recipient_id: int | None = None, user: Actor = None
) -> Recipient:
    """Record that a recipient has the notice: by the signed link (``token``) or by the inbox
    button (``recipient_id`` and the signed-in ``user``, who must be that recipient).

    Acknowledging twice keeps the first time.
    """
    if token is not None:
        try:
            recipient_id = ack_token_recipient(token)
        except AckTokenError as error:
            raise InvalidInputError(str(error), field="token") from None
        via = "link"
    elif recipient_id is not None and isinstance(user, User):
        via = "inbox"
    else:
        raise InvalidInputError(
            "an acknowledgement needs a link token or a signed-in recipient", field="token"
        )
    recipient = Recipient.objects.select_related("notice").filter(pk=recipient_id).first()
    if recipient is None:
        raise InvalidInputError("this notice no longer exists", field="token")
    if via == "inbox" and recipient.user_id != getattr(user, "pk", None):
        raise refuse(
            user,
            action="notice.acknowledge",
            obj=recipient.notice,
            message="only the recipient acknowledges a notice",
        )
    now = timezone.now()
    by = recipient.user if via == "link" else user
    with transaction.atomic():
        first = Recipient.objects.filter(pk=recipient.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=by, acknowledged_via=via
        )
        if first:
            audit_record(
                actor=by,
                action="notice.acknowledge",
                obj=recipient.notice,
                after={"recipient": recipient.name, "via": via, "at": now.isoformat()},
            )
            _warning_acknowledged(recipient.notice, by if isinstance(by, User) else None, via)
    recipient.refresh_from_db()
    return recipient


def _warning_acknowledged(notice: Notice, by: User | None, via: str) -> None:
    """A person's acknowledgement of a warning's notice acknowledges the warning everywhere it
    shows (:mod:`.acknowledgements`: the portal, the county table, the person's other copies)."""
    if by is None or notice.object_type != WARNING_OBJECT or notice.event not in TOLD:
        return
    warning = Warning.objects.filter(pk=notice.object_id).first()
    if warning is not None:
        warning_acknowledged(user=by, warning=warning, via=via)


def escalation_addressees(jurisdiction: Jurisdiction) -> list[Addressee]:
    """The office of ``jurisdiction``: its command office staff and office director, and its
    contacts marked for escalation."""
    user_ids = Membership.objects.filter(
        jurisdiction=jurisdiction, role__in=ESCALATION_ROLES, user__is_active=True
    ).values_list("user_id", flat=True)
    people: list[Addressee] = list(get_user_model().objects.filter(pk__in=user_ids).order_by("pk"))
    contacts = Contact.objects.filter(jurisdiction=jurisdiction, escalation=True, active=True)
    return people + list(contacts)


# Overdue recipients named in the office's message; the notice's page lists them all. A red
# warning in Liaocheng has 5,000+ recipients, and an e-mail naming each helps nobody.
OVERDUE_LISTED = 100


def _overdue_body(notice: Notice, recipients: Sequence[Recipient], language: Language) -> str:
    """The office's list of the overdue recipients of ``notice``, in ``language``."""
    english = language == "en"
    title = notice.title_in(language)
    lines = [f"“{title}”: overdue recipients" if english else f"“{title}” 以下接收方逾期："]
    for recipient in recipients[:OVERDUE_LISTED]:
        due = timezone.localtime(recipient.due_at).strftime("%Y-%m-%d %H:%M")
        if recipient.acknowledges:
            what = "not acknowledged" if english else "未确认"
        else:
            what = "not delivered" if english else "未送达"
        # From the prefetched deliveries: a query per recipient would make this O(N).
        sent = [d for d in recipient.deliveries.all() if d.channel != Channel.INBOX]
        states = ", ".join(
            label_in(d.get_channel_display(), language)
            + " "
            + label_in(d.get_state_display(), language)
            for d in sent
        ) or label_in(Channel.INBOX.label, language)
        comma = ", " if english else "，"
        clause = f"{comma}{recipient.due_clause}" if recipient.due_clause else ""
        deadline = f"by {due}" if english else f"应于 {due} 前"
        lines.append(f"- {recipient.name}: {what}{comma}{deadline}{clause} ({states})")
    if len(recipients) > OVERDUE_LISTED:
        more = len(recipients) - OVERDUE_LISTED
        rest = f"and {more} more" if english else f"另有 {more} 个"
        lines.append(f"… {rest}: /notices/{notice.pk}/")
    return "\n".join(lines)


def notices_escalate(*, now: datetime) -> list[Notice]:
    """Tell the office about recipients past their deadline and not done (see
    :func:`overdue_recipients`): one 'overdue' notice per original notice and run, each recipient
    escalated once (claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and a conditional UPDATE on
    ``escalated_at IS NULL``, a fixed number of queries per notice). Returns the overdue notices
    created."""
    overdue = Recipient.objects.filter(overdue_recipients(now), escalated_at__isnull=True)
    created: list[Notice] = []
    for notice_id in sorted(set(overdue.values_list("notice_id", flat=True))):
        with transaction.atomic():
            # Rows another worker holds are skipped (PostgreSQL), rows it has escalated no
            # longer match; SQLite takes the write lock at BEGIN (settings: IMMEDIATE).
            held = overdue.filter(notice_id=notice_id).select_for_update(skip_locked=True)
            mine = list(held.values_list("pk", flat=True))
            if not mine:
                continue  # another worker escalated them first
            Recipient.objects.filter(pk__in=mine, escalated_at__isnull=True).update(
                escalated_at=now
            )
            notice = Notice.objects.select_related("jurisdiction", "created_by").get(pk=notice_id)
            late = list(Recipient.objects.filter(pk__in=mine).prefetch_related("deliveries"))
            targets = escalation_addressees(notice.jurisdiction) or (
                [notice.created_by] if notice.created_by is not None else []
            )
            audit_record(
                actor=None,
                action="notice.escalate",
                obj=notice,
                # Counted and named by id, as notice.create: there may be thousands.
                after={
                    "overdue": len(late),
                    "recipient_ids": mine,
                    "to": [str(t) for t in targets],
                },
            )
            if targets:
                created.append(
                    notice_create(
                        event=Event.OVERDUE,
                        recipients=targets,
                        actor=None,
                        jurisdiction=notice.jurisdiction,
                        escalates=notice,
                        title=f"逾期未确认：{notice.title}",
                        body=_overdue_body(notice, late, "zh"),
                        title_en=f"Overdue: {notice.title_in('en')}",
                        body_en=_overdue_body(notice, late, "en"),
                    )
                )
    return created
