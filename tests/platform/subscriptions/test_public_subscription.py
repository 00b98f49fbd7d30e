"""A person subscribes to Liaocheng's warnings by e-mail or SMS and hears of each warning.

Real parts on loopback: the SMTP server (aiosmtpd) and the SMS gateway of the notices tests;
the warnings go through the real services (flows.py).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message as EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from flows import adjusted, in_force, lifted
from notices.notice_helpers import HttpReceiver, SmtpInbox

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.subscriptions.models import Mailing, Subscription, SubscriptionState
from hazeguard_platform.subscriptions.sending import mailings_send
from hazeguard_platform.subscriptions.tokens import end_subscription_id

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/subscribe/(?:confirm|end)/[^/\s]+/)")
REASON = "预测AQI日均值>200持续4天，其中2天>300"  # the office's reason in flows.proposed


def _text(message: EmailMessage) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def _links(text: str) -> dict[str, str]:
    return {("confirm" if "/confirm/" in p else "end"): p for p in LINK.findall(text)}


def _subscribe(client: Client, address: str, channel: str = "email", code: str = "liaocheng"):  # type: ignore[no-untyped-def]
    return client.post(
        "/subscribe/", {"jurisdiction": code, "channel": channel, "address": address}
    )


def _confirmed(client: Client, mail: SmtpInbox, address: str) -> dict[str, str]:
    _subscribe(client, address)
    mailings_send(now=timezone.now())
    links = _links(_text(mail.messages[-1]))
    client.post(links["confirm"])
    mail.messages.clear()
    return links


def test_an_email_subscription_waits_for_the_link_in_the_confirmation_mail(
    client: Client, liaocheng: Staff, mail: SmtpInbox
) -> None:
    response = _subscribe(client, "  Resident@Example.org ")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "我们已向您填写的邮箱发送了一封邮件" in page
    subscription = Subscription.objects.get()
    assert (subscription.address, subscription.state) == ("resident@example.org", "pending")
    run = mailings_send(now=timezone.now())
    assert len(run.sent) == 1
    (message,) = mail.messages
    assert message["To"] == "resident@example.org"
    text = _text(message)
    assert "聊城市" in text
    assert "确认" in text
    links = _links(text)
    assert set(links) == {"confirm", "end"}  # an unsubscribe link in every mail
    # Opening the link shows a button; only its POST confirms (mail scanners open links).
    opened = client.get(links["confirm"])
    assert opened.status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.PENDING
    confirmed = client.post(links["confirm"])
    assert "您已订阅聊城市的重污染天气预警" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.ACTIVE
    assert subscription.confirmed_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"subscription.request", "subscription.confirm"} <= actions
    # The audit log never holds the subscriber's address.
    assert not AuditEntry.objects.filter(after__icontains="resident@").exists()


def test_a_confirmed_subscriber_hears_of_issue_adjustment_and_lifting_without_the_internal_reason(
    client: Client, liaocheng: Staff, mail: SmtpInbox, clock: time_machine.Coordinates
) -> None:
    links = _confirmed(client, mail, "resident@example.org")
    _subscribe(client, "never-confirmed@example.org")
    mailings_send(now=timezone.now())
    mail.messages.clear()

    red = in_force(liaocheng, clock)
    mailings_send(now=timezone.now())
    orange = adjusted(liaocheng, red, "orange")
    mailings_send(now=timezone.now())
    lifted(liaocheng, orange)
    mailings_send(now=timezone.now())

    assert [m["To"] for m in mail.messages] == ["resident@example.org"] * 3
    texts = [_text(m) for m in mail.messages]
    assert "聊城市发布红色重污染天气预警" in texts[0]
    assert "Ⅰ级应急响应" in texts[0]
    assert "1月5日 08:00" in texts[0]
    assert "调整为橙色" in texts[1]
    assert "解除" in texts[2]
    for text in texts:
        assert REASON not in text
        assert "污染减轻" not in text
        assert "空气质量改善" not in text
        end = _links(text)["end"].split("/")[-2]
        assert end_subscription_id(end) == end_subscription_id(links["end"].split("/")[-2])
        assert "http://testserver/j/liaocheng/" in text
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in mail.messages]
    assert subjects == ["聊城市发布红色预警", "聊城市预警调整为橙色", "聊城市解除橙色预警"]


def test_the_unsubscribe_link_ends_the_subscription_and_queued_mail_is_not_sent(
    client: Client, liaocheng: Staff, mail: SmtpInbox, clock: time_machine.Coordinates
) -> None:
    links = _confirmed(client, mail, "resident@example.org")
    in_force(liaocheng, clock)  # queued, not yet sent

    assert client.get(links["end"]).status_code == 200
    page = client.post(links["end"]).content.decode()
    assert "您已退订" in page

    run = mailings_send(now=timezone.now())
    assert run.sent == []
    assert len(run.failed) == 1
    assert mail.messages == []
    assert Subscription.objects.get().state == SubscriptionState.ENDED


def test_a_text_message_subscription_goes_through_the_configured_sms_gateway(
    client: Client, liaocheng: Staff, http_receiver: HttpReceiver, clock: time_machine.Coordinates
) -> None:
    _subscribe(client, "138 0000 0009", channel="sms")
    mailings_send(now=timezone.now())

    (request,) = http_receiver.requests
    form = parse_qs(request.body.decode())
    assert form["phone"] == ["13800000009"]
    assert form["reference"][0].startswith("hs-")  # not a notice delivery's hg- reference
    links = _links(form["text"][0])
    assert set(links) == {"confirm", "end"}
    client.post(links["confirm"])
    http_receiver.requests.clear()

    in_force(liaocheng, clock)
    mailings_send(now=timezone.now())

    (warning_sms,) = http_receiver.requests
    text = parse_qs(warning_sms.body.decode())["text"][0]
    assert text.startswith("【HazeGuard】聊城市发布红色重污染天气预警")
    assert "/subscribe/end/" in text
    assert urlsplit(warning_sms.path).path == "/sms/send"


def test_a_gateway_error_is_retried_then_sent(
    client: Client, liaocheng: Staff, http_receiver: HttpReceiver
) -> None:
    http_receiver.statuses.append(503)
    _subscribe(client, "13800000009", channel="sms")

    first = mailings_send(now=timezone.now())
    assert len(first.retrying) == 1
    mailing = Mailing.objects.get()
    assert "503" in mailing.last_error
    assert mailing.state == "queued"
    second = mailings_send(now=timezone.now() + timedelta(minutes=5))
    assert len(second.sent) == 1


def test_a_bad_address_is_refused_in_the_page_language_and_the_form_keeps_what_was_typed(
    client: Client, liaocheng: Staff
) -> None:
    response = _subscribe(client, "13800000009x", channel="sms")

    assert response.status_code == 400
    page = response.content.decode()
    assert "请输入只含数字的手机号码" in page
    assert 'value="13800000009x"' in page
    assert not Subscription.objects.exists()

    client.cookies["django_language"] = "en"
    english = _subscribe(client, "not-an-address").content.decode()
    assert "Enter an e-mail address such as name@example.cn." in english
    assert "请输入" not in english


def test_a_forged_link_is_refused_and_a_repeated_request_sends_no_second_mail(
    client: Client, liaocheng: Staff, mail: SmtpInbox
) -> None:
    links = _confirmed(client, mail, "resident@example.org")

    forged = links["confirm"].replace("/confirm/", "/end/")
    assert client.post(forged).status_code == 400
    assert Subscription.objects.get().state == SubscriptionState.ACTIVE
    # Subscribing an address again tells nobody whether it was subscribed, and sends nothing.
    again = _subscribe(client, "resident@example.org")
    assert again.status_code == 302
    _subscribe(client, "other@example.org")
    _subscribe(client, "other@example.org")
    mailings_send(now=timezone.now())
    assert [m["To"] for m in mail.messages] == ["other@example.org"]


def test_the_jurisdiction_page_links_to_the_subscription_form(
    client: Client, liaocheng: Staff
) -> None:
    page = client.get("/j/liaocheng/").content.decode()

    assert 'href="/subscribe/?j=liaocheng"' in page
    form = client.get("/subscribe/?j=liaocheng").content.decode()
    assert '<option value="liaocheng" selected>' in form


def test_a_county_subscriber_hears_of_the_citys_warning_and_an_address_hears_once(
    client: Client, liaocheng: Staff, mail: SmtpInbox, clock: time_machine.Coordinates
) -> None:
    county = liaocheng.jurisdiction.children.order_by("code").first()
    assert county is not None
    for code in (county.code, "liaocheng"):
        _subscribe(client, "resident@example.org", code=code)
    _subscribe(client, "villager@example.org", code=county.code)
    mailings_send(now=timezone.now())
    for message in list(mail.messages):
        client.post(_links(_text(message))["confirm"])
    mail.messages.clear()

    in_force(liaocheng, clock)
    mailings_send(now=timezone.now())

    told = {m["To"]: _text(m) for m in mail.messages}
    assert sorted(told) == ["resident@example.org", "villager@example.org"]
    assert "http://testserver/j/liaocheng/" in told["resident@example.org"]
    assert f"http://testserver/j/{county.code}/" in told["villager@example.org"]
    assert "聊城市发布红色重污染天气预警" in told["villager@example.org"]


def test_the_send_notices_worker_also_sends_the_subscribers_mailings(
    client: Client, liaocheng: Staff, mail: SmtpInbox
) -> None:
    _subscribe(client, "resident@example.org")

    call_command("send_notices", "--once", stdout=io.StringIO())

    assert [m["To"] for m in mail.messages] == ["resident@example.org"]
    assert Mailing.objects.get().state == "sent"
