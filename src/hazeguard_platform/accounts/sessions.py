"""Sessions under the sign-in policy: the idle timeout, the second factor, sign-out everywhere.

What a session needs to know (its idle limit, whether a second factor is due) is worked out
once at sign-in and kept in the session, so the middleware adds no query to a request.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from hazeguard_platform.accounts.models import Membership, Role, SignedInSession
from hazeguard_platform.accounts.permissions import SignedInRequest
from hazeguard_platform.accounts.services import client_address
from hazeguard_platform.accounts.two_factor import two_factor_required
from hazeguard_platform.audit.services import audit_record

POLICY_KEY = "hg_policy"  # {"idle": minutes (0: none), "two_factor": bool}
SEEN_KEY = "hg_seen"  # [s since the epoch] the last request, to a minute
VERIFIED_KEY = "hg_second_factor"  # the persistent id of the device that verified this session


def idle_minutes_for(user: User) -> int:
    """The idle limit [min]: the staff's (anyone holding a role other than enterprise contact,
    and superusers) or everyone else's; 0 when the setting turns it off."""
    staff = getattr(user, "is_superuser", False) or (
        Membership.objects.filter(user=user).exclude(role=Role.ENTERPRISE_CONTACT).exists()
    )
    return int(settings.SESSION_IDLE_MINUTES_STAFF if staff else settings.SESSION_IDLE_MINUTES)


def session_start(*, request: HttpRequest, user: User) -> None:
    """At sign-in: the session's policy, its first activity, and its row for sign-out
    everywhere."""
    session = request.session
    session[POLICY_KEY] = {
        "idle": idle_minutes_for(user),
        "two_factor": two_factor_required(user),
    }
    session[SEEN_KEY] = int(time.time())
    session.save()  # the key exists from here on
    SignedInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            "address": client_address(request),
        },
    )


def session_verified(*, request: SignedInRequest, device_id: str) -> None:
    """The second factor was given in this session: a new session key (as at sign-in, since
    the session's privilege rose), still known to sign-out everywhere."""
    old_key = request.session.session_key
    request.session[VERIFIED_KEY] = device_id
    request.session.cycle_key()
    SignedInSession.objects.filter(session_key=old_key).update(
        session_key=request.session.session_key
    )
    audit_record(actor=request.user, action="login.second_factor", obj=request.user)


def sign_out_everywhere(*, user: User) -> int:
    """End every session ``user`` is signed in with (this one too); how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with transaction.atomic():
        rows = list(SignedInSession.objects.filter(user=user))
        for row in rows:
            store(session_key=row.session_key).delete()
        SignedInSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
        audit_record(
            actor=user, action="logout.everywhere", obj=user, after={"sessions": len(rows)}
        )
    return len(rows)
