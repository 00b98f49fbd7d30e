"""Issuing, adjusting and lifting a warning, with everything that follows (STYLE.md §7, §24).

One path for every warning, the city's and each county warning (区域预警) its cascade begins or
ends: :func:`_respond` opens (or retargets) the member units' tasks (``operations``) and the
listed enterprises' tasks (``enterprises``); :func:`_stand_down` closes them. One notice per event
goes out for the warning acted on (``notices.routing``): it reaches the counties' officers, units,
enterprises and address books, each by its deadline, so a county warning sends none of its own.
All of it runs in the warning service's one transaction: the warning changes with its tasks and
notice, or nothing does.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard_platform.accounts.models import Membership
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.enterprises.services import enterprise_tasks_close, enterprise_tasks_open
from hazeguard_platform.evaluation.effect import effect_queue
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.acknowledgements import warning_acknowledged
from hazeguard_platform.notices.routing import step_notice_send, warning_notice_send
from hazeguard_platform.operations.services import response_tasks_close, response_tasks_open
from hazeguard_platform.response.processes import process_hand_over
from hazeguard_platform.warnings import chains
from hazeguard_platform.warnings.models import ACTIVE_STATES, CHAIN_STATES, State, Step, Warning
from hazeguard_platform.warnings.selectors import ISSUE_ROLES
from hazeguard_platform.warnings.services import (
    Changed,
    warning_mark_adjusted,
    warning_mark_issued,
    warning_mark_lifted,
    warning_mark_proposed,
    warning_mark_step,
)
from hazeguard_platform.warnings.services import warning_acknowledge as warnings_acknowledge


def _respond(warning: Warning, *, actor: Actor) -> None:
    """Give an issued warning's assignees their tasks for its level (the advisory notice has no
    measures: it is only told)."""
    if warning.level == "advisory":
        return
    process_hand_over(warning, actor=actor)  # a process below the warning level ends (002)
    response_tasks_open(warning=warning, actor=actor)  # member units, counties (operations)
    enterprise_tasks_open(warning=warning, actor=actor)  # the jurisdiction's own list


def _stand_down(warning: Warning, *, actor: Actor) -> None:
    """Close the tasks of a warning that ended (lifted, or its regional source lifted)."""
    response_tasks_close(warning=warning, actor=actor)  # the reports owed stay due
    enterprise_tasks_close(warning=warning, actor=actor)


def _issued(issued: Changed, *, actor: Actor) -> None:
    # The city first: a county leaves out the measures the city's response gives it.
    for warning in (issued.warning, *issued.regional):
        _respond(warning, actor=actor)
    event = "adjust" if issued.warning.supersedes_id is not None else "issue"
    warning_notice_send(issued.warning, event=event, actor=actor)
    ends_at = issued.warning.ends_at
    if ends_at is not None:
        from hazeguard_platform.response.tasks import lift_due_task

        warning_id = issued.warning.pk
        transaction.on_commit(lambda: lift_due_task.using(run_after=ends_at).enqueue(warning_id))


def _tell_next(changed: Changed, *, actor: Actor) -> None:
    """Tell whoever's step of the plan's chain is next that it waits for them (never those who
    took a step of it already); once approved, the command office that issues it."""
    warning = changed.warning
    lifting = warning.state not in (*CHAIN_STATES, State.APPROVED)
    action = "lift" if lifting else chains.proposal_action(warning)
    upcoming = chains.next_step(warning, action)
    acted = Step.objects.filter(warning=warning, action=action).values_list("actor_id", flat=True)
    if upcoming.step is not None:
        people = chains.people_for(warning, upcoming.step, exclude=[a for a in acted if a])
        step_notice_send(
            warning,
            action=action,
            kind=upcoming.step.kind,
            clause=upcoming.step.clause,
            people=people,
            actor=actor,
        )
    elif warning.state == State.APPROVED:
        office = Membership.objects.filter(
            jurisdiction=warning.jurisdiction, role__in=ISSUE_ROLES, user__is_active=True
        ).exclude(user=actor if isinstance(actor, User) else None)
        issuers = [m.user for m in office.select_related("user").order_by("user_id")]
        unique = list({user.pk: user for user in issuers}.values())
        step_notice_send(
            warning, action=action, kind="issue", clause="", people=unique, actor=actor
        )


def _lifted(lifted: Changed, *, actor: Actor) -> None:
    if not lifted.complete:
        _tell_next(lifted, actor=actor)
        return
    for warning in (lifted.warning, *lifted.regional):
        _stand_down(warning, actor=actor)
    warning_notice_send(lifted.warning, event="lift", actor=actor)
    # The episode's air-quality effect, estimated by the task worker once the lift commits.
    for warning in (lifted.warning, *lifted.regional):
        if warning.episode_id is not None:
            effect_queue(episode_id=warning.episode_id)


def warning_propose(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    level: str,
    forecast_id: int | None = None,
    consultation_id: int | None = None,
    reason: str = "",
    drill: bool = False,
    driver: str = "forecast",
) -> Warning:
    """Propose a warning (``warnings.services.warning_mark_proposed``) and tell whoever takes
    the plan's next step."""
    return warning_mark_proposed(
        actor=actor,
        jurisdiction=jurisdiction,
        level=level,
        forecast_id=forecast_id,
        consultation_id=consultation_id,
        reason=reason,
        drill=drill,
        driver=driver,
        then=partial(_tell_next, actor=actor),
    )


