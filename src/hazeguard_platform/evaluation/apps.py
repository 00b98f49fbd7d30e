from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "hazeguard_platform.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation (评估)"

    def ready(self) -> None:
        # Declares the rows its tasks claim (notices/task_rows.py), before any worker recovers.
        from hazeguard_platform.evaluation import tasks  # noqa: F401
