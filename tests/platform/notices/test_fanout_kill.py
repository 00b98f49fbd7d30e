"""A red warning's notice fans out to thousands of enterprises while the background processes
(the task worker and the notice sender, as ``hazeguard serve`` starts them) are killed with
SIGKILL half-way; restarted, they finish: every enterprise has its task and its notice once, and
every e-mail reaches its address, none lost. Real processes, real PostgreSQL, real SMTP on
loopback. The figures it prints are in docs/security.md ("Faults survived")."""

from __future__ import annotations

import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import Staff
from hazeguard_platform.enterprises.models import EnterpriseTask
from hazeguard_platform.notices.models import Channel, Delivery, DeliveryState, Notice, Recipient
from hazeguard_platform.notices.transports import DELIVERY_HEADER
from hazeguard_platform.response.services import warning_issue

from .notice_helpers import (
    BACKGROUND,
    SmtpInbox,
    approved_red,
    background,
    wait_until,
    worker_environment,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Seconds a killed process's claims stay its own (default 120 s).
LEASE_SECONDS = 30  # the least the setting allows


@pytest.mark.parametrize(
    "enterprises",
    # Slow: two process starts, the 30 s lease and the e-mails took 105-230 s on the shared machine.
    [pytest.param(n, id=str(n), marks=(pytest.mark.slow, pytest.mark.faults)) for n in (200, 5000)],
)
def test_background_killed_mid_fan_out_resumes_without_loss_or_double(
    kashgar: Staff, mail: SmtpInbox, enterprises: int
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several processes on one database need PostgreSQL (set DATABASE_URL)")
    warning, addresses = approved_red(kashgar, enterprises)
    issued_at = time.monotonic()
    warning_issue(
        actor=kashgar.office_clerk,
        warning_id=warning.pk,
        starts_at=timezone.now() + timedelta(days=2),
    )
    issue_seconds = time.monotonic() - issued_at
    emails = Delivery.objects.filter(channel=Channel.EMAIL, recipient__user__email__in=addresses)
    assert emails.count() == enterprises

    env = worker_environment(mail.port, HAZEGUARD_NOTICES_LEASE_SECONDS=str(LEASE_SECONDS))
    started = time.monotonic()
    processes = background(env)
    try:
        wait_until(lambda: len(mail.messages) >= enterprises // 3, processes, 120)
    finally:
        for process in processes:
            process.send_signal(signal.SIGKILL)  # no cleanup: their claims stay "sending"
        for process in processes:
            process.wait(timeout=10)
    before_kill = time.monotonic() - started
    sent_before = len(mail.messages)
    assert emails.filter(state=DeliveryState.SENT).count() < enterprises, "killed mid-way"

    restarted = time.monotonic()
    processes = background(env)
    try:
        wait_until(lambda: not emails.exclude(state=DeliveryState.SENT).exists(), processes, 600)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    after_restart = time.monotonic() - restarted

    # Every enterprise's task and notice, once.
    tasks = EnterpriseTask.objects.filter(warning=warning)
    assert tasks.count() == enterprises
    assert tasks.values("enterprise").distinct().count() == enterprises
    notice = Notice.objects.get(object_id=str(warning.pk), event="issue")
    contacts = Recipient.objects.filter(notice=notice, user__email__in=addresses)
    assert contacts.count() == enterprises
    assert Counter(emails.values_list("recipient_id", flat=True)) == Counter(
        contacts.values_list("pk", flat=True)
    )
    # Every address received its e-mail (none lost); a repeat can only be the one message a
    # process had handed to the server when it was killed (at least once, docs/notices.md),
    # carrying the same delivery id.
    wanted = set(addresses)
    received = [(m["To"], m[DELIVERY_HEADER]) for m in mail.messages if m["To"] in wanted]
    by_address = Counter(address for address, _ in received)
    assert set(by_address) == wanted
    repeats = sum(by_address.values()) - enterprises
    assert repeats <= len(BACKGROUND)
    assert len(set(received)) == enterprises  # a repeat carries its delivery's id
    print(
        f"\n{enterprises} enterprises: issue {issue_seconds:.1f} s; "
        f"{sent_before} e-mails in {before_kill:.1f} s before SIGKILL; "
        f"restart to all sent {after_restart:.1f} s (lease {LEASE_SECONDS} s); "
        f"repeats {repeats}"
    )
