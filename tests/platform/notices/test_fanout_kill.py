"""A red warning's notice fans out to thousands of enterprises while the background processes
(the task worker and the notice sender, as ``hazeguard serve`` starts them) are killed with
SIGKILL half-way; restarted, they finish: every enterprise has its task and its notice once, and
every e-mail reaches its address, none lost. Real processes, real PostgreSQL, real SMTP on
loopback. The figures it prints are in docs/security.md ("Faults survived")."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from flows import proposed

from conftest import Staff, through_chain
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.enterprises.models import (
    EnterpriseContact,
    EnterpriseTask,
    ListedEnterprise,
    SiteMeasure,
)
from hazeguard_platform.notices.models import Channel, Delivery, DeliveryState, Notice, Recipient
from hazeguard_platform.notices.transports import DELIVERY_HEADER
from hazeguard_platform.response.services import warning_issue
from paths import ROOT

from .notice_helpers import SmtpInbox, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

# Seconds a killed process's claims stay its own (default 120 s).
LEASE_SECONDS = 30  # the least the setting allows
# As ``hazeguard serve`` starts them (hazeguard_platform/cli.py).
BACKGROUND = (
    ["db_worker", "--no-reload", "--verbosity", "0"],
    ["send_notices", "--verbosity", "0"],
)


def listed_with_contacts(staff: Staff, count: int) -> list[str]:
    """``count`` listed enterprises of ``staff``'s city, each with a red measure and a contact
    with an e-mail address (direct rows in bulk: set-up). Returns the addresses."""
    city = staff.jurisdiction
    enterprises = ListedEnterprise.objects.bulk_create(
        ListedEnterprise(
            jurisdiction=city,
            credit_code=f"91650000{n:010d}",
            name=f"企业{n}",
            county="测试县",
            industry_code="3011",
            grade="C",
            category="regular",
        )
        for n in range(count)
    )
    SiteMeasure.objects.bulk_create(
        SiteMeasure(enterprise=e, position=0, level="red", kind="stop", description="全部停产")
        for e in enterprises
    )
    password = make_password("fan-out-contact-password")
    people = User.objects.bulk_create(
        User(username=f"contact-{n}", email=f"contact{n}@example.org", password=password)
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=p, jurisdiction=city, role=Role.ENTERPRISE_CONTACT) for p in people
    )
    EnterpriseContact.objects.bulk_create(
        EnterpriseContact(user=p, enterprise=e) for p, e in zip(people, enterprises, strict=True)
    )
    return [p.email for p in people]


def background(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen([sys.executable, "-m", "hazeguard_platform", *command], cwd=ROOT, env=env)
        for command in BACKGROUND
    ]


def wait_until(
    done: Callable[[], bool], processes: list[subprocess.Popen[bytes]], seconds: float
) -> float:
    """Poll ``done()`` every 0.2 s until it is true, while ``processes`` run; returns the
    seconds waited."""
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < seconds, f"not done after {seconds} s"
        assert all(p.poll() is None for p in processes), "a background process stopped"
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.mark.parametrize(
    "enterprises",
    [pytest.param(200, id="200"), pytest.param(5000, id="5000", marks=pytest.mark.slow)],
)
def test_background_killed_mid_fan_out_resumes_without_loss_or_double(
    kashgar: Staff, mail: SmtpInbox, enterprises: int
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several processes on one database need PostgreSQL (set DATABASE_URL)")
    addresses = listed_with_contacts(kashgar, enterprises)
    warning = proposed(kashgar)
    through_chain(kashgar, warning.pk)
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
