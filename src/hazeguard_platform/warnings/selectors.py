"""Reading warnings, and who may see and act on them (STYLE.md §12)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import Http404

from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.accounts.permissions import (
    Actor,
    jurisdictions_of,
    require_visible,
    roles_of,
)
from hazeguard_platform.enterprises.models import EnterpriseContact
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.warnings.models import ACTIVE_STATES, PENDING_STATES, State, Warning

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


def notice_recipients(warning: Warning) -> list[AbstractBaseUser]:
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
    # A county's own list follows the regional warning like the city's (its tasks come from
    # lifecycle.regional_warning_cascade), so its enterprises hear the same notice.
    contacts = EnterpriseContact.objects.filter(
        models.Q(enterprise__jurisdiction=jurisdiction)
        | models.Q(enterprise__jurisdiction__parent=jurisdiction),
        enterprise__listed=True,
    ).values_list("user_id", flat=True)
    people = get_user_model().objects.filter(
        models.Q(pk__in=staff) | models.Q(pk__in=contacts), is_active=True
    )
    return list(people.order_by("pk"))


def allowed_actions(user: Actor, warning: Warning) -> set[str]:
    """Which actions ``user`` may take on ``warning`` now (for buttons; the services re-check)."""
    from hazeguard_platform.warnings.transitions import plan_facts

    if not isinstance(user, AbstractBaseUser):
        return set()
    roles = roles_of(user, warning.jurisdiction)
    approver = plan_facts(warning.plan_version).level(warning.level).approver or Role.COMMANDER
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
    from hazeguard_platform.warnings.services import lift_roles

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
