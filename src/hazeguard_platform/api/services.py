"""Issuing and revoking API tokens (STYLE.md §7: every change with its audit record)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.api.models import ApiToken
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError

TOKEN_PREFIX = "hg_"


def token_digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(*, actor: Actor, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` (only the person themself, or a superuser, may ask).

    Returns the row and the token text, which is shown once and never stored.
    """
    is_self = isinstance(actor, AbstractBaseUser) and actor.pk == user.pk
    if not (is_self or getattr(actor, "is_superuser", False) or actor is None):
        raise refuse(actor, action="api_token.issue", obj=user, message="only for yourself")
    name = name.strip()
    if not name:
        raise InvalidInputError("a name for the token is required", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, name=name[:100], digest=token_digest(token), prefix=token[:8]
        )
        audit_record(actor=actor, action="api_token.issue", obj=row, after={"name": row.name})
    return row, token


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    is_owner = isinstance(actor, AbstractBaseUser) and actor.pk == token.user_id
    if not (is_owner or getattr(actor, "is_superuser", False)):
        raise refuse(actor, action="api_token.revoke", obj=token, message="not your token")
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token)
