"""``manage.py import_plan PLAN_ID...``: import shipped plans as new plan versions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.services import plan_import


class Command(BaseCommand):
    help = "Import shipped plans (e.g. liaocheng-2020); an unchanged plan adds no version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_ids", nargs="+", metavar="PLAN_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        for plan_id in options["plan_ids"]:
            try:
                version = plan_import(actor=None, plan_id=plan_id)
            except ServiceError as error:
                raise CommandError(f"{plan_id}: {error.message}") from None
            self.stdout.write(f"{version.plan_id} v{version.number} → {version.jurisdiction.code}")
