"""``manage.py weather_load JURISDICTION FILE… [--layout beijing]``: store observed hourly weather
from CSV files (``.csv`` or ``.csv.gz``), each all or nothing, as the upload page does."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.monitoring.management.delivery_files import (
    delivery_line,
    file_texts,
    jurisdiction_named,
)
from hazeguard_platform.monitoring.weather import WEATHER_LAYOUTS, weather_ingest


class Command(BaseCommand):
    help = "Store observed hourly weather of a jurisdiction from CSV files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("jurisdiction")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--layout", default="hazeguard", choices=WEATHER_LAYOUTS)

    def handle(self, *args: Any, **options: Any) -> None:
        place = jurisdiction_named(options["jurisdiction"])
        for path, text in file_texts(options["files"]):
            try:
                delivery = weather_ingest(
                    actor=None,
                    jurisdiction=place,
                    body=text,
                    layout=options["layout"],
                    source=path.name,
                )
            except InvalidInputError as error:
                raise CommandError(error.message) from None
            self.stdout.write(delivery_line(path, delivery))
