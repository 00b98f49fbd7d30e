"""Background tasks of notices: thin, enqueued on commit (STYLE.md §10).

``hazeguard serve`` runs the database worker (``manage.py db_worker``), which works these tasks:
``notice_create`` enqueues :func:`outbox_drain_task` after its transaction commits, a drain that
leaves retries behind enqueues itself again for when the earliest is due, and each notice with a
deadline enqueues :func:`notices_escalate_task` for ``due_at``. ``manage.py send_notices`` does the
same work in a loop; run it beside the worker where a stopped worker's claims must be picked up
again without waiting for the next notice (docs/notices.md).
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from hazeguard_platform.context import request_id_scope

# Rows one task run works before it hands over to a fresh task (keeps each run short).
DRAIN_LIMIT = 200


@task()
def outbox_drain_task() -> int:
    """Send every due delivery (up to ``DRAIN_LIMIT``); returns how many were tried."""
    from hazeguard_platform.notices.outbox import outbox_next_due
    from hazeguard_platform.notices.services import outbox_process

    with request_id_scope("task-outbox"):
        run = outbox_process(now=timezone.now(), limit=DRAIN_LIMIT)
        next_due = outbox_next_due()
        if next_due is not None:
            outbox_drain_task.using(run_after=max(next_due, timezone.now())).enqueue()
        return run.claimed


@task()
def notices_escalate_task() -> int:
    """Escalate overdue recipients; returns how many overdue notices were created."""
    from hazeguard_platform.notices.services import notices_escalate

    with request_id_scope("task-escalate"):
        return len(notices_escalate(now=timezone.now()))
