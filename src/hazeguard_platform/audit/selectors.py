"""Reading the audit log."""

from __future__ import annotations

from django.db import models

from hazeguard_platform.audit.models import AuditEntry


def audit_for_object(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every record about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
