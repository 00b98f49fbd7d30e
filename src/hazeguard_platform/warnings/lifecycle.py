"""What happens to warnings as time passes and as regional warnings flow down the tree.

Called from the warning services and tasks, always inside their transaction. Only warnings
change here: what the other apps do about a warning issued or ended (tasks, notices) is the
response's (``hazeguard_platform.response``), which is told which county warnings began or
ended with it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.warnings.chains import workflow
from hazeguard_platform.warnings.models import (
    ACTIVE_STATES,
    PENDING_STATES,
    EndReason,
    Episode,
    State,
    Warning,
)
from hazeguard_platform.warnings.transitions import expect, lock, plan_facts, transition


def schedule_or_start(warning: Warning, *, now: datetime) -> None:
    """Start an issued warning now if its time has come, else queue the task that will."""
    if warning.starts_at is not None and warning.starts_at <= now:
        warning_start(warning_id=warning.pk)
        return
    from hazeguard_platform.warnings.tasks import warning_start_task

    warning_id, run_after = warning.pk, warning.starts_at
    transaction.on_commit(lambda: warning_start_task.using(run_after=run_after).enqueue(warning_id))


def _episode_for(warning: Warning, current: Warning | None) -> Episode:
    """The episode the starting warning belongs to: that of the warning it replaces, else the last
    one if it ended less than the plan's merging gap ago (e.g. 36 h, seed 003 §3.3.2), else new."""
    start = warning.starts_at or timezone.now()
    if current is not None and current.episode_id is not None:
        return Episode.objects.get(pk=current.episode_id)
    # The core's merge rule; a plan without one merges nothing (its file says so).
    gap = workflow(warning.plan_version).merging.gap
    last = (
        Episode.objects.filter(jurisdiction=warning.jurisdiction, drill=warning.drill)
        .order_by("-started_at")
        .first()
    )
    if last is not None and (
        last.ended_at is None or (gap is not None and start - last.ended_at < gap)
    ):
        Episode.objects.filter(pk=last.pk).update(ended_at=None)
        return last
    return Episode.objects.create(
        jurisdiction=warning.jurisdiction, started_at=start, drill=warning.drill
    )


def warning_start(*, warning_id: int) -> Warning | None:
    """Put an issued warning in force once its start time has come (idempotent: a warning not
    issued, or not yet due, is left alone and ``None`` returned). Ends the warning it replaces."""
    with transaction.atomic():
        warning = lock(warning_id)
        if warning.state != State.ISSUED or (warning.starts_at or timezone.now()) > timezone.now():
            return None
        current = Warning.objects.filter(
            jurisdiction=warning.jurisdiction, state=State.IN_FORCE
        ).first()
        episode = _episode_for(warning, current)
        if current is not None:
            transition(
                lock(current.pk),
                actor=None,
                action="warning.end",
                to=State.ENDED,
                ended_at=warning.starts_at,
                end_reason=EndReason.ADJUSTED,
                message=f"replaced by warning {warning.pk} ({warning.level})",
            )
        return transition(
            warning, actor=None, action="warning.start", to=State.IN_FORCE, episode=episode
        )


def _chain(warning: Warning) -> list[int]:
    """The warning and every warning it replaced, newest first (one regional warning's history)."""
    ids = [warning.pk]
    node = warning
    while node.supersedes_id is not None:
        ids.append(node.supersedes_id)
        node = Warning.objects.only("supersedes_id").get(pk=node.supersedes_id)
    return ids


def end(warning: Warning, *, actor: Actor, reason: EndReason, note: str) -> list[Warning]:
    """End a warning that was issued (lifting it, or because its regional source was lifted):
    close its episode and end the child warnings it caused. Returns the county warnings that
    ended with it, at any depth, each before its own children."""
    now = timezone.now()
    was_in_force = warning.state == State.IN_FORCE
    transition(
        warning,
        actor=actor,
        action="warning.lift" if reason == EndReason.LIFTED else "warning.end",
        to=State.ENDED,
        ended_by=actor,
        ended_at=now,
        end_reason=reason,
        end_note=note,
        message=note,
    )
    if was_in_force and warning.episode_id is not None:
        Episode.objects.filter(pk=warning.episode_id).update(ended_at=now)
    # An adjustment of this warning still on its way has nothing left to adjust. (A regional
    # warning waiting to replace it is the parent's order and stays.)
    follow_ups = Warning.objects.filter(
        supersedes=warning, regional_source__isnull=True, state__in=(*PENDING_STATES, State.ISSUED)
    )
    for follow_up_id in follow_ups.values_list("pk", flat=True):
        pending = lock(follow_up_id)
        if pending.state == State.ISSUED:
            end(pending, actor=actor, reason=reason, note=f"warning {warning.pk} ended: {note}")
        else:
            transition(
                pending,
                actor=actor,
                action="warning.withdraw",
                to=State.WITHDRAWN,
                ended_at=now,
                end_note=f"warning {warning.pk} ended: {note}",
            )
    children = Warning.objects.filter(
        regional_source_id__in=_chain(warning), state__in=ACTIVE_STATES
    )
    ended: list[Warning] = []
    for child_id in children.values_list("pk", flat=True):
        child = lock(child_id)
        below = end(
            child,
            actor=actor,
            reason=EndReason.REGIONAL_LIFTED,
            note=f"regional warning {warning.pk} ended: {note}",
        )
        ended += [child, *below]
    return ended


