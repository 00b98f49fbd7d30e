"""The task worker killed (SIGKILL) in the middle of a task: another worker takes the task over
once the dead one's heartbeat is older than the lease, and it completes exactly once; killed on
its second run too, the task fails with the reason and its upload says so. Real processes
(``manage.py task_worker``), real PostgreSQL; a list import is the task.

"Mid-task" is made certain, not left to timing: the test holds a lock on the listed-enterprise
table, so the import waits inside its transaction until the worker is killed (the test checks
that the worker's session waits on that lock), and the lock is let go afterwards.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from enterprises.list_helpers import CEMENT_CODE, CHEMICALS_CODE, write_list

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.list_import import WORKER_LOST, emission_list_upload
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport
from hazeguard_platform.notices.models import TaskWorker
from hazeguard_platform.notices.task_leases import LOST_PATH
from paths import ROOT

from .notice_helpers import free_port, pg_connect, worker_environment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.faults,
    pytest.mark.slow,  # process starts and a 10 s lease: 30-60 s each on the shared machine
]

LEASE_SECONDS = 10  # short for the test (default 120); beats every 2.5 s


@pytest.fixture
def upload(liaocheng: Staff, tmp_path: Path) -> ListImport:
    """A two-enterprise list uploaded by the office, its import task queued."""
    if connection.vendor != "postgresql":
        pytest.skip("several processes on one database need PostgreSQL (set DATABASE_URL)")
    file = BytesIO(write_list(tmp_path / "list.xlsx").read_bytes())
    file.name = "list.xlsx"
    return emission_list_upload(
        jurisdiction=liaocheng.jurisdiction, file=file, actor=liaocheng.office_clerk
    )


@pytest.fixture
def table_locked(upload: ListImport) -> Iterator[psycopg.Connection]:
    """The listed-enterprise table locked against writes until the test commits the returned
    connection (or the test ends)."""
    locker = pg_connect()
    locker.execute(f'LOCK TABLE "{ListedEnterprise._meta.db_table}" IN EXCLUSIVE MODE')
    try:
        yield locker
    finally:
        locker.close()


def _worker(name: str) -> subprocess.Popen[bytes]:
    env = worker_environment(free_port(), HAZEGUARD_TASK_LEASE_SECONDS=str(LEASE_SECONDS))
    command = ["task_worker", "--no-reload", "--verbosity", "0", "--interval", "0.5"]
    return subprocess.Popen(
        [sys.executable, "-m", "hazeguard_platform", *command, "--worker-id", name],
        cwd=ROOT,
        env=env,
    )


def _until(done: Callable[[], bool], seconds: float, what: str) -> float:
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < seconds, f"{what}: not after {seconds} s"
        time.sleep(0.2)
    return time.monotonic() - started


def _task(upload: ListImport) -> DBTaskResult:
    return DBTaskResult.objects.get(args_kwargs__args=[upload.pk])


def _waiting_on_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%%enterprises_listedenterprise%%'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _killed_mid_task(process: subprocess.Popen[bytes], upload: ListImport, runs: int) -> None:
    """Wait until ``process`` runs the import (run number ``runs``) and waits on the lock, then
    SIGKILL it."""

    def running() -> bool:
        task = _task(upload)
        return task.status == TaskResultStatus.RUNNING and len(task.worker_ids) == runs

    _until(running, 90, f"run {runs} claimed")
    _until(_waiting_on_the_lock, 60, f"run {runs} inside its transaction")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def _stopped(processes: list[subprocess.Popen[bytes]]) -> list[int | None]:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    return [process.wait(timeout=30) for process in processes]


def test_a_task_whose_worker_is_killed_is_taken_over_and_completes_once(
    upload: ListImport, table_locked: psycopg.Connection
) -> None:
    first = _worker("worker-a")
    try:
        _killed_mid_task(first, upload, runs=1)
    finally:
        first.kill()
    assert ListImport.objects.get(pk=upload.pk).state == ListImport.State.RUNNING
    killed_at = time.monotonic()
    table_locked.commit()  # let go: the dead worker's transaction is rolled back by the server
    # Two workers at once: each checks for stale tasks; the task is re-queued and run once.
    others = [_worker("worker-b"), _worker("worker-c")]
    try:
        both = TaskWorker.objects.filter(worker_id__in=["worker-b", "worker-c"])
        _until(lambda: both.count() == 2, 120, "both workers up")
        _until(lambda: _task(upload).status == TaskResultStatus.SUCCESSFUL, 120, "completed")
        taken_over = time.monotonic() - killed_at
    finally:
        codes = _stopped(others)
    assert codes == [0, 0]

    task = _task(upload)
    assert task.worker_ids in (["worker-a", "worker-b"], ["worker-a", "worker-c"])
    record = ListImport.objects.get(pk=upload.pk)
    assert (record.state, record.created, record.updated) == (ListImport.State.IMPORTED, 2, 0)
    codes_stored = ListedEnterprise.objects.values_list("credit_code", flat=True)
    assert sorted(codes_stored) == sorted([CEMENT_CODE, CHEMICALS_CODE])  # each once
    imports = AuditEntry.objects.filter(action="emission_list.import", object_id=str(upload.pk))
    assert imports.count() == 1
    assert not TaskWorker.objects.exclude(worker_id="worker-a").exists()  # stopped cleanly
    print(
        f"\nkilled mid-task → completed by another worker in {taken_over:.1f} s "
        f"(lease {LEASE_SECONDS} s)"
    )


def test_a_task_killed_on_both_runs_fails_with_the_reason_and_stores_nothing(
    upload: ListImport, table_locked: psycopg.Connection
) -> None:
    processes = [_worker("worker-a")]
    try:
        _killed_mid_task(processes[0], upload, runs=1)
        processes.append(_worker("worker-b"))  # re-queues it after the lease and runs it again
        _killed_mid_task(processes[1], upload, runs=2)
        processes.append(_worker("worker-c"))
        _until(lambda: _task(upload).status == TaskResultStatus.FAILED, 120, "failed")
    finally:
        for process in processes[:2]:
            process.kill()
        codes = _stopped(processes[2:])
    assert codes == [0]
    table_locked.commit()

    task = _task(upload)
    assert task.worker_ids == ["worker-a", "worker-b"]  # not run a third time
    assert task.exception_class_path == LOST_PATH
    assert "the worker worker-b stopped" in task.traceback
    assert "not run again" in task.traceback
    record = ListImport.objects.get(pk=upload.pk)
    assert record.state == ListImport.State.REFUSED
    assert [error["reason"] for error in record.errors] == [WORKER_LOST]
    assert not ListedEnterprise.objects.exists()
