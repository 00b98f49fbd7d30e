"""The notices' configuration: a Django setting when one is set, else the environment.

Environment variables (all optional):

``HAZEGUARD_BASE_URL``                the site's address for links in messages
                                      (default ``http://127.0.0.1:8000``).
``HAZEGUARD_NOTICES_MAX_ATTEMPTS``    tries per delivery before it fails for good (default 6).
``HAZEGUARD_NOTICES_RETRY_SECONDS``   first back-off [s]; doubles per try, at most 1 h (default 60).
``HAZEGUARD_NOTICES_LEASE_SECONDS``   how long a worker holds a claimed row [s] (default 120).
``HAZEGUARD_NOTICES_ACK_DAYS``        how long an acknowledgement link works [d] (default 14).
``HAZEGUARD_SMS_URL``                 SMS gateway URL template; ``{phone}`` and ``{text}`` are
                                      replaced (URL-encoded). Unset: SMS deliveries fail, visibly.
``HAZEGUARD_SMS_USER`` / ``HAZEGUARD_SMS_PASSWORD``  HTTP Basic credentials for the gateway.

E-mail goes through Django's ``EMAIL_BACKEND`` / ``EMAIL_HOST`` / ``EMAIL_PORT`` /
``DEFAULT_FROM_EMAIL`` settings.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hazeguard_platform.env import env_int, env_str

# The longest wait between two tries: a notice is due within hours, so the gaps stay short.
MAX_BACKOFF = timedelta(hours=1)
# Seconds a transport waits for an SMTP server, webhook or SMS gateway.
NETWORK_TIMEOUT = 10.0


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def base_url() -> str:
    """The site's address without a trailing slash, for absolute links in messages."""
    value = _setting("HAZEGUARD_BASE_URL", None) or env_str(
        "HAZEGUARD_BASE_URL", default="http://127.0.0.1:8000"
    )
    return str(value).rstrip("/")


def max_attempts() -> int:
    """Tries per delivery before it fails for good."""
    value = _setting("NOTICES_MAX_ATTEMPTS", None)
    return (
        int(value) if value is not None else env_int("HAZEGUARD_NOTICES_MAX_ATTEMPTS", 6, minimum=1)
    )


def retry_delay() -> timedelta:
    """The first back-off; each further try waits twice as long, up to :data:`MAX_BACKOFF`."""
    value = _setting("NOTICES_RETRY_SECONDS", None)
    seconds = (
        int(value)
        if value is not None
        else env_int("HAZEGUARD_NOTICES_RETRY_SECONDS", 60, minimum=1)
    )
    return timedelta(seconds=seconds)


def lease() -> timedelta:
    """How long a claimed row is a worker's own; longer than one try can take."""
    value = _setting("NOTICES_LEASE_SECONDS", None)
    seconds = (
        int(value)
        if value is not None
        else env_int("HAZEGUARD_NOTICES_LEASE_SECONDS", 120, minimum=int(NETWORK_TIMEOUT) * 3)
    )
    return timedelta(seconds=seconds)


def ack_max_age() -> timedelta:
    """How long an acknowledgement link stays valid."""
    value = _setting("NOTICES_ACK_DAYS", None)
    days = int(value) if value is not None else env_int("HAZEGUARD_NOTICES_ACK_DAYS", 14, minimum=1)
    return timedelta(days=days)


@dataclass(frozen=True)
class SmsGateway:
    """An HTTP SMS gateway: a URL template and optional HTTP Basic credentials."""

    url_template: str
    user: str
    password: str

    def url(self, *, phone: str, text: str) -> str:
        """The request URL with ``{phone}`` and ``{text}`` filled in (already URL-encoded)."""
        return self.url_template.format(phone=phone, text=text)


_SMS_FIELDS = {"phone", "text"}


def sms_gateway() -> SmsGateway | None:
    """The configured gateway, or ``None`` when SMS is not set up.

    ``ImproperlyConfigured`` when the template names a field other than ``{phone}``/``{text}``.
    """
    template = _setting("NOTICES_SMS_URL", None) or env_str("HAZEGUARD_SMS_URL", default="")
    if not template:
        return None
    try:
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    except ValueError as error:
        raise ImproperlyConfigured(f"HAZEGUARD_SMS_URL={template!r}: {error}") from None
    unknown = names - _SMS_FIELDS
    if unknown:
        raise ImproperlyConfigured(
            f"HAZEGUARD_SMS_URL names {', '.join(sorted(unknown))}; only {{phone}} and {{text}}"
        )
    user = _setting("NOTICES_SMS_USER", None) or env_str("HAZEGUARD_SMS_USER", default="")
    password = _setting("NOTICES_SMS_PASSWORD", None) or env_str(
        "HAZEGUARD_SMS_PASSWORD", default=""
    )
    return SmsGateway(url_template=str(template), user=str(user), password=str(password))
