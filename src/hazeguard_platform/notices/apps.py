from __future__ import annotations

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "hazeguard_platform.notices"
    verbose_name = "Notices"
