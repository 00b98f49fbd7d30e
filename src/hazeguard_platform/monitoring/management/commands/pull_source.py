"""``manage.py pull_source JURISDICTION URL [--layout cnemc] [--format csv] [--interval 600]``:
set (or replace) the endpoint the station poller fetches for a jurisdiction (docs/monitoring.md).
``--off`` stops polling it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import PullSource


class Command(BaseCommand):
    help = "Set the endpoint polled for a jurisdiction's hourly station data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("jurisdiction")
        parser.add_argument("url")
        parser.add_argument("--layout", default="hazeguard", choices=["hazeguard", "cnemc"])
        parser.add_argument("--format", default="json", choices=["json", "csv"])
        parser.add_argument("--interval", type=int, default=600, help="seconds between polls")
        parser.add_argument("--off", action="store_true", help="stop polling this endpoint")

    def handle(self, *args: Any, **options: Any) -> str:
        place = Jurisdiction.objects.filter(code=options["jurisdiction"]).first()
        if place is None:
            raise CommandError(f"no jurisdiction {options['jurisdiction']!r}")
        if options["interval"] < 5:
            raise CommandError("--interval must be at least 5 seconds")
        source, _ = PullSource.objects.update_or_create(
            jurisdiction=place,
            url=options["url"],
            defaults={
                "layout": options["layout"],
                "format": options["format"],
                "interval": options["interval"],
                "active": not options["off"],
                "next_poll_at": timezone.now(),
            },
        )
        audit_record(
            actor=None,
            action="pull_source.set",
            obj=source,
            after={"url": source.url, "layout": source.layout, "active": source.active},
        )
        return f"{place.code}: {'polling' if source.active else 'not polling'} {source.url}"
