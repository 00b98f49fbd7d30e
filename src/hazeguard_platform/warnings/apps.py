from __future__ import annotations

from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "hazeguard_platform.warnings"
    label = "warnings"
    verbose_name = "Warnings"
