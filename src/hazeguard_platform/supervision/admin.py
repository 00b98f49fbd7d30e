"""Inspections, penalties and downgrades in the admin, read-only."""

from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.readonly_admin import ReadOnlyAdmin
from hazeguard_platform.supervision.models import GradeDowngrade, Inspection, Penalty


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("inspected_at", "enterprise", "kind", "violation", "inspector")
    list_filter = ("kind", "violation")


@admin.register(GradeDowngrade)
class GradeDowngradeAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "from_grade", "to_grade", "state", "confirmed_by")
    list_filter = ("state",)


admin.site.register(Penalty, ReadOnlyAdmin)
