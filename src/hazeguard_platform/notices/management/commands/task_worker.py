"""``manage.py task_worker``: ``db_worker`` (django-tasks-db) that outlives a database restart.

``db_worker`` exits with ``OperationalError`` when PostgreSQL restarts or cannot be reached for a
moment (its loop re-raises every database error but SQLite's "locked"); ``hazeguard serve``
would then run on without a task worker. This one takes the same options, logs the error,
drops the connection and polls again after ``--interval`` (at least 1 s).

It also beats a heartbeat and recovers the tasks of workers that died mid-task: re-queued once,
then failed with the reason (``notices/task_leases.py``, ``HAZEGUARD_TASK_LEASE_SECONDS``). Run
only this command as the task worker: a task claimed by the library's own ``db_worker``, which
does not beat, counts as lost once it has run longer than the lease.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import connections
from django_tasks_db.management.commands import db_worker

from hazeguard_platform.errors import DATABASE_ERRORS
from hazeguard_platform.notices.conf import task_lease
from hazeguard_platform.notices.task_leases import Heartbeat

logger = logging.getLogger(__name__)


class ReconnectingWorker(db_worker.Worker):
    """The library's worker loop, entered again after a database error."""

    def run(self) -> None:
        while self.running:
            try:
                super().run()
                return  # a batch or --max-tasks run ended, or a signal stopped it
            except DATABASE_ERRORS as error:
                logger.warning("database unavailable, polling again: %s", error)
                connections.close_all()
                time.sleep(max(self.interval, 1.0))


class Command(db_worker.Command):
    help = "Run the database task queue's tasks (db_worker) and carry on after a database restart."

    def handle(self, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["reload"]:
            raise CommandError("task_worker does not reload code: pass --no-reload")
        queues = str(options["queue_name"]).split(",")
        excluded = str(options["exclude_queues"]).split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReconnectingWorker(
            queue_names=queues,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        heartbeat = Heartbeat(worker.worker_id, task_lease())
        try:
            try:
                heartbeat.beat()  # this worker's row before its first claim; dead ones' recovered
            except DATABASE_ERRORS as error:
                logger.warning(
                    "database unavailable at start, the heartbeat tries again: %s", error
                )
                connections.close_all()
            heartbeat.start()
            worker.run()
        finally:
            heartbeat.stop()
