"""Monitoring records in the admin, read-only: stations come in through the CSV import, readings
through ``readings_ingest`` (each with its audit record)."""

from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.monitoring.models import (
    CityDay,
    CityHour,
    Correction,
    Delivery,
    PullSource,
    Reading,
    Station,
)
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(Station)
class StationAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name_zh",
        "kind",
        "jurisdiction",
        "latitude",
        "longitude",
        "approximate",
    )
    list_filter = ("kind", "jurisdiction", "approximate")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Reading)
class ReadingAdmin(ReadOnlyAdmin):
    list_display = ("station", "hour_end", "pm25", "pm10", "aqi", "flags")
    list_filter = ("station__jurisdiction",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "way", "source", "received_at", "stored", "corrected", "error")
    list_filter = ("way",)


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ("reading", "delivery", "corrected_at")


@admin.register(PullSource)
class PullSourceAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "url", "layout", "interval", "last_polled_at", "last_outcome")


@admin.register(CityHour)
class CityHourAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "hour_end", "aqi", "rolling_aqi")


@admin.register(CityDay)
class CityDayAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "day", "aqi", "primary_pollutants")
