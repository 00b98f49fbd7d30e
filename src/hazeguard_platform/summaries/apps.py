from __future__ import annotations

from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "hazeguard_platform.summaries"
    label = "summaries"
    verbose_name = "Episode summaries (总结报告)"
