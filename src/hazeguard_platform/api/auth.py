"""Bearer-token authentication for the API: ``Authorization: Bearer hg_…``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from hazeguard_platform.api.models import ApiToken
from hazeguard_platform.api.services import token_digest


class TokenAuth(HttpBearer):
    """The person behind an unrevoked token of an active account; ``request.user`` becomes them."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        # Touch at most once a minute: reads should not all become writes.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
