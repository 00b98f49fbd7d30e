"""The loopback servers' records, the office the notices tests work in, and the platform's
background processes on the test database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

import psycopg
import time_machine
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from flows import proposed

from conftest import T0, Staff, through_chain
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.enterprises.models import EnterpriseContact, ListedEnterprise, SiteMeasure
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact, WebhookEndpoint
from hazeguard_platform.warnings.models import Warning
from paths import ROOT

LOOPBACK = "127.0.0.1"
WEBHOOK_SECRET = "endpoint-secret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpInbox:
    """What the loopback SMTP server accepted; addresses starting ``bounce`` get 550, ``later``
    get 451."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content))
        return "250 Message accepted"


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    """Answers each POST with the next scripted status (200 when none is left) and body ("ok"
    when none is left), and records it."""

    url: str
    statuses: list[int] = field(default_factory=list)
    answers: list[bytes] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)


@dataclass
class Office:
    """A city's command office, a county duty contact, a webhook endpoint and an escalation
    contact."""

    city: Jurisdiction
    clerk: User
    director: User
    county_contact: Contact
    endpoint: WebhookEndpoint
    escalation_contact: Contact


def pg_connect() -> psycopg.Connection:
    """A connection of its own to the test database (PostgreSQL), outside Django's."""
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"],
        port=params["PORT"],
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        dbname=params["NAME"],
    )


def worker_environment(smtp_port: int, **extra: str) -> dict[str, str]:
    """The environment of a platform process (worker, notice sender) on the test database, its
    mail to the loopback SMTP server on ``smtp_port``; ``extra`` adds variables."""
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER']}:{params.get('PASSWORD') or ''}@{params['HOST']}:"
        f"{params['PORT']}/{params['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=url,
        HAZEGUARD_SECRET_KEY="outbox-process-test",
        HAZEGUARD_EMAIL_HOST=LOOPBACK,
        HAZEGUARD_EMAIL_PORT=str(smtp_port),
        HAZEGUARD_DATA_DIR=str(Path(env.get("TMPDIR", "/tmp")) / "hazeguard-outbox-test"),
    )
    env.update(extra)
    return env


# As ``hazeguard serve`` starts them (hazeguard_platform/cli.py).
BACKGROUND = (
    ["task_worker", "--no-reload", "--verbosity", "0"],
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


def approved_red(staff: Staff, enterprises: int) -> tuple[Warning, list[str]]:
    """A red warning of ``staff``'s city through its approval chain, ready to issue, with
    ``enterprises`` listed enterprises (:func:`listed_with_contacts`) and their addresses."""
    addresses = listed_with_contacts(staff, enterprises)
    # Proposed on the forecast's eve (forecasts/validation.py refuses a forecast of past days).
    with time_machine.travel(T0, tick=True):
        warning = proposed(staff)
        through_chain(staff, warning.pk)
    return warning, addresses
