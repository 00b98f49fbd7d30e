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
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.models import COMMAND_ROLES, Role
from hazeguard_platform.accounts.permissions import Actor, refuse, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.forecasts.services import engine_decision, order_decision
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.warnings import chains, lifecycle
from hazeguard_platform.warnings.lead import checked_start
from hazeguard_platform.warnings.models import (
    ACTIVE_STATES,
    CHAIN_STATES,
    PENDING_STATES,
    EndReason,
    State,
    Step,
    Warning,
)
from hazeguard_platform.warnings.selectors import (
    ISSUE_ROLES,
    active_warning,
    pending_proposal,
    proposable_levels,
)
from hazeguard_platform.warnings.transitions import expect, load, lock, plan_facts, transition

# What a warning may be driven by (``Warning.driver``): the plan's lead-time exemptions name the
# drivers that start at once (Kashgar 001 §3.5: observations, a higher jurisdiction's floor).
DRIVERS = ("forecast", "observed", "regional_floor")


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
    drill: bool = False,
    driver: str = "forecast",
) -> Warning:
    version = plan_version_for(jurisdiction)
    if version is None:
        raise ConflictError(f"{jurisdiction.code} has no plan imported")
    facts = plan_facts(version)
    flow = chains.workflow(version)
    levels = proposable_levels(version)
    if level not in levels:
        raise InvalidInputError(
            _("%(level)s is not a level of plan %(plan)s: choose one of %(levels)s.")
            % {"level": level, "plan": version.plan_id, "levels": ", ".join(levels)},
            field="level",
        )
    advisory = level == "advisory"
    if driver not in DRIVERS:
        raise InvalidInputError(f"{driver!r} is not one of {', '.join(DRIVERS)}", field="driver")
    if drill and not flow.drills.applies:
        raise InvalidInputError(
            f"plan {version.plan_id} provides for no drill: {flow.drills.note}", field="drill"
        )
    forecast, consultation = _basis(jurisdiction, forecast_id, consultation_id)
    now = timezone.now()
    decision = (
        engine_decision(jurisdiction, version.snapshot, forecast, now, drill=drill)
        if forecast is not None
        else None
    )
    if decision is None and driver == "regional_floor" and flow.follows_parent_order.applies:
        # Acting on the parent's order (Xigang on Dalian's, 000 §3.2.1): the order is the level.
        decision = order_decision(jurisdiction, version.snapshot, level, now, drill=drill)
    try:
        with transaction.atomic():
            warning = Warning.objects.create(
                jurisdiction=jurisdiction,
                level=level,
                response="" if advisory else facts.level(level).response,
                plan_version=version,
                forecast=forecast,
                consultation=consultation,
                decision=decision,
                reason=reason,
                drill=drill,
                driver=driver,
                proposed_by=actor if isinstance(actor, User) else None,
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
            _record_proposing(actor, warning, now)
    except IntegrityError:
        # The partial unique index "one_proposal_pending": someone proposed at the same moment.
        raise ConflictError(
            _("%(place)s already has a proposal pending: open it below.")
            % {"place": jurisdiction.name_zh}
        ) from None
    return warning


def _record_proposing(actor: Actor, warning: Warning, now: datetime) -> None:
    """The proposal is the chain's first step where the plan names a proposer (001 §3.5)."""
    chain = chains.chain_of(warning, chains.proposal_action(warning))
    first = chain.next_step(0)
    if first is None or first.kind != "propose":
        return
    held = chains.standing(actor, warning, first)
    Step.objects.create(
        warning=warning,
        action=chains.proposal_action(warning),
        position=0,
        kind="propose",
        role=held.role if held else "command_office",
        clause=first.clause,
        actor=actor if isinstance(actor, User) else None,
        acted_at=now,
    )


Then = Callable[["Changed"], None]


def warning_mark_proposed(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    level: str,
    forecast_id: int | None = None,
    consultation_id: int | None = None,
    reason: str = "",
    drill: bool = False,
    driver: str = "forecast",
    then: Then,
) -> Warning:
    """Propose issuing a warning at ``level`` (or the advisory notice, where the plan has one),
    on a forecast and/or consultation; ``drill`` marks an exercise (演练) where the plan provides
    for drills; ``driver`` is what it rests on (a forecast; observations or a higher
    jurisdiction's floor start at once where the plan says so). The warnings' part of
    ``response.services.warning_propose``.

    Stores the plan version and the forecast it was decided on, and the engine's decision on them.
    """
    require_role(actor, jurisdiction, COMMAND_ROLES, action="warning.propose")
    if active_warning(jurisdiction) is not None:
        raise ConflictError(
            _("%(place)s has a warning issued: adjust it on its page instead.")
            % {"place": jurisdiction.name_zh}
        )
    if pending_proposal(jurisdiction) is not None:
        raise ConflictError(
            _("%(place)s already has a proposal pending: open it below.")
            % {"place": jurisdiction.name_zh}
        )
    with transaction.atomic():
        warning = _create_proposal(
            actor=actor,
            jurisdiction=jurisdiction,
            level=level,
            forecast_id=forecast_id,
            consultation_id=consultation_id,
            reason=reason,
            supersedes=None,
            drill=drill,
            driver=driver,
        )
        then(Changed(warning, []))
    return warning


def warning_mark_adjusted(
    *,
    actor: Actor,
    warning_id: int,
    level: str,
    reason: str,
    forecast_id: int | None = None,
    consultation_id: int | None = None,
    driver: str = "forecast",
    then: Then,
) -> Warning:
    """Propose a new level (upgrade or downgrade) for the warning issued; it needs its own
    approval by the chain of the higher of the two levels (001 §3.7.1), then issue. An
    adjustment of a drill is a drill. The warnings' part of ``response.services.warning_adjust``."""
    current = load(warning_id)
    require_role(actor, current.jurisdiction, COMMAND_ROLES, action="warning.adjust", obj=current)
    expect(current, *ACTIVE_STATES, action="adjust")
    if level == current.level:
        raise InvalidInputError(f"the warning is already {level}", field="level")
    if not reason.strip():
        raise InvalidInputError("an adjustment states its reason", field="reason")
    if pending_proposal(current.jurisdiction) is not None:
        raise ConflictError(f"{current.jurisdiction.code} already has a proposal pending")
    with transaction.atomic():
        warning = _create_proposal(
            actor=actor,
            jurisdiction=current.jurisdiction,
            level=level,
            forecast_id=forecast_id,
            consultation_id=consultation_id,
            reason=reason,
            supersedes=current,
            drill=current.drill,
            driver=driver,
        )
        then(Changed(warning, []))
    return warning


def _step_or_refuse(actor: Actor, warning: Warning, action: str, verb: str) -> chains.Next:
    """The chain's next step if ``actor`` may take it now; else a refusal (audited) that names
    who may, with the clause."""
    upcoming = chains.next_step(warning, action)
    step = upcoming.step
    if step is None:
        if upcoming.chain.silent and not upcoming.chain.steps:
            raise refuse(
                actor,
                action=verb,
                obj=warning,
                message=f"the plan names nobody: {upcoming.chain.note}",
            )
        raise ConflictError(f"the {action} chain of warning {warning.pk} is complete")
    if not chains.may_take(actor, warning, action, step):
        taken = Step.objects.filter(
            warning=warning, action=action, actor_id=getattr(actor, "pk", None)
        ).exists()
        message = (
            "nobody takes two steps of one chain (nobody approves their own proposal)"
            if taken
            else f"the next step is {step.kind} by {chains.role_words(step)} ({step.clause})"
        )
        raise refuse(actor, action=verb, obj=warning, message=message)
    return upcoming


def _take(actor: Actor, warning: Warning, action: str, upcoming: chains.Next, note: str) -> Step:
    assert upcoming.step is not None
    held = chains.standing(actor, warning, upcoming.step)
    assert held is not None
    return Step.objects.create(
        warning=warning,
        action=action,
        position=upcoming.position,
        kind=upcoming.step.kind,
        role=held.role,
        acts_for=held.acts_for,
        clause=held.clause or upcoming.step.clause,
        actor=actor if isinstance(actor, User) else None,
        note=note,
    )


def warning_mark_step(*, actor: Actor, warning_id: int, kind: str, then: Then) -> Warning:
    """Take the next step of a proposal's approval chain: ``review`` (审核), ``agree`` (同意) or
    ``approve`` (批准), only by the role the plan names for it at this level (or its delegate),
    never by someone who took a step of the chain already. The warnings' part of
    ``response.services.warning_review`` / ``warning_agree`` / ``warning_approve``."""
    warning = load(warning_id)
    expect(warning, *CHAIN_STATES, action=kind)
    action = chains.proposal_action(warning)
    verb = f"warning.{kind}"
    chain = chains.chain_of(warning, action)
    wanted = chain.step(kind)  # type: ignore[arg-type]
    if wanted is not None and chains.standing(actor, warning, wanted) is None:
        raise refuse(
            actor,
            action=verb,
            obj=warning,
            message=f"{kind} is for {chains.role_words(wanted)} ({wanted.clause})",
        )
    if Step.objects.filter(
        warning=warning, action=action, actor_id=getattr(actor, "pk", None)
    ).exists():
        raise refuse(
            actor,
            action=verb,
            obj=warning,
            message="nobody takes two steps of one chain (nobody approves their own proposal)",
        )
    following = chains.next_step(warning, action).step
    if following is not None and following.kind != kind:
        raise ConflictError(
            f"warning {warning.pk}: the next step is {following.kind} by "
            f"{chains.role_words(following)} ({following.clause}), not {kind}"
        )
    upcoming = _step_or_refuse(actor, warning, action, verb)
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, *CHAIN_STATES, action=kind)
        step = _take(actor, warning, action, upcoming, "")
        changes: dict[str, object] = {}
        if kind == "approve":
            changes = {"approved_by": actor, "approved_at": step.acted_at}
        warning = transition(
            warning,
            actor=actor,
            action=verb,
            to=chains.STATE_AFTER[kind],
            message=f"{step.role}"
            + (f" for {step.acts_for} ({step.clause})" if step.acts_for else ""),
            **changes,
        )
        then(Changed(warning, []))
    return warning


