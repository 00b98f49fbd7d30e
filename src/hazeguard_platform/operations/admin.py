from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.operations.models import (
    DailyReport,
    Reminder,
    Response,
    SummaryReport,
    Task,
)
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "jurisdiction", "level", "state", "starts_at", "closed_at")
    list_filter = ("state", "level", "jurisdiction")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("pk", "response", "assignee_key", "level", "clause", "state")
    list_filter = ("state", "level")


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "response", "assignee_key", "day", "due_at", "state", "late")
    list_filter = ("state", "late", "day")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("report", "sent_at", "due_at", "notice_id")


@admin.register(SummaryReport)
class SummaryReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "response", "assignee_key", "due_at", "state", "late")
    list_filter = ("state", "late")
