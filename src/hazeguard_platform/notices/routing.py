"""Who hears of a warning, and by when: the accounts and the address book (docs/notices.md).

``warnings.lifecycle.warning_notify`` calls :func:`warning_notice_send` inside the warning
service's transaction. One notice per event (issue, adjust, lift), sent by the warning's
jurisdiction, reaches:

* the accounts of ``warnings.selectors.notice_recipients`` (county officers, member-unit staff,
  listed enterprises' contacts), due by the counties' deadline as before;
* the jurisdiction's own address book: its contacts (not the escalation contacts, who are its
  office and hear of overdue recipients instead) by the same deadline, its webhook endpoints —
  a public one (the website, a media feed) by the plan's public-notice deadline (Liaocheng 2 h
  after issue, seed 003 §5.2), the others without one;
* every child county's address book, which is how the regional cascade reaches the county's
  duty office, its departments and its systems: each by that county's ``respond_by`` (Liaocheng
  3 h, seed 003 §4.2), a public endpoint by the county's public-notice deadline.

A lift has no deadlines; its text names the county warnings that ended with it, because those
end through the lifecycle and send no notice of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.notices.models import Contact, WebhookEndpoint
from hazeguard_platform.notices.services import Addressed, Addressee, notice_create
from hazeguard_platform.subscriptions.services import subscribers_notify
from hazeguard_platform.warnings.models import EndReason, Warning
from hazeguard_platform.warnings.selectors import notice_recipients
from hazeguard_platform.warnings.transitions import plan_facts

Deadline = tuple[datetime | None, str]  # (due_at, clause)
NO_DEADLINE: Deadline = (None, "")


def public_notice_deadline(plan_version: PlanVersion, issued_at: datetime | None) -> Deadline:
    """When the public must have been told of a warning issued at ``issued_at``, from the plan's
    ``public_notice`` deadline (Liaocheng: within 2 h, seed 003 §5.2); none when the plan sets
    none."""
    plan = core.plan_from_snapshot(plan_version.snapshot)
    deadline = next((d for d in plan.deadlines if d.kind == "public_notice"), None)
    if deadline is None or issued_at is None:
        return NO_DEADLINE
    return deadline.due(timezone.localtime(issued_at)), deadline.clause


def _endpoints(jurisdiction: Jurisdiction, *, public: Deadline, other: Deadline) -> list[Addressed]:
    return [
        Addressed(endpoint, *(public if endpoint.public else other))
        for endpoint in WebhookEndpoint.objects.filter(jurisdiction=jurisdiction, active=True)
    ]


def _contacts(jurisdiction: Jurisdiction, deadline: Deadline, **only: bool) -> list[Addressed]:
    contacts = Contact.objects.filter(jurisdiction=jurisdiction, active=True, **only)
    return [Addressed(contact, *deadline) for contact in contacts]


def addressbook_recipients(
    warning: Warning, *, event: str, county: Deadline, regional: Sequence[Warning]
) -> list[Addressed]:
    """The address-book entries a warning's notice reaches, each with its deadline (see the
    module's text); ``county`` is the deadline of the jurisdiction's own contacts, ``regional``
    the county warnings the cascade gave it (none on a lift)."""
    lifting = event == "lift"
    jurisdiction = warning.jurisdiction
    own_public = (
        NO_DEADLINE if lifting else public_notice_deadline(warning.plan_version, warning.issued_at)
    )
    found = _contacts(jurisdiction, NO_DEADLINE if lifting else county, escalation=False)
    found += _endpoints(jurisdiction, public=own_public, other=NO_DEADLINE)
    by_county = {child.jurisdiction_id: child for child in regional}
    clause = plan_facts(warning.plan_version).county_notice_clause
    for county_jurisdiction in jurisdiction.children.order_by("code"):
        child = by_county.get(county_jurisdiction.pk)
        respond: Deadline = NO_DEADLINE
        if child is not None and child.respond_by is not None:
            respond = (child.respond_by, clause)
        public = (
            public_notice_deadline(child.plan_version, child.issued_at) if child else NO_DEADLINE
        )
        found += _contacts(county_jurisdiction, respond)
        found += _endpoints(county_jurisdiction, public=public, other=respond)
    return found


def _ended_with(warning: Warning) -> list[Warning]:
    """The county warnings the lifting of ``warning`` ended (they were regional warnings of its
    jurisdiction and ended, by regional lifting, no earlier than it)."""
    if warning.ended_at is None:
        return []
    return list(
        Warning.objects.filter(
            regional_source__jurisdiction=warning.jurisdiction,
            jurisdiction__parent=warning.jurisdiction,
            end_reason=EndReason.REGIONAL_LIFTED,
            ended_at__gte=warning.ended_at,
        )
        .select_related("jurisdiction")
        .order_by("jurisdiction__code")
    )


def _body(warning: Warning, event: str) -> str:
    starts = timezone.localtime(warning.starts_at) if warning.starts_at else None
    body = f"{warning.level} · {warning.response}" + (
        f" · {starts:%Y-%m-%d %H:%M}" if starts and event != "lift" else ""
    )
    ended = _ended_with(warning) if event == "lift" else []
    if ended:
        names = "、".join(child.jurisdiction.name_zh for child in ended)
        body += f"\n以下县（市、区）的区域预警同时解除 county warnings lifted with it: {names}"
    return body


def warning_notice_send(warning: Warning, *, event: str, actor: Actor) -> None:
    """Send the notice of ``event`` (issue, adjust, lift) about ``warning`` (see the module's
    text), inside the caller's transaction (the outbox starts on commit). Sends nothing when
    nobody is to be told."""
    regional: list[Warning] = (
        []
        if event == "lift"
        else list(Warning.objects.filter(regional_source=warning).select_related("plan_version"))
    )
    # The accounts' deadline is the counties' earliest, as the cascade set it (003 §4.2).
    due = min((c.respond_by for c in regional if c.respond_by is not None), default=None)
    county: Deadline = (
        NO_DEADLINE if due is None else (due, plan_facts(warning.plan_version).county_notice_clause)
    )
    # The public's subscribers (subscriptions app) are told by their own mailings.
    subscribers_notify(warning=warning, event=event, actor=actor)
    recipients: list[Addressee | Addressed] = [*notice_recipients(warning)]
    recipients += addressbook_recipients(warning, event=event, county=county, regional=regional)
    if not recipients:
        return  # nobody to tell: notice_create refuses an empty list
    notice_create(
        event=event,
        recipients=recipients,
        actor=actor,
        subject_object=warning,
        due_at=county[0],
        due_clause=county[1],
        body=_body(warning, event),
    )
