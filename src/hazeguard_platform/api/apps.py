from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hazeguard_platform.api"
    label = "api"
    verbose_name = "REST API"
