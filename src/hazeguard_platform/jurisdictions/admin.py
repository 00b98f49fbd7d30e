from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit, PlanVersion
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(Jurisdiction)
class JurisdictionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "name_en", "kind", "parent")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("plan_id", "number", "jurisdiction", "imported_at", "digest")


@admin.register(MemberUnit)
class MemberUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "jurisdiction")
    list_filter = ("jurisdiction",)
