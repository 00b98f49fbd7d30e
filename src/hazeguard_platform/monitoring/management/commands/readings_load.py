"""``manage.py readings_load JURISDICTION FILE… [--layout cnemc] [--format json]``: store hourly
station readings from files (``.csv``, ``.csv.gz``, ``.json``) in the order given, each one
delivery, all or nothing, through ``readings_ingest`` as the upload page and the poller do: a
backfill is a file per month (up to ``MAX_ROWS`` rows) delivered in order, and delivering the same
files again stores nothing twice (docs/monitoring.md, "Backfill")."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazeguard.monitoring.layouts import LAYOUTS
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.monitoring.management.delivery_files import (
    delivery_line,
    file_texts,
    jurisdiction_named,
)
from hazeguard_platform.monitoring.models import Way
from hazeguard_platform.monitoring.services import readings_ingest


class Command(BaseCommand):
    help = "Store hourly station readings of a jurisdiction from files, one delivery each."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("jurisdiction")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--layout", default="hazeguard", choices=sorted(LAYOUTS))
        parser.add_argument("--format", default="csv", choices=("csv", "json"))

    def handle(self, *args: Any, **options: Any) -> None:
        place = jurisdiction_named(options["jurisdiction"])
        for path, text in file_texts(options["files"]):
            try:
                delivery = readings_ingest(
                    actor=None,
                    jurisdiction=place,
                    body=text,
                    fmt=options["format"],
                    layout=options["layout"],
                    way=Way.UPLOAD,
                    source=path.name,
                )
            except InvalidInputError as error:
                raise CommandError(error.message) from None
            self.stdout.write(delivery_line(path, delivery))
