"""Meter uploads and electricity checks in the admin, read-only."""

from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.meters.models import ElectricityCheck, ElectricityCheckJob, MeterUpload
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(MeterUpload)
class MeterUploadAdmin(ReadOnlyAdmin):
    list_display = ("uploaded_at", "jurisdiction", "filename", "outcome", "stored", "unchanged")
    list_filter = ("outcome",)
    exclude = ("content",)


@admin.register(ElectricityCheck)
class ElectricityCheckAdmin(ReadOnlyAdmin):
    list_display = ("run_at", "episode", "enterprises", "meters", "readings", "seconds")


@admin.register(ElectricityCheckJob)
class ElectricityCheckJobAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "episode", "state", "started_at", "finished_at", "check_run")
    list_filter = ("state",)
