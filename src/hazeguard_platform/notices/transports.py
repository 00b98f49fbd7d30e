"""One class per channel; ``notify()`` returns on success and raises :class:`TransportError`.

Model: healthchecks ``hc/api/transports.py``. A transport only talks to the outside world; the
outbox (``outbox.py``) decides about retries and records every attempt. ``permanent=True`` means
"trying again cannot help" (a 4xx from a webhook, SMTP 5xx, no gateway configured): the delivery
fails at once and the office sees why.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from hazeguard_platform.notices import conf
from hazeguard_platform.notices.messages import Message
from hazeguard_platform.notices.models import Channel, Delivery

SIGNATURE_HEADER = "X-HazeGuard-Signature"
TIMESTAMP_HEADER = "X-HazeGuard-Timestamp"
DELIVERY_HEADER = "X-HazeGuard-Delivery"
EVENT_HEADER = "X-HazeGuard-Event"
# HTTP answers that say "later" rather than "never" (timeout, too early, rate limited).
_TEMPORARY_4XX = {408, 425, 429}


class TransportError(Exception):
    """A delivery that did not go through; ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Transport:
    """Sends one rendered message over one channel."""

    channel: ClassVar[Channel]
    # True when a success means the addressee's own system has it (not just a relay).
    confirms_delivery: ClassVar[bool] = False

    def notify(self, message: Message, delivery: Delivery) -> str:
        """Send ``message`` to ``delivery.address``; raise ``TransportError`` on failure.

        Returns the id the provider's delivery receipts will name ("" when it sends none).
        """
        raise NotImplementedError


def _render(template: str, message: Message) -> str:
    # A non-breaking space makes an SMS use UCS-2 on some gateways at no gain: plain spaces.
    return render_to_string(template, {"message": message}).strip().replace("\xa0", " ")


