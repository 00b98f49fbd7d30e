from __future__ import annotations

from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "hazeguard_platform.jurisdictions"
    verbose_name = "Jurisdictions and plans"
