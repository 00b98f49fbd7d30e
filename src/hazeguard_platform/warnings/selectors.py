"""Reading warnings, and who may see and act on them (STYLE.md §12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import models
from django.http import Http404

from hazeguard.vocabulary import ROLE_NAMES, Language, role_name
from hazeguard_platform import core
from hazeguard_platform.accounts.models import COMMAND_ROLES, Role
from hazeguard_platform.accounts.permissions import (
    Actor,
    jurisdictions_of,
    require_visible,
    roles_of,
)
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.warnings import chains
from hazeguard_platform.warnings.models import (
    ACTIVE_STATES,
    CHAIN_STATES,
    PENDING_STATES,
    State,
    Step,
    Warning,
)

ISSUE_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)


def active_warning(jurisdiction: Jurisdiction) -> Warning | None:
    """The jurisdiction's warning in force, else the one issued and waiting to start."""
    found = {
        w.state: w
        for w in Warning.objects.filter(jurisdiction=jurisdiction, state__in=ACTIVE_STATES)
    }
    return found.get(State.IN_FORCE) or found.get(State.ISSUED)


def in_force(jurisdiction: Jurisdiction) -> Warning | None:
    """The jurisdiction's warning in force now, if any."""
    return Warning.objects.filter(jurisdiction=jurisdiction, state=State.IN_FORCE).first()


def pending_proposal(jurisdiction: Jurisdiction) -> Warning | None:
    """The proposal (or approved, not yet issued warning) of the jurisdiction, if any."""
    return Warning.objects.filter(jurisdiction=jurisdiction, state__in=PENDING_STATES).first()


def proposable_levels(version: PlanVersion) -> tuple[str, ...]:
    """The levels a proposal may name under the plan: its own levels, mildest first, and
    the advisory notice where the plan has one (Liaocheng's 提示信息, 003 §3.1, is issued like a
    level by its own chain)."""
    levels = core.facts_from_snapshot(version.snapshot).level_names
    advisory = chains.workflow(version).plan.advisory is not None
    return (("advisory",) if advisory else ()) + levels


def warning_for_user(user: Actor, warning_id: int) -> Warning:
    """The warning if ``user`` holds a role in its jurisdiction or above.

    ``Http404`` when there is no such warning; ``ForbiddenError`` (with an audit record) when the
    user may not see it.
    """
    warning = (
        Warning.objects.select_related("jurisdiction", "plan_version", "forecast")
        .filter(pk=warning_id)
        .first()
    )
    if warning is None:
        raise Http404(f"no warning {warning_id}")
    require_visible(user, warning, warning.jurisdiction_id, action="warning.view")
    return warning


def warnings_for_user(user: Actor) -> models.QuerySet[Warning]:
    """Every warning of the jurisdictions the user may see, newest first."""
    return Warning.objects.filter(jurisdiction__in=jurisdictions_of(user)).select_related(
        "jurisdiction"
    )


def public_warnings() -> models.QuerySet[Warning]:
    """Warnings issued and not ended, for the public pages and the CAP feed (never a drill)."""
    return Warning.objects.filter(state__in=ACTIVE_STATES, drill=False).select_related(
        "jurisdiction"
    )


def overdue_responses() -> models.QuerySet[Warning]:
    """Regional warnings whose child jurisdiction has not responded by the deadline."""
    return Warning.objects.filter(response_overdue=True, responded_at__isnull=True)


