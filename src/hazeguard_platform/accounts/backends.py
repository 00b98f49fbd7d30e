"""Sign-in through Django's model backend, throttled per user name and address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from hazeguard_platform.accounts.services import (
    client_address,
    login_failure_record,
    login_is_locked,
    login_success_record,
)


class ThrottledModelBackend(ModelBackend):
    """``ModelBackend`` that refuses a locked user name + address pair before checking the password.

    Raising ``PermissionDenied`` makes ``django.contrib.auth.authenticate`` stop and fail, so a
    locked pair cannot be probed further even with the right password.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        address = client_address(request)
        if login_is_locked(username=username, address=address):
            raise PermissionDenied("too many failed sign-ins; try again later")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username, address=address)
        else:
            login_success_record(username=username, address=address)
        return user
