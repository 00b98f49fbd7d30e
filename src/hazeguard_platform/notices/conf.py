"""The notices' configuration: a Django setting when one is set, else the environment.

Environment variables (all optional):

``HAZEGUARD_BASE_URL``                the site's address for links in messages
                                      (default ``http://127.0.0.1:8000``).
``HAZEGUARD_NOTICES_MAX_ATTEMPTS``    tries per delivery before it fails for good (default 6).
``HAZEGUARD_NOTICES_RETRY_SECONDS``   first back-off [s]; doubles per try, at most 1 h (default 60).
``HAZEGUARD_NOTICES_LEASE_SECONDS``   how long a worker holds a claimed row [s] (default 120).
``HAZEGUARD_TASK_LEASE_SECONDS``      how long a background task stays a silent worker's own [s]
                                      (default 120): then it is re-queued once, or failed.
``HAZEGUARD_NOTICES_ACK_DAYS``        how long an acknowledgement link works [d] (default 14).
``HAZEGUARD_SMS_URL``                 SMS gateway URL template; ``{phone}``, ``{text}`` and
                                      ``{reference}`` are replaced (URL-encoded). Unset: SMS
                                      deliveries fail, visibly.
``HAZEGUARD_SMS_USER`` / ``HAZEGUARD_SMS_PASSWORD``  HTTP Basic credentials for the gateway.
``HAZEGUARD_SMS_RECEIPT_SECRET``      shared secret (at least 16 characters) that signs the
                                      gateway's delivery receipts (HMAC-SHA256). Unset: receipts
                                      are refused and SMS stays "accepted by the gateway".

``HAZEGUARD_EMAIL_HOST`` / ``HAZEGUARD_EMAIL_PORT``   the SMTP server (default: Django's
                                      ``EMAIL_HOST``/``EMAIL_PORT``, i.e. localhost:25).
``HAZEGUARD_EMAIL_USER`` / ``HAZEGUARD_EMAIL_PASSWORD``  SMTP credentials.
``HAZEGUARD_EMAIL_TLS``               STARTTLS on (``1``) or off.
``HAZEGUARD_EMAIL_FROM``              sender address (default: Django's ``DEFAULT_FROM_EMAIL``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hazeguard_platform.env import env_bool, env_int, env_str

# The longest wait between two tries: a notice is due within hours, so the gaps stay short.
MAX_BACKOFF = timedelta(hours=1)
# Seconds a transport waits for an SMTP server, webhook or SMS gateway.
NETWORK_TIMEOUT = 10.0


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def email_options() -> dict[str, Any]:
    """Keyword arguments for ``django.core.mail.get_connection`` from the ``HAZEGUARD_EMAIL_*``
    variables that are set; Django's ``EMAIL_*`` settings fill in the rest."""
    options: dict[str, Any] = {"fail_silently": False, "timeout": NETWORK_TIMEOUT}
    if host := env_str("HAZEGUARD_EMAIL_HOST", default=""):
        options["host"] = host
        options["port"] = env_int("HAZEGUARD_EMAIL_PORT", 25, minimum=1)
    if user := env_str("HAZEGUARD_EMAIL_USER", default=""):
        options["username"] = user
        options["password"] = env_str("HAZEGUARD_EMAIL_PASSWORD", default="")
    options["use_tls"] = env_bool("HAZEGUARD_EMAIL_TLS", default=bool(settings.EMAIL_USE_TLS))
    return options


def email_sender() -> str:
    """The From address of notices."""
    return env_str("HAZEGUARD_EMAIL_FROM", default="") or str(settings.DEFAULT_FROM_EMAIL)


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


def task_lease() -> timedelta:
    """How long a running task stays its worker's own after the worker's last heartbeat; a
    worker beats every quarter of it (``notices/task_leases.py``)."""
    value = _setting("TASK_LEASE_SECONDS", None)
    seconds = (
        int(value) if value is not None else env_int("HAZEGUARD_TASK_LEASE_SECONDS", 120, minimum=4)
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

    def url(self, *, phone: str, text: str, reference: str) -> str:
        """The request URL with ``{phone}``, ``{text}`` and ``{reference}`` filled in (already
        URL-encoded)."""
        return self.url_template.format(phone=phone, text=text, reference=reference)


_SMS_FIELDS = {"phone", "text", "reference"}


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
            f"HAZEGUARD_SMS_URL names {', '.join(sorted(unknown))}; "
            "only {phone}, {text} and {reference}"
        )
    user = _setting("NOTICES_SMS_USER", None) or env_str("HAZEGUARD_SMS_USER", default="")
    password = _setting("NOTICES_SMS_PASSWORD", None) or env_str(
        "HAZEGUARD_SMS_PASSWORD", default=""
    )
    return SmsGateway(url_template=str(template), user=str(user), password=str(password))


# Receipts older (or newer) than this are refused: a captured request cannot be replayed later,
# and within the window its signature is remembered (``DeliveryReceipt.signature``).
RECEIPT_WINDOW = timedelta(minutes=5)


def sms_receipt_secret() -> str:
    """The secret the SMS gateway signs its receipts with ("" when receipts are not set up).

    ``ImproperlyConfigured`` when it is shorter than 16 characters.
    """
    secret = str(
        _setting("NOTICES_SMS_RECEIPT_SECRET", None)
        or env_str("HAZEGUARD_SMS_RECEIPT_SECRET", default="")
    )
    if secret and len(secret) < 16:
        raise ImproperlyConfigured("HAZEGUARD_SMS_RECEIPT_SECRET needs at least 16 characters")
    return secret