def warning_reject(*, actor: Actor, warning_id: int, reason: str) -> Warning:
    """Turn a proposal down, with the reason: anyone whose step of the plan's chain is still to
    come (the commander need not wait for the review to refuse a red)."""
    warning = load(warning_id)
    if not chains.may_decide(actor, warning, chains.proposal_action(warning)):
        raise refuse(
            actor,
            action="warning.reject",
            obj=warning,
            message="only someone with a step of the plan's chain still to take rejects",
        )
    if not reason.strip():
        raise InvalidInputError("a rejection states its reason", field="reason")
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, *CHAIN_STATES, action="reject")
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


@dataclass(frozen=True)
class Changed:
    """A warning issued or ended, and the county warnings (区域预警) that began or ended with it,
    at any depth, each before its own children."""

    warning: Warning
    regional: list[Warning]
    # False: a step of a chain was taken and the next one waits for someone.
    complete: bool = True


def warning_mark_issued(
    *,
    actor: Actor,
    warning_id: int,
    starts_at: datetime,
    short_lead_reason: str = "",
    ends_at: datetime | None = None,
    then: Then,
) -> Warning:
    """Issue an approved warning to start at ``starts_at`` (the warnings' part of
    ``response.services.warning_issue``, which calls it inside its transaction).

    Below the plan's usual lead time a reason is required; below its minimum the start is refused.
    ``ends_at`` is the end announced with it (the forecast episode's end), after the start: from
    then on it lifts on schedule, by the plan's procedure for that (001 §3.7.2). Child
    jurisdictions get their regional warning; the warning starts at ``starts_at`` (at once when
    that is now), ending the warning it adjusts.
    """
    warning = load(warning_id)
    require_role(actor, warning.jurisdiction, ISSUE_ROLES, action="warning.issue", obj=warning)
    now = timezone.now()
    start, lead = checked_start(warning, starts_at, short_lead_reason, now)
    if ends_at is not None and (timezone.is_naive(ends_at) or ends_at <= start):
        raise InvalidInputError(
            "the announced end needs its time zone and must come after the start "
            f"({timezone.localtime(start):%Y-%m-%d %H:%M})",
            field="ends_at",
        )
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
                ends_at=ends_at,
                short_lead_reason=short_lead_reason,
                lead=lead.status,
                lead_clause=lead.clause,
                message=short_lead_reason,
            )
            lifecycle.schedule_or_start(warning, now=now)
            # The advisory notice is the city's own information: no county warning follows it.
            advisory = warning.level == "advisory"
            regional = [] if advisory else lifecycle.regional_warning_cascade(warning=warning)
            then(Changed(warning, regional))
    except IntegrityError:
        # A partial unique index: another warning of the jurisdiction was issued at the same moment.
        raise ConflictError(f"{warning.jurisdiction.code} has a warning waiting to start") from None
    warning.refresh_from_db()
    return warning


