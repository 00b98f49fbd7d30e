from __future__ import annotations

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "hazeguard_platform.public"
    label = "public"
    verbose_name = "Public pages and CAP feed"
