"""The society-wide inventory entries in the admin, read-only."""

from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.readonly_admin import ReadOnlyAdmin
from hazeguard_platform.summaries.models import InventoryEntry


@admin.register(InventoryEntry)
class InventoryEntryAdmin(ReadOnlyAdmin):
    list_display = ("entered_at", "jurisdiction", "source_class", "so2", "nox", "pm", "vocs")
    list_filter = ("source_class",)
