"""Writing audit records. Called by the other apps' services inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from hazeguard_platform.audit.chain import seal_after_commit
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.context import current_request_id


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: Outcome = Outcome.DONE,
    message: str = "",
) -> AuditEntry:
    """Append one audit record; the request id comes from the request or task being served."""
    user = actor if isinstance(actor, User) else None
    entry = AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        outcome=outcome,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
        message=message,
        request_id=current_request_id(),
    )
    seal_after_commit()
    return entry


def audit_denial(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None,
    message: str,
) -> AuditEntry:
    """Record a refused action. Called outside the refused change's transaction, so it stays."""
    return audit_record(
        actor=actor, action=action, obj=obj, outcome=Outcome.DENIED, message=message
    )
