from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "hazeguard_platform.operations"
    label = "operations"
    verbose_name = "Operations: response tasks and daily reports"
