from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "hazeguard_platform.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation (评估)"
