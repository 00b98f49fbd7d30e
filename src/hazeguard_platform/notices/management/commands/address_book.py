"""``manage.py address_book``: the operator's way to fill a jurisdiction's address book.

    manage.py address_book contact dongchangfu "区值班室 duty office" --email d@… --phone 138…
    manage.py address_book webhook liaocheng "市政府网站 website" https://example.cn/hook --public
    manage.py address_book list liaocheng

Each change goes through the address-book services (validated, audited); a webhook's secret is
printed once, for the receiver. Who then hears of a warning: docs/notices.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact, WebhookEndpoint
from hazeguard_platform.notices.services import contact_create, webhook_endpoint_create


def _jurisdiction(code: str) -> Jurisdiction:
    found = Jurisdiction.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"no jurisdiction {code!r}: import its plan first")
    return found


class Command(BaseCommand):
    help = "Add contacts and webhook endpoints to a jurisdiction's address book, or list it."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        contact = actions.add_parser("contact", help="add a contact reached by e-mail and/or SMS")
        contact.add_argument("jurisdiction", help="jurisdiction code, e.g. liaocheng")
        contact.add_argument("name")
        contact.add_argument("--email", default="")
        contact.add_argument("--phone", default="")
        contact.add_argument(
            "--escalation", action="store_true", help="receives the overdue reports"
        )
        webhook = actions.add_parser("webhook", help="add a webhook endpoint (signed JSON)")
        webhook.add_argument("jurisdiction")
        webhook.add_argument("name")
        webhook.add_argument("url")
        webhook.add_argument("--secret", default="", help="default: a random 256-bit secret")
        webhook.add_argument(
            "--public",
            action="store_true",
            help="publishes to the public: due within the plan's public-notice deadline",
        )
        listing = actions.add_parser("list", help="show the address book")
        listing.add_argument("jurisdiction")

    def handle(self, *args: Any, **options: Any) -> None:
        jurisdiction = _jurisdiction(options["jurisdiction"])
        try:
            if options["action"] == "contact":
                contact = contact_create(
                    actor=None,
                    jurisdiction=jurisdiction,
                    name=options["name"],
                    email=options["email"],
                    phone=options["phone"],
                    escalation=options["escalation"],
                )
                self.stdout.write(f"contact {contact.pk} {contact.name} in {jurisdiction.code}")
            elif options["action"] == "webhook":
                endpoint = webhook_endpoint_create(
                    actor=None,
                    jurisdiction=jurisdiction,
                    name=options["name"],
                    url=options["url"],
                    secret=options["secret"],
                    public=options["public"],
                )
                self.stdout.write(f"webhook {endpoint.pk} {endpoint.name} → {endpoint.url}")
                self.stdout.write(f"secret (for the receiver; shown once): {endpoint.secret}")
            else:
                self._list(jurisdiction)
        except ServiceError as error:
            raise CommandError(f"{error.field}: {error.message}") from None

    def _list(self, jurisdiction: Jurisdiction) -> None:
        for contact in Contact.objects.filter(jurisdiction=jurisdiction):
            reach = " ".join(filter(None, [contact.email, contact.phone]))
            flags = _flags(escalation=contact.escalation, inactive=not contact.active)
            self.stdout.write(f"contact {contact.pk}\t{contact.name}\t{reach}\t{flags}")
        for endpoint in WebhookEndpoint.objects.filter(jurisdiction=jurisdiction):
            flags = _flags(public=endpoint.public, inactive=not endpoint.active)
            self.stdout.write(f"webhook {endpoint.pk}\t{endpoint.name}\t{endpoint.url}\t{flags}")


def _flags(**named: bool) -> str:
    return " ".join(name for name, on in named.items() if on)
