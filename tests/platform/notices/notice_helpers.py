"""The loopback servers' records and the office the notices tests work in."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from django.contrib.auth.models import User
from django.db import connection

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact, WebhookEndpoint

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
        **extra,
    )
    return env
