"""Running the electricity check in the task worker (STYLE.md §10): the office queues it, the
worker runs :func:`meters.services.electricity_check_run` and records how it went.

The check takes seconds to minutes (4.5–11 s for 512 meters, docs/summaries.md), too long for a
request. ``electricity_check_run`` stays the one place of the check and is still called directly
by tests and commands.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ForbiddenError, ServiceError
from hazeguard_platform.meters.models import ElectricityCheckJob
from hazeguard_platform.meters.services import electricity_check_run, require_check_office
from hazeguard_platform.warnings.models import Episode

State = ElectricityCheckJob.State
# A job running longer than this was left by a worker that stopped (a run of 1,000 meters takes
# under a minute); a new request replaces it rather than waiting for it forever.
STALE_AFTER = timedelta(minutes=30)


def _pending(episode: Episode) -> ElectricityCheckJob | None:
    return ElectricityCheckJob.objects.filter(
        episode=episode, state__in=(State.QUEUED, State.RUNNING)
    ).first()


def electricity_check_queue(*, actor: Actor, episode: Episode) -> ElectricityCheckJob:
    """Queue the electricity check of ``episode`` for the task worker (the command office of its
    jurisdiction or above, as ``electricity_check_run``).

    A check already queued or running is returned instead of a second one; one left running
    longer than :data:`STALE_AFTER` (its worker stopped) is marked failed and replaced.
    """
    require_check_office(actor, episode, action="electricity_check.queue")
    now = timezone.now()
    user = actor if isinstance(actor, User) else None
    try:
        with transaction.atomic():
            pending = _pending(episode)
            if pending is not None and not (
                pending.state == State.RUNNING
                and pending.started_at is not None
                and now - pending.started_at > STALE_AFTER
            ):
                return pending
            if pending is not None:
                ElectricityCheckJob.objects.filter(pk=pending.pk, state=State.RUNNING).update(
                    state=State.FAILED,
                    finished_at=now,
                    error=f"no result {STALE_AFTER} after the start: the worker stopped",
                )
            job = ElectricityCheckJob.objects.create(episode=episode, requested_by=user)
            audit_record(
                actor=actor, action="electricity_check.queue", obj=job, after={"state": job.state}
            )
            from hazeguard_platform.meters.tasks import electricity_check_task

            transaction.on_commit(lambda: electricity_check_task.enqueue(job.pk))
    except IntegrityError:
        # The same button pressed twice at once: the other request queued it.
        queued = _pending(episode)
        if queued is None:
            raise
        return queued
    return job


def electricity_check_job_run(*, job_id: int) -> ElectricityCheckJob | None:
    """Run a queued check (the task worker): claimed with a conditional UPDATE, so a second
    worker or a second delivery of the task does nothing and gets ``None``. A refusal of the
    check (its ``ServiceError``, e.g. the stored readings break the core's rules, or its
    ``ForbiddenError``: the person who asked is no longer of the office) is recorded on the job
    as ``failed`` with its message."""
    claimed = ElectricityCheckJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return None
    job = ElectricityCheckJob.objects.select_related("episode__jurisdiction", "requested_by").get(
        pk=job_id
    )
    try:
        # The check and the job's "done" in one transaction: a worker killed between them
        # would leave a check stored under a job still running, and a second run would make
        # a second check.
        with transaction.atomic():
            job.check_run = electricity_check_run(actor=job.requested_by, episode=job.episode)
            _finish(job, State.DONE, error="")
    except (ServiceError, ForbiddenError) as error:
        job.check_run = None
        _finish(job, State.FAILED, error=error.message)
    except Exception as error:
        # Recorded for the page, then raised for the worker's own log and result.
        job.check_run = None
        _finish(job, State.FAILED, error=f"the check stopped: {type(error).__name__}")
        raise
    return job


def _finish(job: ElectricityCheckJob, state: str, *, error: str) -> None:
    job.state, job.error, job.finished_at = state, error, timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "check_run"])
