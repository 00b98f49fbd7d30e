"""Background tasks of the emission list: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task
from django_tasks.base import TaskResult, TaskResultStatus

from hazeguard_platform.context import request_id_scope


@task(takes_context=True)
def emission_list_import_task(context: TaskContext, import_id: int) -> str:
    """Import an uploaded list workbook; returns the upload's final state. A second run (its
    first worker died, ``notices/task_leases.py``) resumes the upload left running."""
    from hazeguard_platform.enterprises.list_import import emission_list_import_run

    with request_id_scope(f"task-list-import-{import_id}"):
        return emission_list_import_run(import_id=import_id, resume=context.attempt > 1).state


def list_import_task_finished(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """``task_finished`` receiver: an import task that failed leaves its upload refused with the
    reason, not "running" for ever (connected in ``EnterprisesConfig.ready``)."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.func is not emission_list_import_task.func:
        return
    from hazeguard_platform.enterprises.list_import import emission_list_import_lost

    emission_list_import_lost(import_id=int(task_result.args[0]))
