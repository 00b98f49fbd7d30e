from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "actor_name",
        "action",
        "outcome",
        "object_type",
        "object_id",
        "request_id",
    )
    list_filter = ("outcome", "action", "object_type")
    search_fields = ("actor_name", "object_id", "request_id", "message")