def warning_mark_lifted(*, actor: Actor, warning_id: int, reason: str, then: Then) -> Warning:
    """Take the next step of lifting a warning, by the plan's lifting chain ("各级别的预警按照发布
    程序予以解除", 003 §3.3.2; 001 §3.7.1): the first step proposes the lifting with its reason;
    the last one lifts. From the announced end (``ends_at``) the chain is the plan's lifting on
    schedule (Kashgar: the office director alone, 001 §3.7.2) and the end is the reason. Then the
    episode closes and the child warnings that came from it are lifted too. The warnings' part of
    ``response.services.warning_lift``; ``then`` learns the step taken (``Changed.complete``
    False) or the lifting (True)."""
    warning = load(warning_id)
    upcoming = _step_or_refuse(actor, warning, "lift", "warning.lift")
    assert upcoming.step is not None
    first = upcoming.position == 0
    if first and not reason.strip():
        if not chains.lifts_on_schedule(warning):
            raise InvalidInputError("lifting states its reason", field="reason")
        # At the announced end the end itself is the reason (001 §3.7.2).
        reason = f"按期解除 lifted on schedule ({upcoming.step.clause})"
    with transaction.atomic():
        warning = lock(warning_id)
        expect(warning, *ACTIVE_STATES, action="lift")
        step = _take(actor, warning, "lift", upcoming, reason)
        if upcoming.chain.next_step(upcoming.position + 1) is not None:
            audit_record(
                actor=actor,
                action=f"warning.lift.{step.kind}",
                obj=warning,
                after={"step": step.position, "kind": step.kind, "role": step.role},
                message=reason,
            )
            then(Changed(warning, [], complete=False))
            return warning
        # The lifting's reason is its proposal's (a one-step chain: this step's).
        note = Step.objects.get(warning=warning, action="lift", position=0).note
        regional = lifecycle.end(warning, actor=actor, reason=EndReason.LIFTED, note=note)
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
