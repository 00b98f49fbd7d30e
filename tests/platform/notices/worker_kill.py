"""Real ``manage.py task_worker`` processes on the test database (PostgreSQL), killed with
SIGKILL while a task waits inside its transaction on a table the test holds locked.

"Mid-task" is made certain, not left to timing: the test locks the table the task writes, waits
until the worker's session waits on that lock, then kills the worker; the server rolls the dead
session's transaction back.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from paths import ROOT

from .notice_helpers import free_port, pg_connect, worker_environment

LEASE_SECONDS = 10  # short for the tests (default 120); beats every 2.5 s


# A killed worker's session that waits on the test's lock would otherwise live (and hold the
# rows it changed) until the lock goes; the server checks its client every second instead, as
# docs/platform.md advises for production (PostgreSQL 14 or later).
CHECK_CLIENT = "?options=" + quote("-c client_connection_check_interval=1000")


def task_worker(name: str) -> subprocess.Popen[bytes]:
    """A task worker with the id ``name`` and the tests' short lease."""
    env = worker_environment(free_port(), HAZEGUARD_TASK_LEASE_SECONDS=str(LEASE_SECONDS))
    env["DATABASE_URL"] += CHECK_CLIENT
    command = ["task_worker", "--no-reload", "--verbosity", "0", "--interval", "0.5"]
    return subprocess.Popen(
        [sys.executable, "-m", "hazeguard_platform", *command, "--worker-id", name],
        cwd=ROOT,
        env=env,
    )


def until(done: Callable[[], bool], seconds: float, what: str) -> float:
    """Wait until ``done()`` [s waited]; fail naming ``what`` after ``seconds``."""
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < seconds, f"{what}: not after {seconds} s"
        time.sleep(0.2)
    return time.monotonic() - started


@contextmanager
def table_locked(table: str) -> Iterator[psycopg.Connection]:
    """``table`` locked against writes until the returned connection commits (or the block
    ends)."""
    locker = pg_connect()
    locker.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
    try:
        yield locker
    finally:
        locker.close()


def waiting_on_the_lock(table: str) -> bool:
    """Whether a session waits on a lock with a statement on ``table``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE %s",
            [f"%{table}%"],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def task_of(task_path: str, row_id: int) -> DBTaskResult:
    """The queue's row of the task ``task_path`` run for the row ``row_id``."""
    return DBTaskResult.objects.get(task_path=task_path, args_kwargs__args=[row_id])


def killed_mid_task(
    workers: Mapping[str, subprocess.Popen[bytes]],
    task: Callable[[], DBTaskResult],
    runs: int,
    table: str,
) -> str:
    """Wait until one of ``workers`` (by worker id) runs ``task`` (run number ``runs``) and
    waits on the lock of ``table``, then SIGKILL that worker; its id."""

    def running() -> bool:
        row = task()
        return row.status == TaskResultStatus.RUNNING and len(row.worker_ids) == runs

    # A worker's start (Django, its checks) takes 15-60 s on the shared machine, then the lease.
    until(running, 180, f"run {runs} claimed")
    until(lambda: waiting_on_the_lock(table), 60, f"run {runs} inside its transaction")
    name = task().worker_ids[-1]
    workers[name].send_signal(signal.SIGKILL)
    workers[name].wait(timeout=10)
    return name


def stopped(processes: list[subprocess.Popen[bytes]]) -> list[int | None]:
    """Stop ``processes`` with SIGTERM; their exit codes."""
    for process in processes:
        process.send_signal(signal.SIGTERM)
    return [process.wait(timeout=30) for process in processes]