class EmailTransport(Transport):
    """E-mail over SMTP (Django's ``EMAIL_*`` settings)."""

    channel = Channel.EMAIL
    # Other senders of mail through this transport (public subscriptions) name their own texts.
    subject_template = "notices/message/email_subject.txt"
    body_template = "notices/message/email.txt"

    def notify(self, message: Message, delivery: Delivery) -> str:
        email = EmailMessage(
            subject=_render(self.subject_template, message).replace("\n", " "),
            body=_render(self.body_template, message),
            from_email=conf.email_sender(),
            to=[delivery.address],
            headers={DELIVERY_HEADER: str(message.delivery_id), EVENT_HEADER: message.event},
        )
        try:
            connection = get_connection(**conf.email_options())
            sent = connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            detail = "; ".join(
                f"{code} {reply.decode(errors='replace')}"
                for code, reply in error.recipients.values()
            )
            raise TransportError(
                f"SMTP refused {delivery.address}: {detail}", permanent=min(codes) >= 500
            ) from None
        except smtplib.SMTPResponseException as error:
            reply = (
                error.smtp_error.decode(errors="replace")
                if isinstance(error.smtp_error, bytes)
                else str(error.smtp_error)
            )
            raise TransportError(
                f"SMTP {error.smtp_code} {reply}", permanent=error.smtp_code >= 500
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(f"SMTP server unreachable: {error}") from None
        if sent != 1:
            raise TransportError("the e-mail backend sent nothing")
        # The relay accepted it; a bounce that comes later by mail is not read (docs/notices.md).
        return ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A webhook that moved must be reconfigured by a person; following a redirect would resend
    # a signed body to an address nobody configured.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# The most of an answer's body that is read (a gateway's JSON with its message id is small).
_ANSWER_LIMIT = 64 * 1024


def http_post(url: str, *, body: bytes, headers: Mapping[str, str], what: str) -> bytes:
    """POST ``body``; the answer's body on 2xx, else ``TransportError`` (4xx permanent except
    408, 425, 429; 3xx permanent; 5xx and network errors temporary)."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    opener = urllib.request.build_opener(_NoRedirects)
    answer = b""
    try:
        with opener.open(request, timeout=conf.NETWORK_TIMEOUT) as response:
            status = int(response.status)
            answer = response.read(_ANSWER_LIMIT)
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise TransportError(f"{what} unreachable: {reason}") from None
    if 200 <= status < 300:
        return answer
    permanent = 300 <= status < 500 and status not in _TEMPORARY_4XX
    raise TransportError(f"{what} answered HTTP {status}", permanent=permanent)


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 with the endpoint's secret over ``timestamp + "." + body``.

    The timestamp is inside the signed text, so a receiver that rejects old timestamps cannot be
    fed a replay of an earlier, genuinely signed request.
    """
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def webhook_payload(message: Message, *, sent_at: datetime) -> bytes:
    """The JSON body a webhook receives (UTF-8, keys sorted)."""
    document = {
        "delivery": message.delivery_id,
        "notice": message.notice_id,
        "event": message.event,
        "title": message.title,
        "body": message.body,
        "title_en": message.title_en,
        "body_en": message.body_en,
        "jurisdiction": message.jurisdiction_code,
        "object": {"type": message.object_type, "id": message.object_id},
        "created_at": message.created_at.isoformat(),
        "due_at": message.due_at.isoformat() if message.due_at else None,
        "sent_at": sent_at.isoformat(),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


class WebhookTransport(Transport):
    """A signed JSON POST to the endpoint's URL."""

    channel = Channel.WEBHOOK
    confirms_delivery = True

    def notify(self, message: Message, delivery: Delivery) -> str:
        endpoint = delivery.recipient.endpoint
        if endpoint is None or not endpoint.active:
            raise TransportError("the webhook endpoint was deactivated", permanent=True)
        now = timezone.now()
        body = webhook_payload(message, sent_at=now)
        timestamp = str(int(now.timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "HazeGuard-notices",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: webhook_signature(endpoint.secret, timestamp, body),
            # Receivers drop a delivery id they have seen: a worker that stopped after sending
            # but before recording it leads to one resend (at-least-once).
            DELIVERY_HEADER: str(message.delivery_id),
            EVENT_HEADER: message.event,
        }
        http_post(delivery.address, body=body, headers=headers, what="the webhook")
        return ""  # its 2xx was the receipt


def sms_reference(delivery_id: int) -> str:
    """Our reference for one SMS delivery, sent to the gateway for its receipts to name."""
    return f"hg-{delivery_id}"


def gateway_message_id(answer: bytes) -> str:
    """The message id in a gateway's JSON answer (``{"message_id": …}``), else ""."""
    try:
        document = json.loads(answer or b"null")
    except ValueError:
        return ""  # a plain-text "OK" is a fine answer too
    found = document.get("message_id") if isinstance(document, dict) else None
    return str(found)[:100] if isinstance(found, str | int) and str(found) else ""


class SmsTransport(Transport):
    """A text message through the configured HTTP gateway (``HAZEGUARD_SMS_URL``)."""

    channel = Channel.SMS
    text_template = "notices/message/sms.txt"

    def reference(self, delivery: Delivery) -> str:
        """Our reference for the gateway's receipts (``hg-<delivery id>``)."""
        return sms_reference(delivery.pk)

    def notify(self, message: Message, delivery: Delivery) -> str:
        gateway = conf.sms_gateway()
        if gateway is None:
            raise TransportError("no SMS gateway is configured (HAZEGUARD_SMS_URL)", permanent=True)
        text = _render(self.text_template, message)
        reference = self.reference(delivery)
        answer = sms_post(gateway, phone=delivery.address, text=text, reference=reference)
        # Receipts name the gateway's own id when it gives one, else our reference.
        return gateway_message_id(answer) or reference


def sms_post(gateway: conf.SmsGateway, *, phone: str, text: str, reference: str) -> bytes:
    """One text message to the gateway (also the sign-in codes of accounts/two_factor.py); its
    answer's body, else ``TransportError``."""
    quoted = {
        "phone": urllib.parse.quote(phone),
        "text": urllib.parse.quote(text),
        "reference": reference,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    if gateway.user:
        credentials = f"{gateway.user}:{gateway.password}".encode()
        headers["Authorization"] = "Basic " + b64encode(credentials).decode()
    form = {"phone": phone, "text": text, "reference": reference}
    body = urllib.parse.urlencode(form).encode()
    return http_post(gateway.url(**quoted), body=body, headers=headers, what="the SMS gateway")


# The transports of the channels the outbox works; the inbox needs none (its row is the message).
TRANSPORTS: dict[str, type[Transport]] = {
    transport.channel: transport for transport in (EmailTransport, WebhookTransport, SmsTransport)
}
