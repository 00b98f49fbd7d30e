from __future__ import annotations

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hazeguard_platform.enterprises"
    label = "enterprises"
    verbose_name = "Enterprises (emission-reduction list)"
