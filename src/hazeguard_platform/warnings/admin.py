from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.readonly_admin import ReadOnlyAdmin
from hazeguard_platform.warnings.models import Episode, Warning


@admin.register(Warning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "jurisdiction",
        "level",
        "state",
        "starts_at",
        "respond_by",
        "regional_source",
    )
    list_filter = ("state", "level", "jurisdiction")


@admin.register(Episode)
class EpisodeAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "started_at", "ended_at")
