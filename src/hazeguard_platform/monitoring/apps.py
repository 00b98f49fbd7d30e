from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "hazeguard_platform.monitoring"
    label = "monitoring"
    verbose_name = "Air-quality monitoring (空气质量监测)"
