"""Who hears of a warning, and by when: the accounts and the address book (docs/notices.md).

``response.services`` calls :func:`warning_notice_send` inside the transaction that issues,
adjusts or lifts the warning. One notice per event (issue, adjust, lift), sent by the warning's
jurisdiction, reaches:

* the accounts of :func:`notice_recipients` (county officers, member-unit staff,
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

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from hazeguard.vocabulary import RESPONSE_NUMERAL_ZH, Language, level_name, response_name
from hazeguard_platform import core
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.enterprises.models import EnterpriseContact
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.notices.models import Contact, Event, WebhookEndpoint
from hazeguard_platform.notices.services import Addressed, Addressee, notice_create
from hazeguard_platform.pages import label_in
from hazeguard_platform.subscriptions.services import subscribers_notify
from hazeguard_platform.warnings.models import EndReason, Warning
from hazeguard_platform.warnings.transitions import plan_facts

Deadline = tuple[datetime | None, str]  # (due_at, clause)
NO_DEADLINE: Deadline = (None, "")


def notice_recipients(warning: Warning) -> list[User]:
    """Who is told when ``warning`` is issued, adjusted or lifted (docs/notices.md): the county
    officers of the jurisdiction's counties, which must act within the plan's county deadline
    (seed 003 §4.2), the staff of its member units (成员单位) and of its counties' member units
    (the "相关部门" a county must reach within that deadline, 003 §4.2; the county warnings the
    cascade makes send no notice of their own), and the contacts of the enterprises on its
    emission-reduction list (docs/enterprises.md). Active accounts only."""
    jurisdiction = warning.jurisdiction
    staff = Membership.objects.filter(
        models.Q(
            jurisdiction__parent=jurisdiction,
            role__in=(Role.COUNTY_OFFICER, Role.MEMBER_UNIT_STAFF),
        )
        | models.Q(jurisdiction=jurisdiction, role=Role.MEMBER_UNIT_STAFF)
    ).values_list("user_id", flat=True)
    # A county's own list follows the regional warning like the city's (the response gives it
    # its tasks, hazeguard_platform.response), so its enterprises hear the same notice.
    contacts = EnterpriseContact.objects.filter(
        models.Q(enterprise__jurisdiction=jurisdiction)
        | models.Q(enterprise__jurisdiction__parent=jurisdiction),
        enterprise__listed=True,
    ).values_list("user_id", flat=True)
    people = get_user_model().objects.filter(
        models.Q(pk__in=staff) | models.Q(pk__in=contacts), is_active=True
    )
    return list(people.order_by("pk"))


def public_notice_deadline(plan_version: PlanVersion, issued_at: datetime | None) -> Deadline:
    """When the public must have been told of a warning issued at ``issued_at``, from the plan's
    ``public_notice`` deadline (Liaocheng: within 2 h, seed 003 §5.2); none when the plan sets
    none."""
    deadline = core.workflow_from_snapshot(plan_version.snapshot).deadline("public_notice")
    if deadline is None or issued_at is None:
        return NO_DEADLINE
    return deadline.due(timezone.localtime(issued_at)), deadline.clause


def _endpoints(
    jurisdiction: Jurisdiction, *, public: Deadline, other: Deadline, drill: bool = False
) -> list[Addressed]:
    endpoints = WebhookEndpoint.objects.filter(jurisdiction=jurisdiction, active=True)
    if drill:
        endpoints = endpoints.exclude(public=True)  # a drill never reaches the public
    return [Addressed(endpoint, *(public if endpoint.public else other)) for endpoint in endpoints]


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
    found += _endpoints(jurisdiction, public=own_public, other=NO_DEADLINE, drill=warning.drill)
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
        found += _endpoints(county_jurisdiction, public=public, other=respond, drill=warning.drill)
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


def _body(warning: Warning, event: str, language: Language) -> str:
    """What the notice says in ``language``: the level and response by the vocabulary's names,
    when it starts, and on a lift the county warnings that ended with it."""
    english = language == "en"
    starts = timezone.localtime(warning.starts_at) if warning.starts_at else None
    known = warning.response in RESPONSE_NUMERAL_ZH
    parts = [level_name(warning.level, language)]
    parts.append(response_name(warning.response, language) if known else "")
    if starts and event != "lift":
        parts.append(
            f"in force from {starts:%Y-%m-%d %H:%M}"
            if english
            else f"{starts.month}月{starts.day}日 {starts:%H:%M} 起执行"
        )
    body = " · ".join(part for part in parts if part)
    ended = _ended_with(warning) if event == "lift" else []
    if ended:
        names = ("、", ", ")[english].join(child.jurisdiction.name_in(language) for child in ended)
        body += (
            f"\nThe regional warnings of these counties end with it: {names}"
            if english
            else f"\n以下县（市、区）的区域预警同时解除：{names}"
        )
    return _drill_mark(warning, language, "\n") + body


DRILL_MARK = "【演练】"
DRILL_MARK_EN = "[Drill] "


def _drill_mark(warning: Warning, language: Language, after: str = "") -> str:
    """A drill's notices say so first."""
    if not warning.drill:
        return ""
    return DRILL_MARK_EN if language == "en" else DRILL_MARK + after


