from __future__ import annotations

from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "hazeguard_platform.forecasts"
    verbose_name = "Forecasts and consultations"

    def ready(self) -> None:
        # Declares the rows its tasks claim (notices/task_rows.py), before any worker recovers.
        from hazeguard_platform.forecasts import tasks  # noqa: F401
