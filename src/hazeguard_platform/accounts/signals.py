"""Sign-in, sign-out and failed sign-in go on the audit record (GB/T 22239-2019 8.1.4.3).

Django's own ``auth`` signals are the one place that sees every sign-in, whichever view or
backend did it; the receivers only hand over to the accounts service.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from hazeguard_platform.accounts.services import sign_in_audit
from hazeguard_platform.accounts.sessions import session_start


@receiver(user_logged_in, dispatch_uid="hazeguard_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    sign_in_audit(action="login", request=request, user=user)
    if request is not None and hasattr(request, "session"):
        session_start(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="hazeguard_sign_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    sign_in_audit(action="logout", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="hazeguard_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; only the user name is kept.
    sign_in_audit(
        action="login.failed", request=request, username=str(credentials.get("username", ""))
    )
