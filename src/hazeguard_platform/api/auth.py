"""Bearer-token authentication for the API: ``Authorization: Bearer hg_…``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from hazeguard_platform.accounts.permissions import TOKEN_SCOPE, refuse, with_descendants
from hazeguard_platform.api.models import ApiToken, TokenScope
from hazeguard_platform.api.services import token_digest

# Methods a read-only token may use.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """The person behind an unrevoked, unexpired token of an active account; ``request.user``
    becomes them, limited to the token's jurisdiction and below; a read token cannot write."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .first()
        )
        if row is None:
            return None
        if row.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise refuse(
                row.user,
                action="api_token.write",
                obj=row,
                message="this token may only read (its scope is read)",
            )
        if row.jurisdiction_id is not None:
            setattr(row.user, TOKEN_SCOPE, with_descendants([row.jurisdiction_id]))
        # Touch at most once a minute: reads should not all become writes.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
