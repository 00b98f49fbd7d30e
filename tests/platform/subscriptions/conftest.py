"""The notices' loopback SMTP server and SMS gateway, for the subscribers' mailings."""

from __future__ import annotations

from notices.conftest import (  # noqa: F401 (fixtures used by this directory's tests)
    _http_server,
    http_receiver,
    mail,
    notice_settings,
    smtp_server,
)
