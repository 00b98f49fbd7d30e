"""Sign-in as a level-3 assessor checks it: a second factor for the command and administrators
(authenticator app, text message through the gateway, recovery codes), a lock that says until
when, idle sessions ended, sign-out everywhere, password rules."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hazeguard_platform.accounts.models import Membership, Role, SmsDevice
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-7"
NOON = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)


def _person(username: str, role: Role, city: Jurisdiction) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, jurisdiction=city, role=role)
    return user


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _lets_in(client: Client) -> bool:
    """The staff home answers (its page, or the one jurisdiction's page it sends to), not the
    sign-in steps."""
    response = client.get("/staff/")
    return response.status_code == 200 or not response.url.startswith("/accounts/")


def _totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_commander_sets_up_an_authenticator_app_before_anything_else(
    city: Jurisdiction,
) -> None:
    commander = _person("commander", Role.COMMANDER, city)
    client = _signed_in("commander")
    assert client.get("/staff/").url.startswith("/accounts/verify/")
    assert client.get("/accounts/verify/").url == "/accounts/two-factor/"
    setup = client.get("/accounts/two-factor/")
    assert "您的角色需要登录第二步验证" in setup.content.decode()  # Chinese first
    page = client.post("/accounts/two-factor/", {"action": "totp"}).content.decode()
    assert "<svg" in page
    assert 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=commander, confirmed=False)
    with time_machine.travel(NOON, tick=False) as clock:
        wrong = client.post("/accounts/two-factor/", {"action": "confirm_totp", "code": "000000"})
        assert wrong.status_code == 400
        clock.shift(timedelta(seconds=2))  # django-otp slows down after a wrong code
        done = client.post(
            "/accounts/two-factor/", {"action": "confirm_totp", "code": _totp_code(device)}
        )
        assert 'id="recovery-codes"' in done.content.decode()  # the first set comes with it
        assert _lets_in(client)
    assert AuditEntry.objects.filter(action="two_factor.add", actor=commander).exists()


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_next_sign_in_asks_for_the_code_and_a_recovery_code_works_once(
    city: Jurisdiction,
) -> None:
    _person("director", Role.OFFICE_DIRECTOR, city)
    first = _signed_in("director")
    first.post("/accounts/two-factor/", {"action": "totp"})
    device = TOTPDevice.objects.get(user__username="director")
    page = first.post(
        "/accounts/two-factor/", {"action": "confirm_totp", "code": _totp_code(device)}
    )
    codes = page.context["codes"]
    second = _signed_in("director")
    assert second.get("/staff/").url.startswith("/accounts/verify/")
    # A password alone cannot add a device to an account that has one.
    assert second.get("/accounts/two-factor/").url.startswith("/accounts/verify/")
    refused = second.post("/accounts/verify/", {"code": "123456", "next": "/staff/"})
    assert refused.status_code == 400
    time.sleep(1.1)  # django-otp slows down after a wrong code
    assert second.post("/accounts/verify/", {"code": codes[0], "next": "/staff/"}).url == (
        "/staff/"
    )
    assert _lets_in(second)
    third = _signed_in("director")
    assert third.post("/accounts/verify/", {"code": codes[0]}).status_code == 400
    assert AuditEntry.objects.filter(action="login.second_factor_failed").count() == 2


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[list[dict[str, list[str]]]]:
    """A loopback SMS gateway: the forms it was posted."""
    received: list[dict[str, list[str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(parse_qs(body.decode()))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTICES_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_code_by_text_message_through_the_configured_gateway(
    city: Jurisdiction, sms_gateway: list[dict[str, list[str]]]
) -> None:
    _person("admin", Role.ADMINISTRATOR, city)
    client = _signed_in("admin")
    client.post("/accounts/two-factor/", {"action": "sms", "phone": "13800138000"})
    assert sms_gateway[0]["phone"] == ["13800138000"]
    code = SmsDevice.objects.get(user__username="admin").token
    assert code in sms_gateway[0]["text"][0]
    client.post("/accounts/two-factor/", {"action": "confirm_sms", "code": code})
    assert _lets_in(client)
    again = _signed_in("admin")
    again.post("/accounts/verify/", {"send_sms": "1"})
    code = SmsDevice.objects.get(user__username="admin").token
    assert again.post("/accounts/verify/", {"code": code, "next": "/staff/"}).url == "/staff/"


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_an_enterprise_contact_is_not_asked_for_a_second_factor(city: Jurisdiction) -> None:
    _person("contact", Role.ENTERPRISE_CONTACT, city)
    client = _signed_in("contact")
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.get("/").status_code == 200


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_a_locked_account_says_so_and_until_when_even_with_the_right_password(
    city: Jurisdiction,
) -> None:
    _person("clerk", Role.COMMAND_OFFICE_STAFF, city)
    client = Client()
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
        page = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    text = page.content.decode()
    assert page.status_code == 200
    # 12:00 China time + 15 minutes.
    assert "该账户已锁定至 2026-01-05 12:15（北京时间）" in text
    english = Client(headers={"accept-language": "en"})
    english.cookies["django_language"] = "en"
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        page = english.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert "locked after too many failed sign-ins, until 2026-01-05 12:15" in page.content.decode()


@override_settings(SESSION_IDLE_MINUTES_STAFF=30, SESSION_IDLE_MINUTES=120)
def test_a_staff_session_ends_after_30_idle_minutes_and_says_why(city: Jurisdiction) -> None:
    _person("clerk", Role.COMMAND_OFFICE_STAFF, city)
    with time_machine.travel(NOON, tick=False) as clock:
        client = _signed_in("clerk")
        clock.shift(timedelta(minutes=29))
        assert _lets_in(client)
        clock.shift(timedelta(minutes=29))  # 29 minutes since the last request
        assert _lets_in(client)
        clock.shift(timedelta(minutes=31))
        ended = client.get("/staff/")
    assert ended.url.startswith("/accounts/login/?next=%2Fstaff%2F&idle=30")
    login_page = client.get(ended.url).content.decode()
    assert "您已 30 分钟未操作，已自动退出" in login_page
    assert AuditEntry.objects.filter(action="session.idle_timeout").count() == 1


@override_settings(SESSION_IDLE_MINUTES_STAFF=30, SESSION_IDLE_MINUTES=120)
def test_an_enterprise_contact_has_the_longer_idle_limit(city: Jurisdiction) -> None:
    _person("contact", Role.ENTERPRISE_CONTACT, city)
    with time_machine.travel(NOON, tick=False) as clock:
        client = _signed_in("contact")
        clock.shift(timedelta(minutes=90))
        assert client.get("/accounts/two-factor/").status_code == 200


def test_sign_out_everywhere_ends_the_sessions_on_other_devices(city: Jurisdiction) -> None:
    _person("clerk", Role.COMMAND_OFFICE_STAFF, city)
    laptop, phone = _signed_in("clerk"), _signed_in("clerk")
    assert _lets_in(phone)
    laptop.post("/accounts/sign-out-everywhere/")
    assert phone.get("/staff/").url.startswith("/accounts/login/")
    assert laptop.get("/staff/").url.startswith("/accounts/login/")
    record = AuditEntry.objects.get(action="logout.everywhere")
    assert record.after == {"sessions": 2}


def test_a_new_password_must_pass_the_rules(city: Jurisdiction) -> None:
    _person("wangxiaoming", Role.COMMAND_OFFICE_STAFF, city)
    client = _signed_in("wangxiaoming")
    for weak, reason in (
        ("short1", "密码太短，至少需要 10 个字符"),
        ("password123", "太常见"),
        ("wangxiaoming1", "相似"),
        ("3141592653589", "密码只包含数字"),
    ):
        page = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert page.status_code == 200
        assert reason in page.content.decode(), weak
    done = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "haze-winter-lantern-42",
            "new_password2": "haze-winter-lantern-42",
        },
    )
    assert done.status_code == 302
    assert AuditEntry.objects.filter(action="password.change").count() == 1


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_session_from_before_the_policy_still_needs_the_second_factor(
    city: Jurisdiction,
) -> None:
    _person("commander", Role.COMMANDER, city)
    client = _signed_in("commander")
    session = client.session
    for key in list(session.keys()):
        if key.startswith("hg_"):
            del session[key]
    session.save()
    assert client.get("/staff/").url.startswith("/accounts/verify/")
