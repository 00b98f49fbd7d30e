"""The outbox worked by real processes on one PostgreSQL: two senders draining the same outbox
deliver each notice once; with the SMTP server down the deliveries wait, their attempts
recorded, and go out once it is back. Bounded in time."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import (
    Attempt,
    AttemptOutcome,
    Contact,
    Delivery,
    DeliveryState,
    Event,
)
from hazeguard_platform.notices.services import notice_create
from paths import ROOT

from .notice_helpers import SmtpInbox, free_port, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 60


def _senders(count: int, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "hazeguard_platform", "send_notices", "--once"]
    processes = [
        subprocess.Popen([*command, "--limit", "5"], cwd=ROOT, env=env) for _ in range(count)
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0


@pytest.fixture
def notice_to_many(city: Jurisdiction) -> list[str]:
    if connection.vendor != "postgresql":
        pytest.skip("several processes on one database need PostgreSQL (set DATABASE_URL)")
    contacts = [
        Contact.objects.create(jurisdiction=city, name=f"站点 {n}", email=f"duty{n}@example.org")
        for n in range(RECIPIENTS)
    ]
    notice_create(event=Event.ISSUE, recipients=contacts, actor=None, jurisdiction=city)
    return [contact.email for contact in contacts]


def test_two_senders_draining_one_outbox_deliver_each_notice_once(
    notice_to_many: list[str], mail: SmtpInbox
) -> None:
    _senders(2, worker_environment(mail.port))
    received = Counter(address for message in mail.messages for address in message.get_all("To"))
    assert received == Counter(notice_to_many)  # every one, none twice
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert Attempt.objects.count() == RECIPIENTS


def test_with_smtp_down_notices_wait_with_their_attempts_and_go_out_after(
    notice_to_many: list[str], mail: SmtpInbox
) -> None:
    _senders(1, worker_environment(free_port()))  # nothing listens there: the server is down
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.QUEUED}
    failed = Attempt.objects.filter(outcome=AttemptOutcome.RETRY)
    assert failed.count() == RECIPIENTS
    assert all(a.error for a in failed)
    # The back-off (60 s) has run out: the server is up again.
    Delivery.objects.update(next_attempt_at=timezone.now())
    _senders(1, worker_environment(mail.port))
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert sorted(a for m in mail.messages for a in m.get_all("To")) == sorted(notice_to_many)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}


def test_a_sender_killed_mid_drain_leaves_nothing_lost_and_at_most_one_sent_twice(
    notice_to_many: list[str], mail: SmtpInbox
) -> None:
    env = worker_environment(mail.port)
    command = [sys.executable, "-m", "hazeguard_platform", "send_notices", "--limit", "5"]
    sender = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while len(mail.messages) < RECIPIENTS // 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sender.send_signal(signal.SIGKILL)  # no cleanup: rows it claimed stay "sending"
        sender.wait(timeout=10)
    assert len(mail.messages) < RECIPIENTS, "killed before the end of the drain"
    # The dead sender's lease (at least 30 s) runs out.
    Delivery.objects.filter(state=DeliveryState.SENDING).update(lease_until=timezone.now())
    _senders(1, env)
    received = Counter(address for message in mail.messages for address in message.get_all("To"))
    assert set(received) == set(notice_to_many)  # none lost
    # At-least-once: only a message in hand when the sender died can go out twice.
    assert sum(received.values()) - RECIPIENTS <= 1
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
