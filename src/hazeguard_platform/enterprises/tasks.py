"""Background tasks of the emission list: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.enterprises.models import ListImport
from hazeguard_platform.notices.task_rows import TaskRow, track


@task()
def emission_list_import_task(import_id: int) -> str:
    """Import an uploaded list workbook; returns the upload's final state. A second run (its
    first worker died) finds the upload queued again (``notices/task_rows.py``)."""
    from hazeguard_platform.enterprises.list_import import emission_list_import_run

    with request_id_scope(f"task-list-import-{import_id}"):
        return emission_list_import_run(import_id=import_id).state


def _import_refused(reason: str) -> dict[str, Any]:
    failure = {"sheet": "", "row": 0, "column": "", "header": "", "reason": reason}
    return {
        "state": ListImport.State.REFUSED,
        "finished_at": timezone.now(),
        "workbook": b"",
        "errors": [failure],
    }


State = ListImport.State
track(
    emission_list_import_task,
    TaskRow(ListImport, "state", State.QUEUED, State.RUNNING, _import_refused),
)
