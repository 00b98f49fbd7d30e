"""``manage.py lift_due_sweep``: tell the office of announced ends that passed unannounced
(idempotent; ``hazeguard serve`` runs it at start, after ``warnings_sweep``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.response.services import lift_due_sweep


class Command(BaseCommand):
    help = "Tell the office of every warning whose announced end passed and nobody was told."

    def handle(self, *args: Any, **options: Any) -> None:
        with request_id_scope("lift-due-sweep"):
            told = lift_due_sweep()
        self.stdout.write(f"told {told}")
