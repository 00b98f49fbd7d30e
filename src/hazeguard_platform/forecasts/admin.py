from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "issued_at", "source", "created_by")
    list_filter = ("source", "jurisdiction")


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "held_at", "concluded_level", "recorded_by")
