"""Reading warnings, and who may see and act on them (STYLE.md §12)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import Http404

from hazeguard_platform.accounts.models import COMMAND_ROLES, Role
from hazeguard_platform.accounts.permissions import (
    Actor,
    jurisdictions_of,
    require_visible,
    roles_of,
)
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.warnings.models import ACTIVE_STATES, PENDING_STATES, State, Warning
from hazeguard_platform.warnings.transitions import plan_facts

ISSUE_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)


def approver_role(warning: Warning) -> Role:
    """The role that approves ``warning``'s level in its plan."""
    approver = plan_facts(warning.plan_version).level(warning.level).approver
    # A plan that names no approver for a level leaves it to the head of the command.
    return Role(approver) if approver else Role.COMMANDER


def lift_roles(warning: Warning) -> list[Role]:
    """Who may lift: the role the plan names for lifting, and the level's issuing approver —
    Liaocheng says both "各级别的预警按照发布程序予以解除" and that the lifting form goes to the
    office director for approval (seed 003 §3.3.2)."""
    named = plan_facts(warning.plan_version).lift_approver
    roles = [Role(named)] if named else []
    issuing = approver_role(warning)
    return roles + ([issuing] if issuing not in roles else [])


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
    """Warnings issued and not ended, for the public pages and the CAP feed."""
    return Warning.objects.filter(state__in=ACTIVE_STATES).select_related("jurisdiction")


def overdue_responses() -> models.QuerySet[Warning]:
    """Regional warnings whose child jurisdiction has not responded by the deadline."""
    return Warning.objects.filter(response_overdue=True, responded_at__isnull=True)


def allowed_actions(user: Actor, warning: Warning) -> set[str]:
    """Which actions ``user`` may take on ``warning`` now (for buttons; the services re-check)."""
    if not isinstance(user, AbstractBaseUser):
        return set()
    roles = roles_of(user, warning.jurisdiction)
    approver = approver_role(warning)
    actions: set[str] = set()
    if warning.state == State.PROPOSED and approver in roles and warning.proposed_by_id != user.pk:
        actions |= {"approve", "reject"}
    if warning.state in PENDING_STATES and (
        warning.proposed_by_id == user.pk or roles & set(ISSUE_ROLES)
    ):
        actions.add("withdraw")
    if warning.state == State.APPROVED and roles & set(ISSUE_ROLES):
        actions.add("issue")
    if warning.state in ACTIVE_STATES and roles & COMMAND_ROLES:
        actions.add("adjust")
    if warning.state in ACTIVE_STATES and roles & set(lift_roles(warning)):
        actions.add("lift")
    if (
        warning.regional_source_id is not None
        and warning.responded_at is None
        and warning.state in ACTIVE_STATES
        and roles & {Role.COUNTY_OFFICER, *COMMAND_ROLES}
    ):
        actions.add("acknowledge")
    return actions
