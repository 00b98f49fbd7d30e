from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "hazeguard_platform.supervision"
    label = "supervision"
    verbose_name = "Supervision (驻场督导 / 执法巡查)"
