"""Background task of subscriptions: thin, enqueued on commit (STYLE.md §10)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from hazeguard_platform.context import request_id_scope

# Mailings one task run works before it hands over to a fresh task (keeps each run short).
SEND_LIMIT = 200


@task()
def mailings_send_task() -> int:
    """Send every due mailing (up to ``SEND_LIMIT``); returns how many were tried."""
    from hazeguard_platform.subscriptions.sending import mailings_next_due, mailings_send

    with request_id_scope("task-subscriptions"):
        run = mailings_send(now=timezone.now(), limit=SEND_LIMIT)
        next_due = mailings_next_due()
        if next_due is not None:
            mailings_send_task.using(run_after=max(next_due, timezone.now())).enqueue()
        return len(run.sent) + len(run.retrying) + len(run.failed)