def regional_warning_cascade(*, warning: Warning) -> list[Warning]:
    """Give every child jurisdiction a warning at least at the level of ``warning`` (区域预警).

    A child already at that level or above by its own warning (in force, or issued to start) is
    left alone. A child warning that came from the warning ``warning`` adjusts follows it, down as
    well as up: it was the parent's order, not the county's. Each new child warning starts with
    the parent's, takes the child's own plan version (or its parent's), must be acknowledged by
    ``respond_by``: the parent plan's county notice deadline after issue (Liaocheng: 3 h, seed
    003).

    Returns the county warnings created, at any depth, each before its own children: the
    response gives each its tasks like any issued warning (``hazeguard_platform.response``).
    """
    facts = plan_facts(warning.plan_version)
    respond_by = (
        warning.issued_at + facts.county_notice
        if warning.issued_at is not None and facts.county_notice is not None
        else None
    )
    created: list[Warning] = []
    # The child warnings of the warnings this one adjusts: they follow the parent's new level.
    ordered = set(_chain(warning)) - {warning.pk}
    for child in warning.jurisdiction.children.order_by("code"):
        issued = list(Warning.objects.filter(jurisdiction=child, state__in=ACTIVE_STATES))
        if any(w.drill != warning.drill for w in issued):
            continue  # a drill never replaces a real warning, nor a real one a drill's
        if any(
            core.rank(w.level) >= core.rank(warning.level) and w.regional_source_id not in ordered
            for w in issued
        ):
            continue
        version = plan_version_for(child)
        if version is None:
            continue
        child_facts = plan_facts(version)
        # The child's plan may lack the level (a plan without blue): take its lowest level above.
        level = next(
            (
                name
                for name in child_facts.level_names
                if core.rank(name) >= core.rank(warning.level)
            ),
            None,
        )
        if level is None or any(w.level == level for w in issued if w.state == State.IN_FORCE):
            continue  # no level for it, or the parent's earlier order is already at this level
        for waiting in (w for w in issued if w.state == State.ISSUED):
            # A lower child warning still waiting to start is overtaken by the regional one.
            end(waiting, actor=None, reason=EndReason.ADJUSTED, note=f"overtaken by {warning.pk}")
        in_force = next((w for w in issued if w.state == State.IN_FORCE), None)
        child_warning = Warning.objects.create(
            jurisdiction=child,
            level=level,
            response=child_facts.level(level).response,
            state=State.ISSUED,
            plan_version=version,
            forecast=warning.forecast,
            decision=warning.decision,
            reason=(
                f"执行{warning.jurisdiction.name_zh}区域预警（第{warning.pk}号） "
                f"regional warning {warning.pk} of {warning.jurisdiction.code}"
            ),
            proposed_at=warning.issued_at or timezone.now(),
            issued_at=warning.issued_at,
            starts_at=warning.starts_at,
            drill=warning.drill,
            driver="regional_floor",
            lead=warning.lead,
            lead_clause=warning.lead_clause,
            supersedes=in_force,
            regional_source=warning,
            respond_by=respond_by,
        )
        audit_record(
            actor=None,
            action="warning.regional",
            obj=child_warning,
            after=child_warning.snapshot(),
            message=f"from warning {warning.pk} of {warning.jurisdiction.code}",
        )
        schedule_or_start(child_warning, now=timezone.now())
        if respond_by is not None:
            _schedule_deadline(child_warning.pk, respond_by)
        created.append(child_warning)
        created += regional_warning_cascade(warning=Warning.objects.get(pk=child_warning.pk))
    return created


def _schedule_deadline(warning_id: int, due: datetime) -> None:
    from hazeguard_platform.warnings.tasks import response_deadline_task

    transaction.on_commit(lambda: response_deadline_task.using(run_after=due).enqueue(warning_id))


def response_overdue_mark(*, warning_id: int) -> bool:
    """Mark a regional child warning overdue if nobody acknowledged it by ``respond_by``
    (idempotent; ``True`` when it was marked now)."""
    with transaction.atomic():
        warning = lock(warning_id)
        due = warning.respond_by
        if (
            due is None
            or due > timezone.now()
            or warning.responded_at is not None
            or warning.response_overdue
        ):
            return False
        expect(warning, *ACTIVE_STATES, State.ENDED, action="mark overdue")
        transition(
            warning,
            actor=None,
            action="warning.response_overdue",
            response_overdue=True,
            message=f"no response by {due.isoformat()}",
        )
        return True


def warnings_due_sweep() -> tuple[int, int]:
    """Start every issued warning whose time has come and mark every overdue regional response.

    The tasks do this on time; the sweep catches work whose task was never queued (a process that
    died between the commit and ``on_commit``). Idempotent. Returns (started, marked overdue).
    """
    now = timezone.now()
    due = Warning.objects.filter(state=State.ISSUED, starts_at__lte=now).order_by("starts_at")
    started = sum(
        warning_start(warning_id=pk) is not None for pk in due.values_list("pk", flat=True)
    )
    late = Warning.objects.filter(
        respond_by__lte=now, responded_at__isnull=True, response_overdue=False
    ).exclude(state__in=(*PENDING_STATES, State.REJECTED, State.WITHDRAWN))
    marked = sum(response_overdue_mark(warning_id=pk) for pk in late.values_list("pk", flat=True))
    return started, marked
