"""Liaocheng's red warning notice, acknowledged in the inbox and through the mailed link, and the
office's view of who acknowledged, when, and who is past the counties' 3-hour deadline (seed 003
§4.2) and escalated.

The e-mail goes to a real SMTP server on loopback (aiosmtpd); the test reads the message it
received and opens its link in Chromium. The outbox and the escalation are the worker functions
(`outbox_process`, `notices_escalate`), run at the moved clock's now.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import time, timedelta
from email.header import decode_header, make_header
from email.message import Message as EmailMessage

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.notices.models import Notice
from hazeguard_platform.notices.services import notices_escalate, outbox_process
from hazeguard_platform.public.presenters import when as when_text

from .setups import Person, Shot, SignIn, china_time, command, issued

LOOPBACK = "127.0.0.1"


class Mailbox(MessageHandler):
    """Every message the loopback SMTP server accepted, parsed."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[EmailMessage] = []

    def handle_message(self, message: EmailMessage) -> None:
        self.received.append(message)


@pytest.fixture
def mailbox(settings: SettingsWrapper, live_server: object) -> Iterator[Mailbox]:
    """A loopback SMTP server the notices' e-mail goes to; links point at the live server."""
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port: aiosmtpd checks it is up by connecting
        probe.bind((LOOPBACK, 0))
        port = int(probe.getsockname()[1])
    controller = Controller(mailbox, hostname=LOOPBACK, port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = LOOPBACK
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.HAZEGUARD_BASE_URL = str(live_server)
    try:
        yield mailbox
    finally:
        controller.stop()


def test_the_red_notice_is_acknowledged_in_the_inbox_and_by_mail_and_the_late_are_escalated(
    browser: Browser,
    person: Person,
    sign_in: SignIn,
    shot: Shot,
    live_server: object,
    mailbox: Mailbox,
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True) as clock:
        city, people = command(person, "liaocheng-2020")
        person("dongchangfu-officer", Role.COUNTY_OFFICER, city.children.get(code="dongchangfu"))
        person("linqing-officer", Role.COUNTY_OFFICER, city.children.get(code="linqing"))
        bureau = city.member_units.get(code="ecology_environment")
        officer = person("bureau-officer", Role.MEMBER_UNIT_STAFF, city, bureau)
        officer.email = "bureau-duty@example.org"
        officer.save()
        warning = issued(city, people, "red")
        notice = Notice.objects.get(event="issue", object_id=str(warning.pk))
        assert notice.due_at is not None
        outbox_process(now=timezone.now())

        # The county officer reads the notice in the inbox and acknowledges it with the button.
        county = sign_in(base, "dongchangfu-officer")
        county.click("a[href='/notices/inbox/']")
        row = county.locator("#inbox tbody tr").first
        expect(row.locator(".notice-body")).to_contain_text("红色预警")  # the level's name
        expect(row).to_contain_text(when_text(notice.due_at, year=False))
        shot(county, "notices-0-inbox")
        row.get_by_role("button", name="确认收到").click()
        expect(county.locator("#inbox tbody tr").first).to_contain_text("已确认")

        # The bureau's duty officer acknowledges through the link in the mail actually received.
        (mail,) = [m for m in mailbox.received if m["To"] == "bureau-duty@example.org"]
        assert "聊城市" in str(make_header(decode_header(mail["Subject"])))
        text = mail.get_payload(decode=True).decode()
        link = re.search(r"确认收到 / Acknowledge: (\S+)", text)
        assert link is not None, text
        assert link.group(1).startswith(f"{base}/notices/ack/")
        reader = browser.new_context(locale="zh-CN").new_page()
        reader.goto(link.group(1))
        expect(reader.locator("h1")).to_contain_text(notice.title)
        shot(reader, "notices-1-mailed-link")
        reader.get_by_role("button", name="确认收到").click()
        expect(reader.locator("#ack-done")).to_contain_text("已确认")

        # Linqing's officer never answers: past the deadline the worker escalates to the office.
        clock.shift(notice.due_at - timezone.now() + timedelta(minutes=5))
        (overdue,) = notices_escalate(now=timezone.now())
        office = sign_in(base, "liaocheng-clerk")
        office.click("a[href='/notices/']")
        office.click(f"a[href='/notices/{notice.pk}/']")
        rows = office.locator("#recipients tbody tr")
        by_name = {
            name: rows.filter(has_text=name) for name in ("dongchangfu", "linqing", "bureau")
        }
        expect(by_name["dongchangfu"]).to_have_attribute("data-status", "acknowledged")
        acknowledged = notice.recipients.get(name="dongchangfu-officer").acknowledged_at
        assert acknowledged is not None
        when = f"{when_text(acknowledged, year=False)} (站内)"
        expect(by_name["dongchangfu"]).to_contain_text(when)
        expect(by_name["bureau"]).to_have_attribute("data-status", "acknowledged")
        expect(by_name["bureau"]).to_contain_text("(经链接)")
        expect(by_name["linqing"]).to_have_attribute("data-overdue", "1")
        expect(by_name["linqing"]).to_contain_text("逾期")
        expect(by_name["linqing"]).to_contain_text("已上报")
        shot(office, "notices-2-office-recipients")
        office.click(f"a[href='/notices/{overdue.pk}/']")
        expect(office.locator("h1")).to_contain_text(overdue.title)
        expect(office.locator(".notice-body")).to_contain_text("linqing-officer")
