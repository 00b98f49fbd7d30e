"""The outbox worker: claims, leases, restarts, the command's loop and the tasks."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hazeguard_platform.notices.models import (
    Attempt,
    AttemptOutcome,
    Channel,
    Delivery,
    DeliveryState,
    Event,
    Notice,
)
from hazeguard_platform.notices.outbox import _claim, backoff, outbox_next_due
from hazeguard_platform.notices.services import notice_create, outbox_process
from hazeguard_platform.notices.tasks import outbox_drain_task

from .notice_helpers import HttpReceiver, Office

pytestmark = pytest.mark.django_db


def webhook_notice(office: Office) -> tuple[Notice, Delivery]:
    notice = notice_create(
        event=Event.LIFT, recipients=[office.endpoint], actor=None, jurisdiction=office.city
    )
    return notice, Delivery.objects.get(recipient__notice=notice, channel=Channel.WEBHOOK)


def claimed_by_dead_worker(hook: Delivery, *, lease_until: object) -> None:
    """What a worker leaves behind when it is killed between its claim and the outcome."""
    Delivery.objects.filter(pk=hook.pk).update(
        state=DeliveryState.SENDING, attempts=1, worker="dead-host:1", lease_until=lease_until
    )


def test_a_row_claimed_by_a_dead_worker_is_sent_once_its_lease_has_run_out(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    _, hook = webhook_notice(office)
    claimed_by_dead_worker(hook, lease_until=timezone.now() + timedelta(seconds=120))
    assert outbox_process(now=timezone.now()).claimed == 0  # the lease still holds
    assert http_receiver.requests == []

    clock.shift(timedelta(seconds=120))
    run = outbox_process(now=timezone.now(), worker="new-host:2")
    assert run.sent == [hook.pk]
    assert len(http_receiver.requests) == 1
    hook.refresh_from_db()
    assert (hook.state, hook.attempts, hook.worker) == (DeliveryState.SENT, 2, "new-host:2")
    log = list(Attempt.objects.filter(delivery=hook).values_list("outcome", "worker"))
    assert log == [(AttemptOutcome.ABANDONED, "dead-host:1"), (AttemptOutcome.SENT, "new-host:2")]


def test_a_row_already_sent_is_never_sent_again(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    webhook_notice(office)
    outbox_process(now=timezone.now())
    for hours in (1, 2, 48):  # restarts later on
        clock.shift(timedelta(hours=hours))
        assert outbox_process(now=timezone.now()).claimed == 0
    assert len(http_receiver.requests) == 1


def test_of_two_workers_reading_the_same_row_only_one_claims_it(office: Office) -> None:
    _, hook = webhook_notice(office)
    row = Delivery.objects.filter(pk=hook.pk).values(
        "pk", "state", "attempts", "worker", "lease_until"
    )[0]
    now = timezone.now()
    first = _claim(dict(row), now=now, worker="a:1")
    second = _claim(dict(row), now=now, worker="b:2")
    assert first is not None
    assert second is None
    hook.refresh_from_db()
    assert (hook.worker, hook.attempts) == ("a:1", 1)


def test_a_worker_whose_lease_was_taken_over_does_not_overwrite_the_outcome(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    _, hook = webhook_notice(office)
    slow = _claim(
        Delivery.objects.filter(pk=hook.pk).values(
            "pk", "state", "attempts", "worker", "lease_until"
        )[0],
        now=timezone.now(),
        worker="slow:1",
    )
    assert slow is not None
    clock.shift(timedelta(minutes=5))  # the slow worker's lease runs out; another takes over
    http_receiver.statuses[:] = [503]
    outbox_process(now=timezone.now(), worker="fast:2")
    from hazeguard_platform.notices.outbox import _finish

    _finish(slow, started=timezone.now(), worker="slow:1", error=None)
    hook.refresh_from_db()
    assert (hook.state, hook.worker) == (DeliveryState.QUEUED, "fast:2")


def test_the_backoff_starts_at_the_configured_delay_and_stops_growing_at_an_hour() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (60, 120, 240)]
    assert backoff(12) == timedelta(hours=1)
    assert backoff(10_000) == timedelta(hours=1)


def test_the_next_due_time_is_the_earliest_retry(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    assert outbox_next_due() is None
    webhook_notice(office)
    http_receiver.statuses[:] = [500]
    outbox_process(now=timezone.now())
    assert outbox_next_due() == timezone.now() + timedelta(seconds=60)


def test_send_notices_once_sends_what_is_due_and_exits(
    office: Office, http_receiver: HttpReceiver
) -> None:
    _, hook = webhook_notice(office)
    out = StringIO()
    call_command("send_notices", "--once", stdout=out)
    assert f"delivery {hook.pk}: sent" in out.getvalue()
    assert "tried 1 deliveries" in out.getvalue()
    assert len(http_receiver.requests) == 1


def test_send_notices_stops_cleanly_on_sigterm(office: Office) -> None:
    previous = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGTERM))
    out = StringIO()
    started = time.monotonic()
    timer.start()
    try:
        # Bounded: without the signal the loop would end after 600 passes of 0.05 s idle.
        call_command("send_notices", "--interval", "0.05", "--max-passes", "600", stdout=out)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert "finishing the delivery in hand" in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) == previous  # the handler is put back


def test_creating_a_notice_enqueues_the_drain_and_the_escalation_on_commit(
    office: Office, django_capture_on_commit_callbacks: object
) -> None:
    due = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notice_create(
            event=Event.ISSUE,
            recipients=[office.county_contact],
            actor=office.clerk,
            jurisdiction=office.city,
            due_at=due,
        )
    tasks = {row.task_path: row.run_after for row in DBTaskResult.objects.all()}
    assert set(tasks) == {
        "hazeguard_platform.notices.tasks.outbox_drain_task",
        "hazeguard_platform.notices.tasks.notices_escalate_task",
    }
    assert tasks["hazeguard_platform.notices.tasks.notices_escalate_task"] == due


def test_the_drain_task_sends_and_schedules_itself_for_the_next_retry(
    office: Office, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    webhook_notice(office)
    http_receiver.statuses[:] = [502]
    assert outbox_drain_task.call() == 1
    (follow_up,) = DBTaskResult.objects.filter(
        task_path="hazeguard_platform.notices.tasks.outbox_drain_task"
    )
    assert follow_up.run_after == timezone.now() + timedelta(seconds=60)
