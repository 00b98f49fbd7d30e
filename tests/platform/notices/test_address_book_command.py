"""The operator fills a jurisdiction's address book with ``manage.py address_book``, through the
same validated and audited services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact, WebhookEndpoint

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> list[str]:
    out = StringIO()
    call_command("address_book", *arguments, stdout=out)
    return out.getvalue().splitlines()


def test_the_operator_adds_a_duty_contact_and_a_public_website_and_lists_them(
    city: Jurisdiction,
) -> None:
    run(
        "contact",
        "testcity",
        "值班室 duty",
        "--email",
        "duty@example.cn",
        "--phone",
        "138-0000-0001",
    )
    created, secret = run("webhook", "testcity", "网站 website", "https://example.cn/h", "--public")
    endpoint = WebhookEndpoint.objects.get()
    assert created == f"webhook {endpoint.pk} 网站 website → https://example.cn/h"
    assert secret.endswith(endpoint.secret)
    assert endpoint.public
    assert Contact.objects.get().phone == "13800000001"
    assert AuditEntry.objects.filter(action="webhook_endpoint.create").exists()
    listing = run("list", "testcity")
    assert listing[0].split("\t")[1:] == ["值班室 duty", "duty@example.cn 13800000001", ""]
    assert listing[1].split("\t")[1:] == ["网站 website", "https://example.cn/h", "public"]


def test_it_names_the_field_of_a_bad_entry_and_an_unknown_jurisdiction(city: Jurisdiction) -> None:
    with pytest.raises(CommandError, match="email: 'nobody' is not an e-mail address"):
        run("contact", "testcity", "x", "--email", "nobody")
    with pytest.raises(CommandError, match="url: 'ftp://x' is not an http"):
        run("webhook", "testcity", "x", "ftp://x")
    with pytest.raises(CommandError, match="no jurisdiction 'atlantis'"):
        run("list", "atlantis")
    assert not Contact.objects.exists()
