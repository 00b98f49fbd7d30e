"""The signed links of a subscription: confirm it (expires) and end it (does not).

Short tokens (``TimestampSigner`` over the subscription's id, about 30 characters) keep an SMS
with two links within one or two segments. Each purpose has its own salt, so a confirmation
token cannot end a subscription and the other way round.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from hazeguard_platform.notices import conf

_CONFIRM_SALT = "hazeguard.subscriptions.confirm"
_END_SALT = "hazeguard.subscriptions.end"
# A confirmation link older than this is refused; the person subscribes again.
CONFIRM_MAX_AGE = timedelta(days=7)


class TokenError(ValueError):
    """A link that is forged, damaged or expired."""


def _sign(salt: str, pk: int) -> str:
    return signing.TimestampSigner(salt=salt).sign(signing.b62_encode(pk))


def _unsign(salt: str, token: str, max_age: timedelta | None) -> int:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
        return int(signing.b62_decode(value))
    except signing.SignatureExpired:
        raise TokenError("expired") from None
    except (signing.BadSignature, ValueError):
        raise TokenError("invalid") from None


def confirm_token(subscription_id: int) -> str:
    return _sign(_CONFIRM_SALT, subscription_id)


def confirm_subscription_id(token: str) -> int:
    """The subscription a confirmation token names; ``TokenError`` when bad or expired."""
    return _unsign(_CONFIRM_SALT, token, CONFIRM_MAX_AGE)


def end_token(subscription_id: int) -> str:
    return _sign(_END_SALT, subscription_id)


def end_subscription_id(token: str) -> int:
    """The subscription an unsubscribe token names; ``TokenError`` when bad."""
    return _unsign(_END_SALT, token, None)


def confirm_url(subscription_id: int) -> str:
    """The absolute confirmation link."""
    path = reverse("subscriptions:confirm", kwargs={"token": confirm_token(subscription_id)})
    return conf.base_url() + path


def end_url(subscription_id: int) -> str:
    """The absolute unsubscribe link, carried by every message to the subscriber."""
    path = reverse("subscriptions:end", kwargs={"token": end_token(subscription_id)})
    return conf.base_url() + path
