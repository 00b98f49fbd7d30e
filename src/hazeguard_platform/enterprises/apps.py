from __future__ import annotations

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hazeguard_platform.enterprises"
    label = "enterprises"
    verbose_name = "Enterprises (emission-reduction list)"

    def ready(self) -> None:
        # Declares the rows its tasks claim (notices/task_rows.py), before any worker recovers.
        from hazeguard_platform.enterprises import tasks  # noqa: F401
