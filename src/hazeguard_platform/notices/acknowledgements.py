"""One acknowledgement of a warning is one fact, wherever it is given (issue 12 §2).

A person acknowledges a warning in one of three places: its notice (the inbox button or the
signed link), the enterprise portal ("确认收到预警"), or the county's page of its regional
warning. Each is the same fact, and :func:`warning_acknowledged` records it in every row that
shows it, in the caller's transaction:

* the person's copies of the warning's issue and adjust notices (``Recipient.acknowledged_at``):
  the inbox, the outbox's count, the notice's page;
* for each enterprise the person answers for, its ``WarningAcknowledgement`` of the warning of its
  jurisdiction (the portal, the list page, the episode's compliance);
* for a county officer, the county warning's response (``Warning.responded_at``, 003 §3.3.1): the
  county table of the dashboard and the warning page.

"The warning" is the family of one regional warning: the city's and the county warnings its
cascade made, so a county's enterprise acknowledging its county warning also has the city's
notice. :func:`warning_acknowledgements` is the one reading of these rows for the episode
summary and the episode evaluation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from hazeguard.deadlines import DeadlineState, deadline_state
from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.enterprises.models import EnterpriseContact, WarningAcknowledgement
from hazeguard_platform.notices.models import Event, Recipient
from hazeguard_platform.warnings.models import ACTIVE_STATES, Warning
from hazeguard_platform.warnings.services import warning_acknowledge

WARNING_OBJECT = "warnings.warning"
# The notices a person acknowledges a warning by (a step notice asks for a step, not this).
TOLD = (Event.ISSUE, Event.ADJUST)


@dataclass(frozen=True)
class Acknowledgement:
    """One acknowledgement owed by a deadline: a notice's recipient (``kind`` ``notice``) or a
    county owing its response to a regional warning (``county_response``, whose ``title`` is the
    level code). Hours from sending to acknowledgement [h]."""

    kind: str
    title: str
    recipient: str
    sent_at: dt.datetime
    due_at: dt.datetime
    done_at: dt.datetime | None
    clause: str
    recipient_en: str = ""  # a county's English name, where known
    # At reading: on_time, late, overdue or not_due (never late before its deadline).
    state: DeadlineState = "not_due"
    title_en: str = ""  # a notice's English title ("" when it was stored without one)

    @property
    def on_time(self) -> bool:
        return self.done_at is not None and self.done_at <= self.due_at

    @property
    def hours(self) -> float | None:
        if self.done_at is None:
            return None
        return (self.done_at - self.sent_at).total_seconds() / 3600


def family(warning: Warning) -> list[Warning]:
    """The warning, its regional source (if it is a county warning) and the source's county
    warnings: what one acknowledgement answers."""
    source = warning.regional_source if warning.regional_source_id is not None else warning
    assert source is not None
    return [source, *Warning.objects.filter(regional_source=source).select_related("jurisdiction")]


def _recipients(user: User, warnings: list[Warning], now: dt.datetime, via: str) -> int:
    ids = [str(w.pk) for w in warnings]
    return Recipient.objects.filter(
        user=user,
        acknowledged_at__isnull=True,
        notice__object_type=WARNING_OBJECT,
        notice__object_id__in=ids,
        notice__event__in=TOLD,
    ).update(acknowledged_at=now, acknowledged_by=user, acknowledged_via=via)


def _enterprises(
    user: User, warnings: list[Warning], now: dt.datetime, only: list[int] | None
) -> list[int]:
    """Each enterprise ``user`` answers for (of ``only``, if given) acknowledges the warning of
    its jurisdiction."""
    active = {w.jurisdiction_id: w for w in warnings if w.state in ACTIVE_STATES}
    made = []
    links = EnterpriseContact.objects.filter(user=user).select_related("enterprise")
    if only is not None:
        links = links.filter(enterprise_id__in=only)
    for link in links:
        warning = active.get(link.enterprise.jurisdiction_id)
        if warning is None:
            continue
        _, created = WarningAcknowledgement.objects.get_or_create(
            enterprise=link.enterprise,
            warning=warning,
            defaults={"acknowledged_by": user, "acknowledged_at": now},
        )
        if created:
            made.append(link.enterprise.pk)
    return made


def _counties(user: User, warnings: list[Warning]) -> list[int]:
    """A county officer (or the county's command) acknowledging answers its county warning."""
    roles = [Role.COUNTY_OFFICER, *COMMAND_ROLES]
    places = Membership.objects.filter(user=user, role__in=roles).values_list(
        "jurisdiction_id", flat=True
    )
    owed = [
        w
        for w in warnings
        if w.regional_source_id is not None
        and w.responded_at is None
        and w.state in ACTIVE_STATES
        and w.jurisdiction_id in set(places)
    ]
    for warning in owed:
        warning_acknowledge(actor=user, warning_id=warning.pk)
    return [w.pk for w in owed]


def warning_acknowledged(
    *, user: User, warning: Warning, via: str, enterprise_ids: list[int] | None = None
) -> None:
    """Record that ``user`` acknowledged ``warning`` (by ``via``: ``inbox``, ``link``,
    ``portal`` or ``county``) in every row that shows it (see the module's text); rows already
    acknowledged keep their first time. ``enterprise_ids``: the portal's one enterprise (the
    inbox answers for every enterprise the person is the contact of). Call inside the caller's
    ``transaction.atomic()``."""
    now = timezone.now()
    warnings = family(warning)
    notices = _recipients(user, warnings, now, via)
    enterprises = _enterprises(user, warnings, now, enterprise_ids)
    counties = _counties(user, warnings)
    if notices or enterprises or counties:
        audit_record(
            actor=user,
            action="warning.acknowledged",
            obj=warning,
            after={
                "via": via,
                "notices": notices,
                "enterprises": enterprises,
                "county_warnings": counties,
            },
        )


def warning_acknowledgements(warnings: list[Warning]) -> tuple[Acknowledgement, ...]:
    """The acknowledgements the ``warnings`` asked for by a deadline, in order of sending: each
    recipient of their notices with a deadline, then each county owing its response to a
    regional warning (003 §3.3.1: within 3 h). The one reading for the summary and evaluation."""
    ids = [str(warning.pk) for warning in warnings]
    now = timezone.now()
    rows: list[Acknowledgement] = []
    recipients = (
        Recipient.objects.filter(
            notice__object_type=WARNING_OBJECT, notice__object_id__in=ids, due_at__isnull=False
        )
        .select_related("notice")
        .order_by("notice__created_at", "pk")
    )
    for recipient in recipients:
        # Each recipient has its own deadline (a county's 3 h, the website's 2 h; docs/notices.md).
        assert recipient.due_at is not None  # filtered above
        rows.append(
            Acknowledgement(
                "notice",
                recipient.notice.title,
                recipient.name,
                recipient.notice.created_at,
                recipient.due_at,
                recipient.acknowledged_at,
                recipient.due_clause,
                state=deadline_state(recipient.due_at, recipient.acknowledged_at, now),
                title_en=recipient.notice.title_en,
            )
        )
    children = (
        Warning.objects.filter(regional_source__in=warnings, respond_by__isnull=False)
        .select_related("jurisdiction", "regional_source")
        .order_by("respond_by", "jurisdiction__code")
    )
    for child in children:
        assert child.respond_by is not None
        assert child.regional_source is not None
        rows.append(
            Acknowledgement(
                "county_response",
                child.level,
                child.jurisdiction.name_zh,
                child.regional_source.issued_at or child.proposed_at,
                child.respond_by,
                child.responded_at,
                "",
                child.jurisdiction.name_en,
                deadline_state(child.respond_by, child.responded_at, now),
            )
        )
    return tuple(rows)
