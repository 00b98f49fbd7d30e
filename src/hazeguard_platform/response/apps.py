from __future__ import annotations

from django.apps import AppConfig


class ResponseConfig(AppConfig):
    """No models: installed for its worker command (``manage.py watch_processes``)."""

    name = "hazeguard_platform.response"
    label = "response"
    verbose_name = "Response orchestration (应急响应)"
