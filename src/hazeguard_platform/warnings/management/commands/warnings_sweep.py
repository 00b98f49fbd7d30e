"""``manage.py warnings_sweep``: start due warnings and mark overdue responses now (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.warnings.lifecycle import warnings_due_sweep


class Command(BaseCommand):
    help = "Start issued warnings whose start time has passed; mark overdue regional responses."

    def handle(self, *args: Any, **options: Any) -> None:
        with request_id_scope("sweep"):
            started, marked = warnings_due_sweep()
        self.stdout.write(f"started {started} warning(s), marked {marked} response(s) overdue")
