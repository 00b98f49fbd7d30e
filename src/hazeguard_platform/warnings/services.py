"""Every change to a warning (STYLE.md §7): propose → approve → issue → in force → adjust → lift.

Each service checks the actor's role first (a refusal is audited and raises ``ForbiddenError``),
then does the whole change in one ``transaction.atomic()``: the guarded transition, its audit
record, and the tasks queued on commit.

Issuing and lifting change more than the warning: tasks, enterprise tasks and notices follow.
Those two go through ``hazeguard_platform.response.services`` (``warning_issue``,
``warning_lift``), which calls :func:`warning_mark_issued` and :func:`warning_mark_lifted` here
with ``then``: what the apps that act on the warning do, run inside the same transaction (a
refusal, checked before it, stays in the audit log). This app imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.models import COMMAND_ROLES, Role
from hazeguard_platform.accounts.permissions import Actor, refuse, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.forecasts.services import engine_decision
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.warnings import lifecycle
from hazeguard_platform.warnings.models import (
    ACTIVE_STATES,
    PENDING_STATES,
    EndReason,
    State,
    Warning,
)
from hazeguard_platform.warnings.selectors import (
    ISSUE_ROLES,
    active_warning,
    approver_role,
    lift_roles,
    pending_proposal,
)
from hazeguard_platform.warnings.transitions import expect, load, lock, plan_facts, transition

# A start time entered as "now" arrives a moment late; within this it counts as now.
NOW_TOLERANCE = timedelta(minutes=5)


def _basis(
    jurisdiction: Jurisdiction, forecast_id: int | None, consultation_id: int | None
) -> tuple[Forecast | None, Consultation | None]:
    consultation = None
    if consultation_id is not None:
        consultation = Consultation.objects.filter(
            pk=consultation_id, jurisdiction=jurisdiction
        ).first()
        if consultation is None:
            raise InvalidInputError(
                f"no consultation {consultation_id} of {jurisdiction.code}", field="consultation_id"
            )
    forecast = None
    if forecast_id is not None:
        forecast = Forecast.objects.filter(pk=forecast_id, jurisdiction=jurisdiction).first()
        if forecast is None:
            raise InvalidInputError(
                f"no forecast {forecast_id} of {jurisdiction.code}", field="forecast_id"
            )
    elif consultation is not None:
        forecast = consultation.basis
    return forecast, consultation


def _create_proposal(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    level: str,
    forecast_id: int | None,
    consultation_id: int | None,
    reason: str,
    supersedes: Warning | None,
) -> Warning:
    version = plan_version_for(jurisdiction)
    if version is None:
        raise ConflictError(f"{jurisdiction.code} has no plan imported")
    facts = plan_facts(version)
    if level not in facts.level_names:
        raise InvalidInputError(
            f"{level!r} is not a level of plan {version.plan_id}: {', '.join(facts.level_names)}",
            field="level",
        )
    forecast, consultation = _basis(jurisdiction, forecast_id, consultation_id)
    now = timezone.now()
    decision = (
        engine_decision(jurisdiction, version.snapshot, forecast, now)
        if forecast is not None
        else None
    )
    try:
        with transaction.atomic():
            warning = Warning.objects.create(
                jurisdiction=jurisdiction,
                level=level,
                response=facts.level(level).response,
                plan_version=version,
                forecast=forecast,
                consultation=consultation,
                decision=decision,
                reason=reason,
                proposed_by=actor if isinstance(actor, AbstractBaseUser) else None,
                proposed_at=now,
                supersedes=supersedes,
            )
            audit_record(
                actor=actor,
                action="warning.adjust" if supersedes else "warning.propose",
                obj=warning,
                after=warning.snapshot(),
                message=reason,
            )
    except IntegrityError:
        # The partial unique index "one_proposal_pending": someone proposed at the same moment.
        raise ConflictError(f"{jurisdiction.code} already has a proposal pending") from None
    return warning


def warning_propose(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    level: str,
    forecast_id: int | None = None,
    consultation_id: int | None = None,
    reason: str = "",
) -> Warning:
    """Propose issuing a warning at ``level``, on a forecast and/or consultation.

    Stores the plan version and the forecast it was decided on, and the engine's decision on them.
    """
    require_role(actor, jurisdiction, COMMAND_ROLES, action="warning.propose")
    if active_warning(jurisdiction) is not None:
        raise ConflictError(f"{jurisdiction.code} has a warning issued: adjust it instead")
    if pending_proposal(jurisdiction) is not None:
        raise ConflictError(f"{jurisdiction.code} already has a proposal pending")
    return _create_proposal(
        actor=actor,
        jurisdiction=jurisdiction,
        level=level,
        forecast_id=forecast_id,
        consultation_id=consultation_id,
        reason=reason,
        supersedes=None,
    )


def warning_adjust(
    *,
    actor: Actor,
    warning_id: int,
    level: str,
    reason: str,
    forecast_id: int | None = None,
    consultation_id: int | None = None,
) -> Warning:
    """Propose a new level (upgrade or downgrade) for the warning issued; it needs its own
    approval by the role the plan names for the new level, then issue."""
    current = load(warning_id)
    require_role(actor, current.jurisdiction, COMMAND_ROLES, action="warning.adjust", obj=current)
    expect(current, *ACTIVE_STATES, action="adjust")
    if level == current.level:
        raise InvalidInputError(f"the warning is already {level}", field="level")
    if not reason.strip():
        raise InvalidInputError("an adjustment states its reason", field="reason")
    if pending_proposal(current.jurisdiction) is not None:
        raise ConflictError(f"{current.jurisdiction.code} already has a proposal pending")
    return _create_proposal(
        actor=actor,
        jurisdiction=current.jurisdiction,
        level=level,
        forecast_id=forecast_id,
        consultation_id=consultation_id,
        reason=reason,
        supersedes=current,
    )


def _require_approver(actor: Actor, warning: Warning, action: str) -> None:
    require_role(actor, warning.jurisdiction, [approver_role(warning)], action=action, obj=warning)
    if warning.proposed_by_id is not None and warning.proposed_by_id == getattr(actor, "pk", None):
        raise refuse(
            actor, action=action, obj=warning, message="nobody approves their own proposal"
        )


def warning_approve(*, actor: Actor, warning_id: int) -> Warning:
    """Approve a proposal: only the role the plan names for its level, never the proposer."""
    warning = load(warning_id)
    _require_approver(actor, warning, "warning.approve")
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, State.PROPOSED, action="approve")
        return transition(
            warning,
            actor=actor,
            action="warning.approve",
            to=State.APPROVED,
            approved_by=actor,
            approved_at=timezone.now(),
        )


def warning_reject(*, actor: Actor, warning_id: int, reason: str) -> Warning:
    """Turn a proposal down (same role as approving), with the reason."""
    warning = load(warning_id)
    _require_approver(actor, warning, "warning.reject")
    if not reason.strip():
        raise InvalidInputError("a rejection states its reason", field="reason")
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, State.PROPOSED, action="reject")
        return transition(
            warning,
            actor=actor,
            action="warning.reject",
            to=State.REJECTED,
            ended_at=timezone.now(),
            end_note=reason,
            message=reason,
        )


def warning_withdraw(*, actor: Actor, warning_id: int, reason: str = "") -> Warning:
    """Withdraw a proposal before issue: its proposer, or the command office."""
    warning = load(warning_id)
    own = warning.proposed_by_id is not None and warning.proposed_by_id == getattr(
        actor, "pk", None
    )
    # The proposer withdraws while still on the command; anyone else must be the office.
    roles = COMMAND_ROLES if own else ISSUE_ROLES
    require_role(actor, warning.jurisdiction, roles, action="warning.withdraw", obj=warning)
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, *PENDING_STATES, action="withdraw")
        return transition(
            warning,
            actor=actor,
            action="warning.withdraw",
            to=State.WITHDRAWN,
            ended_at=timezone.now(),
            end_note=reason,
            message=reason,
        )


def _checked_start(warning: Warning, starts_at: datetime, reason: str, now: datetime) -> datetime:
    """The start time if the plan's lead time allows it (clauses in the plan's ``lead_time``)."""
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise InvalidInputError("a start time with its time zone is required", field="starts_at")
    facts = plan_facts(warning.plan_version)
    lead = starts_at - now
    downgrade = warning.supersedes is not None and core.level_rank(warning.level) < core.level_rank(
        warning.supersedes.level
    )
    # A downgrade relaxes measures, so nobody needs time to prepare for it: it may start at once.
    floor = facts.minimum_lead if facts.minimum_lead is not None and not downgrade else None
    if floor is None or floor == timedelta(0):
        if lead < -NOW_TOLERANCE:
            raise InvalidInputError("the start time is in the past", field="starts_at")
    elif lead < floor:
        raise InvalidInputError(
            f"the start is {_hours(lead)} h after issue, below the plan's minimum lead time of "
            f"{_hours(floor)} h ({facts.lead_clause})",
            field="starts_at",
        )
    usual = None if downgrade else facts.usual_lead
    if usual is not None and lead < usual and not reason.strip():
        raise InvalidInputError(
            f"the start is {_hours(lead)} h after issue, below the usual lead time of "
            f"{_hours(usual)} h ({facts.lead_clause}): state the reason",
            field="short_lead_reason",
        )
    return max(starts_at, now)


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:g}"


@dataclass(frozen=True)
class Changed:
    """A warning issued or ended, and the county warnings (区域预警) that began or ended with it,
    at any depth, each before its own children."""

    warning: Warning
    regional: list[Warning]


def warning_mark_issued(
    *,
    actor: Actor,
    warning_id: int,
    starts_at: datetime,
    short_lead_reason: str = "",
    then: Callable[[Changed], None],
) -> Warning:
    """Issue an approved warning to start at ``starts_at`` (the warnings' part of
    ``response.services.warning_issue``, which calls it inside its transaction).

    Below the plan's usual lead time a reason is required; below its minimum the start is refused.
    Child jurisdictions get their regional warning; the warning starts at ``starts_at`` (at once
    when that is now), ending the warning it adjusts.
    """
    warning = load(warning_id)
    require_role(actor, warning.jurisdiction, ISSUE_ROLES, action="warning.issue", obj=warning)
    now = timezone.now()
    start = _checked_start(warning, starts_at, short_lead_reason, now)
    try:
        with transaction.atomic():
            warning = lock(warning_id)
            expect(warning, State.APPROVED, action="issue")
            waiting = Warning.objects.filter(jurisdiction=warning.jurisdiction, state=State.ISSUED)
            if waiting.exists():
                raise ConflictError(f"{warning.jurisdiction.code} has a warning waiting to start")
            current = active_warning(warning.jurisdiction)
            if current is not None and warning.supersedes_id != current.pk:
                raise ConflictError(
                    f"{warning.jurisdiction.code} has warning {current.pk} in force: adjust it"
                )
            warning = transition(
                warning,
                actor=actor,
                action="warning.issue",
                to=State.ISSUED,
                issued_by=actor,
                issued_at=now,
                starts_at=start,
                short_lead_reason=short_lead_reason,
                message=short_lead_reason,
            )
            lifecycle.schedule_or_start(warning, now=now)
            regional = lifecycle.regional_warning_cascade(warning=warning)
            then(Changed(warning, regional))
    except IntegrityError:
        # A partial unique index: another warning of the jurisdiction was issued at the same moment.
        raise ConflictError(f"{warning.jurisdiction.code} has a warning waiting to start") from None
    warning.refresh_from_db()
    return warning


def warning_mark_lifted(
    *, actor: Actor, warning_id: int, reason: str, then: Callable[[Changed], None]
) -> Warning:
    """Lift a warning (see :func:`~hazeguard_platform.warnings.selectors.lift_roles`): the
    episode closes and the child warnings that came from it are lifted too (the warnings' part
    of ``response.services.warning_lift``, which calls it inside its transaction)."""
    warning = load(warning_id)
    require_role(
        actor, warning.jurisdiction, lift_roles(warning), action="warning.lift", obj=warning
    )
    if not reason.strip():
        raise InvalidInputError("lifting states its reason", field="reason")
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, *ACTIVE_STATES, action="lift")
        regional = lifecycle.end(warning, actor=actor, reason=EndReason.LIFTED, note=reason)
        then(Changed(warning, regional))
    warning.refresh_from_db()
    return warning


def warning_acknowledge(*, actor: Actor, warning_id: int) -> Warning:
    """A child jurisdiction confirms it received its regional warning and responded."""
    warning = load(warning_id)
    require_role(
        actor,
        warning.jurisdiction,
        [Role.COUNTY_OFFICER, *COMMAND_ROLES],
        action="warning.acknowledge",
        obj=warning,
    )
    if warning.regional_source_id is None:
        raise ConflictError(f"warning {warning.pk} is not a regional warning")
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, *ACTIVE_STATES, action="acknowledge")
        if warning.responded_at is not None:
            raise ConflictError(f"warning {warning.pk} was acknowledged already")
        return transition(
            warning,
            actor=actor,
            action="warning.acknowledge",
            responded_at=timezone.now(),
            responded_by=actor,
        )


# Re-exported so views and the API find the warning services here.
warning_start = lifecycle.warning_start
response_overdue_mark = lifecycle.response_overdue_mark
