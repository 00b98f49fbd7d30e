"""Background tasks of the response: thin, by id, enqueued on commit (STYLE.md §10)."""

from __future__ import annotations

from django_tasks import task

from hazeguard_platform.context import request_id_scope


@task()
def lift_due_task(warning_id: int) -> bool:
    """At the warning's announced end, tell the office that lifting it on schedule waits for it
    (``response.services.warning_lift_due``, 001 §3.7.2)."""
    from hazeguard_platform.response.services import warning_lift_due

    with request_id_scope(f"task-lift-due-{warning_id}"):
        return warning_lift_due(warning_id=warning_id)
