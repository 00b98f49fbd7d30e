"""The row a background task works on, brought to a final state when the task's worker is lost.

Several features keep a row of their own with a state the person who asked for the work sees
(an upload ``processing``, a check ``running``), set by the task's conditional claim. When the
worker dies in the middle, django-tasks-db's row is recovered by ``notices/task_leases.py``
(re-queued once, then failed); this module does the same to the feature's row, in the same
transaction, so that no page says "running" for ever:

* re-queued task: the row goes back from its running state to its queued state, so that the
  second run's claim (``state = queued``) takes it. The dead run's transaction was rolled back
  by the database, so nothing of it is stored and the second run starts afresh;
* failed task (its worker lost twice, or an error the feature did not record itself): the row
  gets the feature's failed state and :data:`WORKER_LOST` or :data:`TASK_STOPPED` as the reason.

A feature declares its row once, beside its task, with :func:`track`; the task's first argument
is the row's id. The reasons are stored as English message ids and shown in the page's language
(``{% translate reason %}``; ``notices/locale`` holds the Chinese).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks.base import Task, TaskResult, TaskResultStatus

WORKER_LOST = gettext_noop(
    "The background worker stopped twice while doing this (it was tried again once); nothing "
    "was stored. Please try again."
)
TASK_STOPPED = gettext_noop(
    "The background task stopped with an error; nothing was stored. Please try again, and tell "
    "the administrator if it happens again."
)


@dataclass(frozen=True)
class TaskRow:
    """How a task's row records its state: the column, the queued and running values, and the
    columns that record a failure given its reason (a message id)."""

    model: type[models.Model]
    column: str
    queued: str
    running: str
    failure: Callable[[str], dict[str, Any]]


def job_row(model: type[models.Model], *, reason_column: str) -> TaskRow:
    """The row of a job model: ``state`` of its ``State`` choices (queued → running → … |
    failed), ``finished_at``, and ``reason_column`` holding why it failed."""
    state: Any = getattr(model, "State")  # noqa: B009 (each job model's own choices)

    def failure(reason: str) -> dict[str, Any]:
        return {"state": state.FAILED, reason_column: reason, "finished_at": timezone.now()}

    return TaskRow(model, "state", state.QUEUED, state.RUNNING, failure)


_ROWS: dict[str, TaskRow] = {}


def track(task: Task[Any, Any], row: TaskRow) -> None:
    """Declare that ``task`` (whose first argument is a row id) claims rows as ``row`` says."""
    _ROWS[task.module_path] = row


def tracked() -> dict[str, TaskRow]:
    """The declared rows by task path (for tests and the operator's questions)."""
    return dict(_ROWS)


def _row_of(task_path: str, args: Sequence[Any]) -> tuple[TaskRow, int] | None:
    row = _ROWS.get(task_path)
    if row is None or not args:
        return None
    return row, int(args[0])


def task_row_held(task_path: str, args: Sequence[Any], *, using: str = "default") -> bool:
    """Whether the task's row is running and still locked by another transaction: the dead
    run's, which the database has not ended yet (a session waiting on a lock notices its lost
    client only when the wait ends, unless ``client_connection_check_interval`` is set). The
    recovery leaves such a task for a later beat rather than wait on the row; otherwise this
    takes the row's lock for the caller's transaction."""
    found = _row_of(task_path, args)
    if found is None:
        return False
    row, pk = found
    running = row.model._default_manager.using(using).filter(pk=pk, **{row.column: row.running})
    if not running.exists():
        return False
    return not list(running.select_for_update(skip_locked=True).values_list("pk", flat=True))


def task_row_requeued(task_path: str, args: Sequence[Any], *, using: str = "default") -> int:
    """Put the row of a re-queued task back in its queued state; the rows changed (0 or 1)."""
    found = _row_of(task_path, args)
    if found is None:
        return 0
    row, pk = found
    rows = row.model._default_manager.using(using)
    return int(rows.filter(pk=pk, **{row.column: row.running}).update(**{row.column: row.queued}))


def task_row_failed(
    task_path: str, args: Sequence[Any], *, reason: str, using: str = "default"
) -> int:
    """Record ``reason`` on the row of a failed task still queued or running (a row the feature
    already finished is left as it is); the rows changed (0 or 1)."""
    found = _row_of(task_path, args)
    if found is None:
        return 0
    row, pk = found
    rows = row.model._default_manager.using(using)
    pending = rows.filter(pk=pk, **{f"{row.column}__in": (row.queued, row.running)})
    return int(pending.update(**row.failure(reason)))


def task_row_finished(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """``task_finished`` receiver (connected in ``NoticesConfig.ready``): a task that failed
    with an error its feature did not record leaves its row failed with :data:`TASK_STOPPED`.
    A lost worker's row was already failed with the task, by ``task_leases``."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    task_row_failed(task_result.task.module_path, task_result.args, reason=TASK_STOPPED)
