"""Tasks whose worker died: found by the worker's heartbeat, re-queued once, then failed.

django-tasks-db marks a task ``RUNNING`` when a worker claims it and ``SUCCESSFUL`` or
``FAILED`` when the worker finishes; a worker killed in between (SIGKILL, a lost machine) leaves
the row ``RUNNING`` for ever. Each ``manage.py task_worker`` therefore keeps a
:class:`~hazeguard_platform.notices.models.TaskWorker` row and refreshes its ``beat_at`` (the
database's clock) every quarter of the task lease, from a thread of its own, and on each beat
looks for *stale* tasks: ``RUNNING``, started more than a lease ago, whose worker (the last of the
row's ``worker_ids``) has not beaten for a lease. Such a task is

* re-queued (``READY``) when it has run once: a worker runs it again, and
  ``TaskContext.attempt`` is 2;
* failed when it has already run twice (:data:`MAX_RUNS`): ``exception_class_path`` names
  :class:`WorkerLostError` and ``traceback`` holds the reason, and ``task_finished`` is sent so that
  other listeners hear of it.

The feature's own row of such a task (an upload "processing", a check "running", declared with
``task_rows.track``) is put back in its queued state or failed with the reason in the same
transaction (``notices/task_rows.py``); while that row is still locked by the dead run's
transaction (the database has not ended its session yet), the task is left for a later beat.

The rows are taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (an exclusive transaction on SQLite)
so that any number of workers can recover at once and each task is handled by one. A re-queued
task runs again from the start, so a task must be safe to run twice: the platform's tasks are
(STYLE.md §10; each takes its rows with a conditional update or works in one transaction).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from hazeguard_platform.errors import DATABASE_ERRORS
from hazeguard_platform.notices.models import TaskWorker
from hazeguard_platform.notices.task_rows import (
    WORKER_LOST,
    task_row_failed,
    task_row_held,
    task_row_requeued,
)

logger = logging.getLogger(__name__)

# How often a task is started before a lost worker makes it fail: the first run and one re-run.
MAX_RUNS = 2
# A worker's row whose beat is older than this is removed (its tasks were recovered long ago).
FORGET_AFTER = timedelta(days=1)


class WorkerLostError(Exception):
    """The worker running a task stopped without finishing it (named in the failed task row)."""


LOST_PATH = f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}"


@dataclass(frozen=True)
class Recovered:
    """What one recovery pass did: tasks put back in the queue and tasks failed for good."""

    requeued: int
    failed: int


def worker_beat(worker_id: str, *, started_at: datetime | None = None) -> None:
    """Record that ``worker_id`` (this process) is alive, with the database's clock."""
    updated = TaskWorker.objects.filter(worker_id=worker_id).update(beat_at=Now())
    if not updated:
        TaskWorker.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at or timezone.now(),
                "beat_at": Now(),
            },
        )


def worker_gone(worker_id: str) -> None:
    """Remove a worker that stops cleanly (its tasks are finished or failed)."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def stale_tasks_recover(*, lease: timedelta, using: str = "default") -> Recovered:
    """Re-queue or fail every running task whose worker has been silent for ``lease``."""
    cutoff = Now() - lease
    failed: list[DBTaskResult[Any, Any]] = []
    requeued = 0
    with exclusive_transaction(using):
        live = set(
            TaskWorker.objects.using(using)
            .filter(beat_at__gte=cutoff)
            .values_list("worker_id", flat=True)
        )
        stale = (
            DBTaskResult.objects.using(using)
            .running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for row in stale:
            worker = row.worker_ids[-1] if row.worker_ids else ""
            if worker in live:
                continue
            args = row.args_kwargs.get("args", [])
            if task_row_held(row.task_path, args, using=using):
                logger.warning(
                    "task %s (%s): worker %s lost, its row still locked by the dead run; next beat",
                    row.pk,
                    row.task_path,
                    worker,
                )
                continue
            if len(row.worker_ids) < MAX_RUNS:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                task_row_requeued(row.task_path, args, using=using)
                requeued += 1
                logger.warning(
                    "task %s (%s): worker %s lost, re-queued", row.pk, row.task_path, worker
                )
                continue
            row.status = TaskResultStatus.FAILED
            row.finished_at = timezone.now()
            row.return_value = None
            row.exception_class_path = LOST_PATH
            row.traceback = (
                f"WorkerLostError: the worker {worker} stopped while running this task (no "
                f"heartbeat for {lease.total_seconds():.0f} s), on run {len(row.worker_ids)} "
                f"of {MAX_RUNS}; not run again."
            )
            row.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "return_value",
                    "exception_class_path",
                    "traceback",
                ]
            )
            task_row_failed(row.task_path, args, reason=WORKER_LOST, using=using)
            failed.append(row)
            logger.error(
                "task %s (%s): worker %s lost again, failed", row.pk, row.task_path, worker
            )
        TaskWorker.objects.using(using).filter(beat_at__lt=Now() - FORGET_AFTER).delete()
    for row in failed:
        _announce_failure(row)
    return Recovered(requeued=requeued, failed=len(failed))


def _announce_failure(row: DBTaskResult[Any, Any]) -> None:
    """``task_finished`` for a task failed here, as the library sends it for its own failures."""
    try:
        result = row.task_result
    except ImportError:  # the task's code is gone: nobody can be listening for it
        logger.exception("task %s failed; its code %s cannot be imported", row.pk, row.task_path)
        return
    task_finished.send(sender=type(result.task.get_backend()), task_result=result)


class Heartbeat(threading.Thread):
    """Beats for ``worker_id`` every quarter of ``lease`` and recovers stale tasks, until
    :meth:`stop`; a database error is logged and the next beat tries again."""

    def __init__(self, worker_id: str, lease: timedelta) -> None:
        super().__init__(name=f"task-heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.lease = lease
        self.started_at = timezone.now()
        self._stopping = threading.Event()

    def beat(self) -> Recovered:
        """One beat and one recovery pass (also called once before the worker's first claim)."""
        worker_beat(self.worker_id, started_at=self.started_at)
        return stale_tasks_recover(lease=self.lease)

    def run(self) -> None:
        interval = max(self.lease.total_seconds() / 4, 1.0)
        try:
            while not self._stopping.wait(interval):
                try:
                    self.beat()
                except DATABASE_ERRORS as error:
                    logger.warning("task heartbeat: database unavailable: %s", error)
                    connections.close_all()
        finally:
            connections.close_all()

    def stop(self) -> None:
        """End the beats (the thread's connection closes) and remove the worker's row."""
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=10)
        try:
            worker_gone(self.worker_id)
        except DATABASE_ERRORS as error:
            logger.warning("task worker %s not removed: %s", self.worker_id, error)
