from __future__ import annotations

from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "hazeguard_platform.meters"
    label = "meters"
    verbose_name = "Power meters and the electricity check (耗电量核算)"
