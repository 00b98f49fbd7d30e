"""Issuing and revoking API tokens (STYLE.md §7: every change with its audit record)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor, jurisdictions_of, refuse
from hazeguard_platform.api.models import ApiToken, TokenScope
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction

TOKEN_PREFIX = "hg_"
# [days] a token's life when none is asked for, and the longest one.
DEFAULT_DAYS = 90
MAX_DAYS = 365


def token_digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(
    *,
    actor: Actor,
    user: User,
    name: str,
    jurisdiction: Jurisdiction | None = None,
    scope: TokenScope | str = TokenScope.WRITE,
    days: int = DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` (only the person themself, or a superuser, may ask), acting in
    ``jurisdiction`` and below (``None``: all of the person's places), reading or writing, for
    ``days`` days. Enterprise contacts have no use for the API and get none.

    Returns the row and the token text, which is shown once and never stored.
    """
    is_self = isinstance(actor, User) and actor.pk == user.pk
    if not (is_self or getattr(actor, "is_superuser", False) or actor is None):
        raise refuse(actor, action="api_token.issue", obj=user, message="only for yourself")
    places = jurisdictions_of(user)
    enterprise_contact = Membership.objects.filter(user=user, role=Role.ENTERPRISE_CONTACT)
    if enterprise_contact.exists() and not places.exists():
        raise refuse(
            actor, action="api_token.issue", obj=user, message="only staff roles use the API"
        )
    if jurisdiction is not None and not places.filter(pk=jurisdiction.pk).exists():
        raise refuse(
            actor, action="api_token.issue", obj=jurisdiction, message="not your jurisdiction"
        )
    name = name.strip()
    if not name:
        raise InvalidInputError("a name for the token is required", field="name")
    if scope not in TokenScope.values:
        raise InvalidInputError(f"scope is read or write, not {scope!r}", field="scope")
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInputError(f"a token lasts 1 to {MAX_DAYS} days", field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        row = ApiToken.objects.create(
            created_at=now,
            user=user,
            name=name[:100],
            digest=token_digest(token),
            prefix=token[:8],
            jurisdiction=jurisdiction,
            scope=scope,
            expires_at=now + timedelta(days=days),
        )
        audit_record(
            actor=actor,
            action="api_token.issue",
            obj=row,
            after={
                "name": row.name,
                "jurisdiction": jurisdiction.code if jurisdiction else None,
                "scope": str(scope),
                "expires_at": row.expires_at.isoformat() if row.expires_at else None,
            },
        )
    return row, token


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    is_owner = isinstance(actor, User) and actor.pk == token.user_id
    if not (is_owner or getattr(actor, "is_superuser", False)):
        raise refuse(actor, action="api_token.revoke", obj=token, message="not your token")
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token)
