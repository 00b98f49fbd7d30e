"""The electricity check runs in the task worker: the office queues it, the worker runs it once,
and the summary page shows it queued, running, done or failed (docs/summaries.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from hazeguard_platform.accounts.models import Membership
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ForbiddenError
from hazeguard_platform.meters.check_services import (
    electricity_check_job_run,
    electricity_check_queue,
)
from hazeguard_platform.meters.models import ElectricityCheck, ElectricityCheckJob
from hazeguard_platform.meters.tasks import electricity_check_task
from hazeguard_platform.notices.task_leases import Recovered, stale_tasks_recover

from .red_episode import RedEpisode

State = ElectricityCheckJob.State


def _page(red: RedEpisode) -> str:
    client = Client()
    client.force_login(red.staff.office_clerk)
    return client.get(f"/summaries/episode/{red.episode.pk}/").content.decode()


def test_queuing_enqueues_one_task_by_id_and_the_worker_stores_the_check(
    red: RedEpisode, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    assert (job.state, job.check_run) == (State.QUEUED, None)
    assert not ElectricityCheck.objects.exists(), "nothing runs in the request"
    task = DBTaskResult.objects.get(task_path=electricity_check_task.module_path)
    assert task.args_kwargs["args"] == [job.pk]

    check_id = electricity_check_task.call(job.pk)

    job.refresh_from_db()
    assert job.state == State.DONE
    assert job.check_run_id == check_id == ElectricityCheck.objects.get().pk
    assert job.started_at is not None
    assert job.finished_at is not None
    assert AuditEntry.objects.filter(action="electricity_check.queue").count() == 1
    assert 'data-state="done"' in _page(red)


def test_pressing_the_button_again_while_it_waits_queues_no_second_check(
    red: RedEpisode,
) -> None:
    first = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    again = electricity_check_queue(actor=red.staff.office_director, episode=red.episode)
    assert again.pk == first.pk
    assert 'id="check-job" data-state="queued"' in _page(red)
    electricity_check_job_run(job_id=first.pk)
    after = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    assert after.pk != first.pk, "once done, the office may run it again"


def test_a_second_delivery_of_the_task_runs_nothing(red: RedEpisode) -> None:
    job = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    assert electricity_check_job_run(job_id=job.pk) is not None
    assert electricity_check_job_run(job_id=job.pk) is None
    assert ElectricityCheck.objects.count() == 1


def test_a_refused_check_is_recorded_on_the_job_with_its_reason(red: RedEpisode) -> None:
    job = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    Membership.objects.filter(user=red.staff.office_clerk).delete()  # left the office meanwhile
    done = electricity_check_job_run(job_id=job.pk)
    assert done is not None
    assert (done.state, done.check_run) == (State.FAILED, None)
    assert "needs the command office" in done.error
    assert not ElectricityCheck.objects.exists()


def test_a_check_left_running_by_a_stopped_worker_is_replaced_after_30_minutes(
    red: RedEpisode, clock: time_machine.Coordinates
) -> None:
    stuck = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    ElectricityCheckJob.objects.filter(pk=stuck.pk).update(
        state=State.RUNNING, started_at=stuck.requested_at
    )
    clock.shift(timedelta(minutes=29))
    assert electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode) == stuck
    clock.shift(timedelta(minutes=2))
    fresh = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    stuck.refresh_from_db()
    assert fresh.pk != stuck.pk
    assert fresh.state == State.QUEUED
    assert stuck.state == State.FAILED
    assert "the worker stopped" in stuck.error


def test_an_enterprise_contact_cannot_queue_the_check(red: RedEpisode) -> None:
    with pytest.raises(ForbiddenError):
        electricity_check_queue(actor=red.firms.cement_contact, episode=red.episode)
    assert not ElectricityCheckJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_check_whose_worker_was_lost_is_queued_again_and_done_once_by_the_rerun(
    red: RedEpisode, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = electricity_check_queue(actor=red.staff.office_clerk, episode=red.episode)
    task = DBTaskResult.objects.get(task_path=electricity_check_task.module_path)
    task.claim("dead-worker")  # it claimed the task and the job, then died (no heartbeat)
    assert ElectricityCheckJob.objects.filter(pk=job.pk).update(state=State.RUNNING)

    assert stale_tasks_recover(lease=timedelta(seconds=60)) == Recovered(requeued=1, failed=0)
    job.refresh_from_db()
    assert job.state == State.QUEUED, "queued again with its task"

    check_id = electricity_check_task.call(job.pk)  # the second run
    job.refresh_from_db()
    assert (job.state, job.check_run_id) == (State.DONE, check_id)
    assert ElectricityCheck.objects.count() == 1
