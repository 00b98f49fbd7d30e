"""``manage.py person_data export|erase USERNAME [-o FILE]``: a person's contact data for a PIPL
request, exported (JSON) or erased, by the operator for the office; both audited."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hazeguard_platform.accounts.personal_data import person_data_erase, person_data_export


class Command(BaseCommand):
    help = "Export (JSON) or erase one person's contact data (PIPL), audited."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("username")
        parser.add_argument("-o", "--output", help="export: write the JSON here (else stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        person = get_user_model().objects.filter(username=options["username"]).first()
        if person is None:
            raise CommandError(f"no account {options['username']!r}")
        if options["action"] == "export":
            text = json.dumps(
                person_data_export(actor=None, person=person), ensure_ascii=False, indent=1
            )
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as out:
                    out.write(text)
            else:
                self.stdout.write(text)
        else:
            counts = person_data_erase(actor=None, person=person)
            self.stdout.write(f"erased: {counts}")
