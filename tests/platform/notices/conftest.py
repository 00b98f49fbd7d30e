"""Real parts on loopback for the notices: an SMTP server (aiosmtpd) and an HTTP server that plays
a webhook receiver and an SMS gateway, recording every request and answering scripted statuses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings as SettingsWrapper

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact, WebhookEndpoint

from .notice_helpers import (
    LOOPBACK,
    WEBHOOK_SECRET,
    HttpReceiver,
    Office,
    Recorded,
    SmtpInbox,
    free_port,
)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpInbox]:
    inbox = SmtpInbox(port=free_port())
    controller = Controller(
        inbox, hostname=LOOPBACK, port=inbox.port, server_hostname="hazeguard-test-smtp"
    )
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def _http_server() -> Iterator[tuple[ThreadingHTTPServer, HttpReceiver]]:
    receiver = HttpReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(
                Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            answer = receiver.answers.pop(0) if receiver.answers else b"ok"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
    receiver.url = f"http://{LOOPBACK}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def http_receiver(_http_server: tuple[ThreadingHTTPServer, HttpReceiver]) -> HttpReceiver:
    """The loopback HTTP server, with no requests recorded and no statuses scripted."""
    receiver = _http_server[1]
    receiver.statuses.clear()
    receiver.answers.clear()
    receiver.requests.clear()
    return receiver


@pytest.fixture
def mail(smtp_server: SmtpInbox) -> SmtpInbox:
    smtp_server.messages.clear()
    return smtp_server


@pytest.fixture(autouse=True)
def notice_settings(
    settings: SettingsWrapper, smtp_server: SmtpInbox, _http_server: Any
) -> SettingsWrapper:
    """E-mail to the loopback SMTP server, SMS to the loopback gateway, short back-off."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = LOOPBACK
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "hazeguard@example.org"
    settings.HAZEGUARD_BASE_URL = "http://testserver"
    settings.NOTICES_SMS_URL = _http_server[1].url + "/sms/send?to={phone}"
    settings.NOTICES_SMS_USER = "gateway-user"
    settings.NOTICES_SMS_PASSWORD = "gateway-password"
    settings.NOTICES_RETRY_SECONDS = 60
    settings.NOTICES_MAX_ATTEMPTS = 4
    settings.NOTICES_LEASE_SECONDS = 120
    return settings


@pytest.fixture
def office(city: Jurisdiction, make_person: Any, http_receiver: HttpReceiver) -> Office:
    clerk = make_person("city-clerk", Role.COMMAND_OFFICE_STAFF, city)
    clerk.email = "clerk@example.org"
    clerk.save()
    director = make_person("city-director", Role.OFFICE_DIRECTOR, city)
    director.email = "director@example.org"
    director.save()
    return Office(
        city=city,
        clerk=clerk,
        director=director,
        county_contact=Contact.objects.create(
            jurisdiction=city,
            name="县值班室 county duty office",
            email="county@example.org",
            phone="13800000001",
        ),
        endpoint=WebhookEndpoint.objects.create(
            jurisdiction=city,
            name="市政府网站 city website",
            url=http_receiver.url + "/hooks/hazeguard",
            secret=WEBHOOK_SECRET,
        ),
        escalation_contact=Contact.objects.create(
            jurisdiction=city,
            name="应急值班 escalation duty",
            email="duty@example.org",
            escalation=True,
        ),
    )
