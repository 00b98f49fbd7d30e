"""The meter-reading upload and the electricity check when their task worker is killed (SIGKILL)
in the middle: killed once, the upload ends stored by the re-run, each reading once; killed on
both runs, the upload and the check end failed with the reason the page shows, nothing stored,
and the second run had taken the row again: it reached the locked table (notices/task_rows.py).
Real processes (``manage.py task_worker``), real PostgreSQL; the task waits inside its
transaction on a table the test holds locked (notices/worker_kill.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django_tasks.base import TaskResultStatus
from enterprises.list_helpers import CEMENT_CODE, Firms, listed_firms
from meters.readings_helpers import csv_file, hourly
from notices.worker_kill import killed_mid_task, stopped, table_locked, task_of, task_worker, until

from conftest import Staff
from hazeguard_platform.meters.check_services import electricity_check_queue
from hazeguard_platform.meters.models import (
    ElectricityCheck,
    ElectricityCheckJob,
    MeterReading,
    MeterUpload,
)
from hazeguard_platform.meters.services import meter_readings_upload
from hazeguard_platform.meters.tasks import electricity_check_task, meter_readings_store_task
from hazeguard_platform.notices.task_leases import LOST_PATH

from .red_episode import RedEpisode

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.faults,
    pytest.mark.slow,  # process starts and a 10 s lease: 30-90 s each on the shared machine
]


@dataclass
class Queued:
    """A feature's row queued for the worker: its task, the table its work writes, how to read
    its state, what it stored, and the page that shows it."""

    task_path: str
    row: Model
    table: str
    state: Callable[[], str]
    stored: Callable[[], int]
    page: str


def _upload(staff: Staff, settings: Any) -> Queued:
    settings.METER_UPLOAD_SYNC_BYTES = 100  # the worker stores it
    upload = meter_readings_upload(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        file=csv_file(hourly(CEMENT_CODE, "M-01", 100, 100)),
    )
    return Queued(
        meter_readings_store_task.module_path,
        upload,
        MeterReading._meta.db_table,
        lambda: MeterUpload.objects.get(pk=upload.pk).outcome,
        lambda: MeterReading.objects.count(),
        f"/meters/{staff.jurisdiction.code}/",
    )


def _check(red: RedEpisode) -> Queued:
    job = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    return Queued(
        electricity_check_task.module_path,
        job,
        ElectricityCheck._meta.db_table,
        lambda: ElectricityCheckJob.objects.get(pk=job.pk).state,
        lambda: ElectricityCheck.objects.count(),
        f"/summaries/episode/{red.episode.pk}/",
    )


@pytest.fixture(params=["meter upload", "electricity check"])
def queued(request: pytest.FixtureRequest, liaocheng: Staff, settings: Any) -> Queued:
    if connection.vendor != "postgresql":
        pytest.skip("several processes on one database need PostgreSQL (set DATABASE_URL)")
    if request.param == "meter upload":
        request.getfixturevalue("firms")
        return _upload(liaocheng, settings)
    return _check(request.getfixturevalue("red"))


@pytest.fixture
def firms(liaocheng: Staff, tmp_path: Any) -> Firms:
    return listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)


def _killed(workers: dict[str, subprocess.Popen[bytes]], queued: Queued, runs: int) -> str:
    task = lambda: task_of(queued.task_path, queued.row.pk)  # noqa: E731
    return killed_mid_task(workers, task, runs, queued.table)


def _page(queued: Queued, staff: Staff, language: str) -> str:
    client = Client()
    client.force_login(staff.office_clerk)
    client.cookies["django_language"] = language
    return client.get(queued.page, HTTP_ACCEPT_LANGUAGE=language).content.decode()


# Killed once, for the upload only: the check's second run is proven by the test below (it
# must take the job again to reach the lock) and its end, done once, in one process
# (test_electricity_check_worker.py); each of these tests costs 1.5-3 min of CI.
@pytest.mark.parametrize("queued", ["meter upload"], indirect=True)
def test_a_row_whose_worker_is_killed_ends_done_by_the_rerun_stored_once(
    queued: Queued, liaocheng: Staff
) -> None:
    task = lambda: task_of(queued.task_path, queued.row.pk)  # noqa: E731
    with table_locked(queued.table) as locker:
        first = task_worker("worker-a")
        try:
            _killed({"worker-a": first}, queued, runs=1)
        finally:
            first.kill()
            first.wait(timeout=10)
        assert queued.state() in ("processing", "running")
        locker.commit()  # let go: the dead worker's transaction is rolled back by the server
    second = task_worker("worker-b")
    try:
        until(lambda: task().status == TaskResultStatus.SUCCESSFUL, 180, "completed")
    finally:
        codes = stopped([second])
    assert codes == [0]
    assert task().worker_ids == ["worker-a", "worker-b"]
    assert queued.state() in ("stored", "done")
    if queued.task_path == electricity_check_task.module_path:
        assert queued.stored() == 1
    else:
        assert queued.stored() == 17 * 24 + 12  # every reading of the file, once


def test_a_row_killed_on_both_runs_ends_failed_with_the_reason_nothing_stored(
    queued: Queued, liaocheng: Staff
) -> None:
    before = queued.stored()
    task = lambda: task_of(queued.task_path, queued.row.pk)  # noqa: E731
    killed: list[str] = []
    with table_locked(queued.table):
        workers = {"worker-a": task_worker("worker-a")}
        try:
            killed.append(_killed(workers, queued, runs=1))
            # Two at once (one process start, not two): one re-queues the task after the lease
            # and one runs it, is killed; the other fails it after the next lease.
            workers |= {name: task_worker(name) for name in ("worker-b", "worker-c")}
            killed.append(_killed(workers, queued, runs=2))
            until(lambda: task().status == TaskResultStatus.FAILED, 120, "failed")
        finally:
            for name, process in workers.items():
                if name in killed or process.poll() is not None:
                    process.kill()
                    process.wait(timeout=10)
            codes = stopped([p for name, p in workers.items() if name not in killed])
    assert codes == [0]
    assert task().worker_ids == killed
    assert task().exception_class_path == LOST_PATH
    assert queued.state() in ("refused", "failed")
    assert queued.stored() == before
    assert "后台任务进程两次在处理中途停止" in _page(queued, liaocheng, "zh-hans")
    english = _page(queued, liaocheng, "en")
    assert "The background worker stopped twice while doing this" in english