def allowed_actions(user: Actor, warning: Warning) -> set[str]:
    """Which actions ``user`` may take on ``warning`` now (for buttons; the services re-check):
    the next step of its approval or lifting chain (the plan's, ``warnings.chains``), issue,
    withdraw, adjust, acknowledge."""
    if not isinstance(user, User):
        return set()
    roles = roles_of(user, warning.jurisdiction)
    actions: set[str] = set()
    if warning.state in CHAIN_STATES:
        upcoming = chains.next_step(warning, chains.proposal_action(warning))
        step = upcoming.step
        if step is not None and chains.may_take(user, warning, upcoming.chain.action, step):
            actions.add(step.kind)
        if chains.may_decide(user, warning, upcoming.chain.action):
            actions.add("reject")
    if warning.state in PENDING_STATES and (
        warning.proposed_by_id == user.pk or roles & set(ISSUE_ROLES)
    ):
        actions.add("withdraw")
    if warning.state == State.APPROVED and roles & set(ISSUE_ROLES):
        actions.add("issue")
    if warning.state in ACTIVE_STATES and roles & COMMAND_ROLES:
        actions.add("adjust")
    if warning.state in ACTIVE_STATES:
        lifting = chains.next_step(warning, "lift").step
        if lifting is not None and chains.may_take(user, warning, "lift", lifting):
            actions.add("lift")
    if (
        warning.regional_source_id is not None
        and warning.responded_at is None
        and warning.state in ACTIVE_STATES
        and roles & {Role.COUNTY_OFFICER, *COMMAND_ROLES}
    ):
        actions.add("acknowledge")
    return actions


STEP_NAMES = {
    "propose": ("提请", "proposed"),
    "review": ("审核", "reviewed"),
    "agree": ("同意", "agreed"),
    "approve": ("批准", "approved"),
}


@dataclass(frozen=True)
class StepView:
    """One step taken on a warning, named in the page's language."""

    kind: str
    kind_label: str
    role_label: str
    acts_for: str
    acts_for_label: str
    actor: object
    acted_at: datetime
    clause: str


def _role(role: str, language: Language) -> str:
    return role_name(role, language) if role in ROLE_NAMES else role


def steps_of(warning: Warning, language: Language) -> list[StepView]:
    """The steps taken on the warning's chains (proposal, then lifting), in order."""
    index = 0 if language == "zh" else 1
    return [
        StepView(
            kind=step.kind,
            kind_label=STEP_NAMES[step.kind][index]
            + (("（解除）" if index == 0 else " (lifting)") if step.action == "lift" else ""),
            role_label=_role(step.role, language),
            acts_for=step.acts_for,
            acts_for_label=_role(step.acts_for, language) if step.acts_for else "",
            actor=step.actor,
            acted_at=step.acted_at,
            clause=step.clause,
        )
        for step in Step.objects.filter(warning=warning)
        .select_related("actor")
        .order_by("acted_at", "position")
    ]


def waiting_for(warning: Warning, language: Language) -> str:
    """Whose step of the plan's chain is next, with the clause (once approved: the office's
    release); empty when nobody's."""
    if warning.state == State.APPROVED:
        return f"{_role('command_office', language)} · {'发布' if language == 'zh' else 'issue'}"
    if warning.state in CHAIN_STATES:
        action = chains.proposal_action(warning)
    elif (
        warning.state in ACTIVE_STATES
        and Step.objects.filter(warning=warning, action="lift").exists()
    ):
        action = "lift"
    else:
        return ""
    step = chains.next_step(warning, action).step
    if step is None:
        return ""
    index = 0 if language == "zh" else 1
    who = ("或" if index == 0 else " or ").join(_role(role, language) for role in step.roles)
    kind = STEP_NAMES[step.kind][index]
    return f"{who} · {kind} ({step.clause})"


def who_acts_next(warning: Warning) -> list[User]:
    """The people who may take ``warning``'s next step: the plan's chain step (approval or
    lifting; not those who took a step of it already, ``chains.people_for``) or, once approved,
    the office that issues it. Empty when nobody's step is next."""
    from django.contrib.auth import get_user_model

    from hazeguard_platform.accounts.models import Membership

    if warning.state == State.APPROVED:
        members = Membership.objects.filter(
            jurisdiction=warning.jurisdiction, role__in=ISSUE_ROLES
        ).values_list("user_id", flat=True)
        return list(get_user_model().objects.filter(pk__in=members, is_active=True).order_by("pk"))
    if warning.state in CHAIN_STATES:
        action = chains.proposal_action(warning)
    elif warning.state in ACTIVE_STATES and warning.steps.filter(action="lift").exists():
        action = "lift"
    else:
        return []
    step = chains.next_step(warning, action).step
    if step is None:
        return []
    taken = warning.steps.filter(action=action).values_list("actor_id", flat=True)
    return chains.people_for(warning, step, exclude=[pk for pk in taken if pk is not None])
