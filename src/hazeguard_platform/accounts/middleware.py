"""The sign-in policy on every request: idle sessions end, a second factor is asked for."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from hazeguard_platform.accounts.sessions import (
    POLICY_KEY,
    SEEN_KEY,
    VERIFIED_KEY,
    session_start,
)
from hazeguard_platform.audit.services import audit_record

# Paths open to a person who has given a password but not yet a second factor: the sign-in
# steps themselves, the language switch and the style sheet. The API uses its own tokens.
OPEN_BEFORE_SECOND_FACTOR = ("/accounts/", "/i18n/", "/static/", "/api/")
# [s] the last-activity time is written at most this often (one session write a minute).
SEEN_RESOLUTION = 60


class SessionPolicyMiddleware:
    """After ``AuthenticationMiddleware``: end an idle session (back to sign-in, saying why),
    and send a person who needs a second factor to give it (or set one up) first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if POLICY_KEY not in session:
            # A session from before this policy (or a sign-in that bypassed the signal): work it
            # out now, once, rather than let it skip the second factor and the idle limit.
            session_start(request=request, user=user)
        policy = session.get(POLICY_KEY) or {}
        idle = int(policy.get("idle", 0))
        now = int(time.time())
        if idle:
            seen = int(session.get(SEEN_KEY, now))
            if now - seen > idle * 60:
                audit_record(
                    actor=user, action="session.idle_timeout", obj=user, after={"minutes": idle}
                )
                logout(request)
                query = urlencode({"next": request.get_full_path(), "idle": idle})
                return HttpResponseRedirect(f"{reverse('login')}?{query}")
            if now - seen >= SEEN_RESOLUTION:
                session[SEEN_KEY] = now
        if (
            policy.get("two_factor")
            and not session.get(VERIFIED_KEY)
            and not request.path.startswith(OPEN_BEFORE_SECOND_FACTOR)
        ):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:verify')}?{query}")
        return self.get_response(request)
