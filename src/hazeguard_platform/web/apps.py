from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hazeguard_platform.web"
    label = "web"
    verbose_name = "Staff pages"
