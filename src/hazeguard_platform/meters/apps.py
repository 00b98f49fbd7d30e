from __future__ import annotations

from django.apps import AppConfig


class MetersConfig(AppConfig):
    name = "hazeguard_platform.meters"
    label = "meters"
    verbose_name = "Power meters and the electricity check (耗电量核算)"

    def ready(self) -> None:
        # Declares the rows its tasks claim (notices/task_rows.py), before any worker recovers.
        from hazeguard_platform.meters import tasks  # noqa: F401
