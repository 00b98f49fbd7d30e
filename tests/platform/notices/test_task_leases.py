"""A task whose worker died is re-queued once, then failed with the reason; a task whose worker
still beats is left alone (notices/task_leases.py). In one process, on the test database; the
same with real processes killed by SIGKILL is test_task_worker_kill.py."""

from __future__ import annotations

import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import CharField, Model
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from enterprises.list_helpers import write_list

from conftest import Staff
from hazeguard_platform.enterprises.list_import import emission_list_upload
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport
from hazeguard_platform.meters.models import MeterUpload
from hazeguard_platform.meters.tasks import meter_readings_store_task
from hazeguard_platform.notices.models import TaskWorker
from hazeguard_platform.notices.task_leases import (
    MAX_RUNS,
    Recovered,
    WorkerLostError,
    stale_tasks_recover,
    worker_beat,
)
from hazeguard_platform.notices.task_rows import (
    TASK_STOPPED,
    WORKER_LOST,
    task_row_finished,
    tracked,
)
from hazeguard_platform.notices.tasks import notices_escalate_task

from .notice_helpers import pg_connect

LEASE = timedelta(seconds=60)


def _claimed(row: DBTaskResult, worker: str, *, minutes_ago: float) -> None:
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def _beat(worker: str, *, minutes_ago: float) -> None:
    worker_beat(worker)
    TaskWorker.objects.filter(worker_id=worker).update(
        beat_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def _queued() -> DBTaskResult:
    result = notices_escalate_task.enqueue()
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db(transaction=True)
def test_a_dead_workers_task_is_requeued_once_then_failed_with_the_reason() -> None:
    row = _queued()
    _beat("dead-1", minutes_ago=5)
    _claimed(row, "dead-1", minutes_ago=5)

    assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=1, failed=0)
    row.refresh_from_db()
    assert (row.status, row.started_at) == (TaskResultStatus.READY, None)
    assert row.worker_ids == ["dead-1"]

    # The second run's worker dies too (no beat row at all: never beat, or removed).
    _claimed(row, "dead-2", minutes_ago=3)
    assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=0, failed=1)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.finished_at is not None
    assert row.exception_class_path.endswith(f"task_leases.{WorkerLostError.__qualname__}")
    assert "dead-2" in row.traceback
    assert f"run {MAX_RUNS} of {MAX_RUNS}" in row.traceback
    assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=0, failed=0)


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_beats_or_that_started_within_the_lease_is_left_running() -> None:
    long_running, just_started = _queued(), _queued()
    _beat("alive", minutes_ago=0.5)  # within the 60 s lease
    _claimed(long_running, "alive", minutes_ago=30)
    _claimed(just_started, "silent", minutes_ago=0.2)

    assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=0, failed=0)
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {TaskResultStatus.RUNNING}

    TaskWorker.objects.filter(worker_id="alive").update(
        beat_at=timezone.now() - timedelta(minutes=2)
    )
    assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=1, failed=0)
    long_running.refresh_from_db()
    assert long_running.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
def test_a_list_import_lost_twice_is_refused_with_the_reason_and_stores_nothing(
    liaocheng: Staff, tmp_path: Path
) -> None:
    workbook = write_list(tmp_path / "list.xlsx").read_bytes()
    upload = BytesIO(workbook)
    upload.name = "list.xlsx"
    record = emission_list_upload(
        jurisdiction=liaocheng.jurisdiction, file=upload, actor=liaocheng.office_clerk
    )
    row = DBTaskResult.objects.get(args_kwargs__args=[record.pk])
    running = ListImport.objects.filter(pk=record.pk, state=ListImport.State.QUEUED)
    assert running.update(state=ListImport.State.RUNNING)  # as the first run's claim
    _claimed(row, "dead-1", minutes_ago=5)
    stale_tasks_recover(lease=LEASE)
    record.refresh_from_db()
    assert record.state == ListImport.State.QUEUED, "queued again: the second run claims it"
    assert running.update(state=ListImport.State.RUNNING)  # the second run's claim
    _claimed(row, "dead-2", minutes_ago=5)
    stale_tasks_recover(lease=LEASE)

    record.refresh_from_db()
    assert record.state == ListImport.State.REFUSED
    assert [e["reason"] for e in record.errors] == [WORKER_LOST]
    assert bytes(record.workbook) == b""
    assert not ListedEnterprise.objects.exists()
    page = Client()
    page.force_login(liaocheng.office_clerk)
    html = page.get(f"/enterprises/list/{liaocheng.jurisdiction.code}/imports/{record.pk}/")
    assert "后台任务进程两次在处理中途停止" in html.content.decode()


def _in_progress_states(model: type[Model]) -> set[str]:
    return {
        value
        for field in model._meta.get_fields()
        if isinstance(field, CharField) and field.choices
        for value, _label in field.flatchoices
        if value in ("running", "processing")
    }


def test_every_row_a_task_marks_running_is_brought_to_an_end_when_its_worker_is_lost() -> None:
    """A model with a running or processing state (set by a task's claim) is declared with
    ``task_rows.track``, so a lost worker cannot leave it so for ever."""
    in_progress = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label != "django_tasks_db" and _in_progress_states(model)
    }
    declared = {row.model._meta.label for row in tracked().values()}
    assert in_progress == declared
    for row in tracked().values():
        assert row.running in _in_progress_states(row.model)


@pytest.mark.django_db(transaction=True)
def test_a_task_that_failed_with_an_error_leaves_its_row_failed_with_a_reason(
    liaocheng: Staff, tmp_path: Path
) -> None:
    workbook = BytesIO(write_list(tmp_path / "list.xlsx").read_bytes())
    workbook.name = "list.xlsx"
    record = emission_list_upload(
        jurisdiction=liaocheng.jurisdiction, file=workbook, actor=liaocheng.office_clerk
    )
    row = DBTaskResult.objects.get(args_kwargs__args=[record.pk])
    row.claim("worker-1")
    ListImport.objects.filter(pk=record.pk).update(state=ListImport.State.RUNNING)
    row.set_failed(RuntimeError("the database went away"))
    task_row_finished(sender=None, task_result=row.task_result)

    record.refresh_from_db()
    assert record.state == ListImport.State.REFUSED
    assert [e["reason"] for e in record.errors] == [TASK_STOPPED]


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_row_the_dead_run_still_locks_waits_for_a_later_beat(
    liaocheng: Staff,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks of another session need PostgreSQL (set DATABASE_URL)")
    upload = MeterUpload.objects.create(
        jurisdiction=liaocheng.jurisdiction, filename="r.csv", outcome=MeterUpload.Outcome.QUEUED
    )
    row = DBTaskResult.objects.get(pk=meter_readings_store_task.enqueue(upload.pk).id)
    MeterUpload.objects.filter(pk=upload.pk).update(outcome=MeterUpload.Outcome.PROCESSING)
    _claimed(row, "dead-1", minutes_ago=5)
    dead_run = pg_connect()  # the dead run's session, still open, holding the upload's row
    dead_run.execute(f'UPDATE "{MeterUpload._meta.db_table}" SET stored = 0 WHERE id = {upload.pk}')
    try:
        started = time.monotonic()
        assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=0, failed=0)
        assert time.monotonic() - started < 10, "the recovery did not wait on the row"
    finally:
        dead_run.close()  # the server ends it: rolled back, the lock let go
    assert stale_tasks_recover(lease=LEASE) == Recovered(requeued=1, failed=0)
    upload.refresh_from_db()
    assert upload.outcome == MeterUpload.Outcome.QUEUED
