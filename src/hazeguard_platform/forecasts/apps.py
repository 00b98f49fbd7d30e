from __future__ import annotations

from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "hazeguard_platform.forecasts"
    verbose_name = "Forecasts and consultations"
