"""``manage.py grant_role USER JURISDICTION ROLE``: give a person a role (the operator's way in;
every later change goes through the pages, which call the same service)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.services import membership_grant
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit


class Command(BaseCommand):
    help = "Give USER the ROLE in JURISDICTION (roles: " + ", ".join(Role.values) + ")."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("jurisdiction", help="jurisdiction code, e.g. liaocheng")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--member-unit", help="member unit code (member unit staff only)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r} (create it with createsuperuser)")
        jurisdiction = Jurisdiction.objects.filter(code=options["jurisdiction"]).first()
        if jurisdiction is None:
            raise CommandError(
                f"no jurisdiction {options['jurisdiction']!r}: import its plan first"
            )
        unit = None
        if options["member_unit"]:
            unit = MemberUnit.objects.filter(
                jurisdiction=jurisdiction, code=options["member_unit"]
            ).first()
            if unit is None:
                raise CommandError(
                    f"no member unit {options['member_unit']!r} in {jurisdiction.code}"
                )
        try:
            membership_grant(
                actor=None,
                user=user,
                jurisdiction=jurisdiction,
                role=options["role"],
                member_unit=unit,
            )
        except ServiceError as error:
            raise CommandError(f"{error.field}: {error.message}") from None
        self.stdout.write(f"{user.username} is now {options['role']} in {jurisdiction.code}")
