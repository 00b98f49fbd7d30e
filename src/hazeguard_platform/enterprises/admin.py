"""The list, tasks and reports in the admin, read-only: changes go through the services."""

from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.enterprises.models import (
    EnterpriseContact,
    EnterpriseTask,
    ListedEnterprise,
    ListImport,
    ProductionReport,
    WarningAcknowledgement,
)
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(ListedEnterprise)
class ListedEnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("credit_code", "name", "county", "grade", "category", "listed", "jurisdiction")
    list_filter = ("jurisdiction", "grade", "category", "listed")
    search_fields = ("credit_code", "name")


@admin.register(ListImport)
class ListImportAdmin(ReadOnlyAdmin):
    list_display = ("uploaded_at", "jurisdiction", "filename", "state", "created", "updated")


@admin.register(EnterpriseTask)
class EnterpriseTaskAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "warning", "level", "description", "state", "close_reason")
    list_filter = ("state", "level")


admin.site.register(EnterpriseContact, ReadOnlyAdmin)
admin.site.register(WarningAcknowledgement, ReadOnlyAdmin)
admin.site.register(ProductionReport, ReadOnlyAdmin)