def warning_adjust(
    *,
    actor: Actor,
    warning_id: int,
    level: str,
    reason: str,
    forecast_id: int | None = None,
    consultation_id: int | None = None,
    driver: str = "forecast",
) -> Warning:
    """Propose a new level for the warning issued (``warnings.services.warning_mark_adjusted``)
    and tell whoever takes the plan's next step."""
    return warning_mark_adjusted(
        actor=actor,
        warning_id=warning_id,
        level=level,
        reason=reason,
        forecast_id=forecast_id,
        consultation_id=consultation_id,
        driver=driver,
        then=partial(_tell_next, actor=actor),
    )


def warning_review(*, actor: Actor, warning_id: int) -> Warning:
    """Review a proposal (审核) where the plan's chain asks for it; tell the next step."""
    return warning_mark_step(
        actor=actor, warning_id=warning_id, kind="review", then=partial(_tell_next, actor=actor)
    )


def warning_agree(*, actor: Actor, warning_id: int) -> Warning:
    """Agree to a proposal (同意) where the plan's chain asks for it; tell the next step."""
    return warning_mark_step(
        actor=actor, warning_id=warning_id, kind="agree", then=partial(_tell_next, actor=actor)
    )


def warning_approve(*, actor: Actor, warning_id: int) -> Warning:
    """Approve a proposal (批准): the chain's last step; tell the office that issues it."""
    return warning_mark_step(
        actor=actor, warning_id=warning_id, kind="approve", then=partial(_tell_next, actor=actor)
    )


def warning_issue(
    *,
    actor: Actor,
    warning_id: int,
    starts_at: datetime,
    short_lead_reason: str = "",
    ends_at: datetime | None = None,
) -> Warning:
    """Issue an approved warning (``warnings.services.warning_mark_issued``: roles, lead time,
    announced end, cascade), open the tasks of it and of every county warning it began, and send
    its notice (an adjustment when it replaces a warning), all in one transaction. With an
    announced end ``ends_at``, :func:`warning_lift_due` runs then (a task)."""
    return warning_mark_issued(
        actor=actor,
        warning_id=warning_id,
        starts_at=starts_at,
        short_lead_reason=short_lead_reason,
        ends_at=ends_at,
        then=partial(_issued, actor=actor),
    )


def warning_lift_due(*, warning_id: int) -> bool:
    """At a warning's announced end, tell whoever takes the first step of lifting it on
    schedule that it waits for them (Kashgar: the office director, who lifts it without further
    approval, "预警按期解除，不再另行报批，由指挥部办公室直接发布解除指令", 001 §3.7.2). Nothing
    (False) when the warning ended, its end has not come, or its lifting began already."""
    with transaction.atomic():
        # The row lock makes the task and the sweep tell the office once between them.
        warning = (
            Warning.objects.select_for_update()
            .filter(pk=warning_id)
            .select_related("jurisdiction")
            .first()
        )
        if (
            warning is None
            or warning.state not in ACTIVE_STATES
            or warning.ends_at is None
            or warning.ends_at > timezone.now()
            or warning.lift_due_told_at is not None
            or Step.objects.filter(warning=warning, action="lift").exists()
        ):
            return False
        warning.lift_due_told_at = timezone.now()
        warning.save(update_fields=["lift_due_told_at"])
        _tell_next(Changed(warning, [], complete=False), actor=None)
    return True


def lift_due_sweep() -> int:
    """Tell the office of every warning whose announced end has passed and nobody was told yet
    (the task at the end was never queued: a process died between the commit and ``on_commit``).
    Idempotent. Returns how many were told."""
    due = Warning.objects.filter(
        state__in=ACTIVE_STATES, ends_at__lte=timezone.now(), lift_due_told_at__isnull=True
    ).order_by("ends_at")
    return sum(warning_lift_due(warning_id=pk) for pk in due.values_list("pk", flat=True))


def warning_lift(*, actor: Actor, warning_id: int, reason: str = "") -> Warning:
    """Take the next step of lifting a warning (``warnings.services.warning_mark_lifted``: the
    plan's lifting chain, the episode, the county warnings that end with it): tell the next
    step's people, or, on the last step, close its tasks and theirs and send the lifting notice,
    all in one transaction."""
    return warning_mark_lifted(
        actor=actor, warning_id=warning_id, reason=reason, then=partial(_lifted, actor=actor)
    )


def warning_acknowledge(*, actor: Actor, warning_id: int) -> Warning:
    """A county confirms its regional warning on the county's page
    (``warnings.services.warning_acknowledge``): the same fact as the officer's inbox button,
    so the officer's copies of the warning's notice are acknowledged with it
    (``notices.acknowledgements``)."""
    with transaction.atomic():
        warning = warnings_acknowledge(actor=actor, warning_id=warning_id)
        if isinstance(actor, User):
            warning_acknowledged(user=actor, warning=warning, via="county")
    return warning
