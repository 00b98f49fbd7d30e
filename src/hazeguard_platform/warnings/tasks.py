"""Background tasks of warnings: thin, by id, enqueued on commit (STYLE.md §10)."""

from __future__ import annotations

from django_tasks import task

from hazeguard_platform.context import request_id_scope


@task()
def warning_start_task(warning_id: int) -> bool:
    """Put the warning in force when its start time has come."""
    from hazeguard_platform.warnings.lifecycle import warning_start

    with request_id_scope(f"task-start-{warning_id}"):
        return warning_start(warning_id=warning_id) is not None


@task()
def response_deadline_task(warning_id: int) -> bool:
    """Mark a regional child warning overdue if it was not acknowledged in time."""
    from hazeguard_platform.warnings.lifecycle import response_overdue_mark

    with request_id_scope(f"task-deadline-{warning_id}"):
        return response_overdue_mark(warning_id=warning_id)
