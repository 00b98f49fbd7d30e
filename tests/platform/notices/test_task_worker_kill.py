"""The task worker killed (SIGKILL) in the middle of a task: another worker takes the task over
once the dead one's heartbeat is older than the lease, and it completes exactly once; killed on
its second run too, the task fails with the reason and its upload says so. Real processes
(``manage.py task_worker``), real PostgreSQL; a list import is the task.

"Mid-task" is made certain, not left to timing: the test holds a lock on the listed-enterprise
table, so the import waits inside its transaction until the worker is killed (the test checks
that the worker's session waits on that lock), and the lock is let go afterwards.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
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
from hazeguard_platform.enterprises.list_import import emission_list_upload
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport
from hazeguard_platform.enterprises.tasks import emission_list_import_task
from hazeguard_platform.notices.models import TaskWorker
from hazeguard_platform.notices.task_leases import LOST_PATH
from hazeguard_platform.notices.task_rows import WORKER_LOST

from .worker_kill import (
    LEASE_SECONDS,
    killed_mid_task,
    stopped,
    task_of,
    task_worker,
    until,
)
from .worker_kill import table_locked as locked

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.faults,
    pytest.mark.slow,  # process starts and a 10 s lease: 30-60 s each on the shared machine
]

TABLE = ListedEnterprise._meta.db_table


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
    with locked(TABLE) as locker:
        yield locker


def _task(upload: ListImport) -> DBTaskResult:
    return task_of(emission_list_import_task.module_path, upload.pk)


def _killed_mid_task(
    name: str, process: subprocess.Popen[bytes], upload: ListImport, runs: int
) -> None:
    killed_mid_task({name: process}, lambda: _task(upload), runs, TABLE)


def test_a_task_whose_worker_is_killed_is_taken_over_and_completes_once(
    upload: ListImport, table_locked: psycopg.Connection
) -> None:
    first = task_worker("worker-a")
    try:
        _killed_mid_task("worker-a", first, upload, runs=1)
    finally:
        first.kill()
    assert ListImport.objects.get(pk=upload.pk).state == ListImport.State.RUNNING
    killed_at = time.monotonic()
    table_locked.commit()  # let go: the dead worker's transaction is rolled back by the server
    # Two workers at once: each checks for stale tasks; the task is re-queued and run once.
    others = [task_worker("worker-b"), task_worker("worker-c")]
    try:
        both = TaskWorker.objects.filter(worker_id__in=["worker-b", "worker-c"])
        until(lambda: both.count() == 2, 120, "both workers up")
        until(lambda: _task(upload).status == TaskResultStatus.SUCCESSFUL, 120, "completed")
        taken_over = time.monotonic() - killed_at
    finally:
        codes = stopped(others)
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
    processes = [task_worker("worker-a")]
    try:
        _killed_mid_task("worker-a", processes[0], upload, runs=1)
        processes.append(task_worker("worker-b"))  # re-queues it after the lease, runs it again
        _killed_mid_task("worker-b", processes[1], upload, runs=2)
        processes.append(task_worker("worker-c"))
        until(lambda: _task(upload).status == TaskResultStatus.FAILED, 120, "failed")
    finally:
        for process in processes[:2]:
            process.kill()
        codes = stopped(processes[2:])
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
