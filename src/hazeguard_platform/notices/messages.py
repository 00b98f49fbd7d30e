"""The channel-neutral message of one delivery, and the signed acknowledgement token.

A notice's text is written once per language (``Notice.title``/``body`` in Chinese,
``title_en``/``body_en`` in English); :func:`message_for` adds what differs per recipient (the
acknowledgement link) and each transport renders the result for its channel (STYLE.md §8).
No recipient states a language, so the channels send the Chinese text as the message, as they
always did: the SMS its Chinese title, the e-mail its Chinese title and body with the English
body below (the e-mail's frame is in both languages already), the webhook both (``title_en``,
``body_en`` beside ``title``, ``body``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.urls import reverse

from hazeguard_platform.notices import conf
from hazeguard_platform.notices.models import Delivery

_ACK_SALT = "hazeguard.notices.acknowledge"


@dataclass(frozen=True)
class Message:
    """What one delivery says, before a transport renders it."""

    delivery_id: int
    notice_id: int
    event: str
    event_label: str
    title: str
    body: str
    recipient_name: str
    jurisdiction_code: str
    object_type: str
    object_id: str
    created_at: datetime
    # This recipient's deadline (acknowledge by, or for a webhook: receive by).
    due_at: datetime | None
    # Absolute link that acknowledges the notice for this recipient ("" when none is expected).
    acknowledge_url: str
    # The English text ("" for a notice stored without one).
    title_en: str = ""
    body_en: str = ""


def ack_token(recipient_id: int) -> str:
    """A signed, timestamped token naming one recipient (``django.core.signing``)."""
    return signing.dumps({"recipient": recipient_id}, salt=_ACK_SALT, compress=True)


class AckTokenError(ValueError):
    """A token that is forged, damaged or too old."""


def ack_token_recipient(token: str) -> int:
    """The recipient id a token names; ``AckTokenError`` when it is bad or expired."""
    try:
        data = signing.loads(token, salt=_ACK_SALT, max_age=conf.ack_max_age())
    except signing.SignatureExpired:
        raise AckTokenError("this acknowledgement link has expired") from None
    except signing.BadSignature:
        raise AckTokenError("this acknowledgement link is not valid") from None
    recipient = data.get("recipient") if isinstance(data, dict) else None
    if not isinstance(recipient, int):
        raise AckTokenError("this acknowledgement link is not valid")
    return recipient


def ack_url(recipient_id: int) -> str:
    """The absolute acknowledgement link of one recipient."""
    path = reverse("notices:acknowledge", kwargs={"token": ack_token(recipient_id)})
    return conf.base_url() + path


def message_for(delivery: Delivery) -> Message:
    """The message of one delivery (its notice's text and its recipient's link)."""
    recipient = delivery.recipient
    notice = recipient.notice
    return Message(
        delivery_id=delivery.pk,
        notice_id=notice.pk,
        event=notice.event,
        event_label=notice.get_event_display(),
        title=notice.title,
        body=notice.body,
        recipient_name=recipient.name,
        jurisdiction_code=notice.jurisdiction.code,
        object_type=notice.object_type,
        object_id=notice.object_id,
        created_at=notice.created_at,
        due_at=recipient.due_at,
        acknowledge_url=ack_url(recipient.pk) if recipient.acknowledges else "",
        title_en=notice.title_en,
        body_en=notice.body_en,
    )