def warning_title(warning: Warning, event: str, language: Language) -> str:
    """The notice's title in ``language``: the sender, the event, the warning's level by the
    vocabulary's name; a drill's marked as such."""
    label = label_in(Event(event).label, language)  # "预警发布 warning issued" -> 预警发布
    place = warning.jurisdiction.name_in(language)
    level = level_name(warning.level, language)
    after = ": " if language == "en" else " "
    return f"{_drill_mark(warning, language)}{place}{after}{label} · {level}"


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
        title=warning_title(warning, event, "zh"),
        body=_body(warning, event, "zh"),
        title_en=warning_title(warning, event, "en"),
        body_en=_body(warning, event, "en"),
    )


# What waits for the reader, per step kind: (Chinese, English).
STEP_WORDS = {
    "review": ("待您审核", "waits for your review"),
    "agree": ("待您同意", "waits for your agreement"),
    "approve": ("待您批准", "waits for your approval"),
    "propose": ("待您提请", "waits for your proposal"),
    "issue": ("待您发布", "waits for you to issue it"),
}


def _step_text(
    warning: Warning, *, action: str, kind: str, clause: str, language: Language
) -> tuple[str, str]:
    """The title and body of a step notice in ``language``."""
    mark = _drill_mark(warning, language)
    place = warning.jurisdiction.name_in(language)
    level = level_name(warning.level, language)  # the vocabulary's name, never the code
    step = STEP_WORDS[kind][language == "en"]
    where = f" ({clause})" if clause else ""
    if language == "en":
        what = f"lifting the {level}" if action == "lift" else level
        return f"{mark}{place}: {what} {step}", (
            f"{mark}{what} · {warning.reason}\n{step[0].upper()}{step[1:]}{where}"
        )
    lifting = "解除" if action == "lift" else ""
    return f"{mark}{place} {lifting}{level} {step}", (
        f"{mark}{level} · {warning.reason}\n{step}{where}"
    )


def step_notice_send(
    warning: Warning,
    *,
    action: str,
    kind: str,
    clause: str,
    people: Sequence[User],
    actor: Actor,
) -> None:
    """Tell ``people`` that the next step of ``warning``'s ``action`` chain (``kind``: review,
    agree, approve; ``issue`` once approved) waits for them, with the plan's clause. Inbox and
    their channels, like every notice; nothing when nobody holds the role. The reason is the
    proposer's, as typed."""
    if not people:
        return
    title, body = _step_text(warning, action=action, kind=kind, clause=clause, language="zh")
    title_en, body_en = _step_text(warning, action=action, kind=kind, clause=clause, language="en")
    notice_create(
        event=Event.STEP,
        recipients=list(people),
        actor=actor,
        subject_object=warning,
        title=title,
        body=body,
        title_en=title_en,
        body_en=body_en,
    )
