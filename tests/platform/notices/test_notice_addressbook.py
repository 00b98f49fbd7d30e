"""Administrators keep the address book of contacts and webhook endpoints."""

from __future__ import annotations

from typing import Any

import pytest

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.notices.services import (
    contact_create,
    webhook_endpoint_create,
    webhook_endpoint_deactivate,
)

from .notice_helpers import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(office: Office, make_person: Any) -> Any:
    return make_person("city-admin", Role.ADMINISTRATOR, office.city)


def test_an_administrator_adds_an_escalation_contact(office: Office, administrator: Any) -> None:
    contact = contact_create(
        actor=administrator,
        jurisdiction=office.city,
        name="值班主任 duty director",
        phone="138 0000-0003",
        escalation=True,
    )
    assert (contact.phone, contact.escalation) == ("13800000003", True)
    assert AuditEntry.objects.filter(action="notice_contact.create", actor=administrator).exists()


def test_it_refuses_the_address_book_to_office_staff(office: Office) -> None:
    with pytest.raises(ForbiddenError):
        contact_create(
            actor=office.clerk, jurisdiction=office.city, name="x", email="x@example.org"
        )
    assert AuditEntry.objects.filter(outcome="denied").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " ", "email": "a@example.org"}, "name"),
        ({"name": "a", "email": "not-an-address"}, "email"),
        ({"name": "a", "phone": "call me"}, "phone"),
        ({"name": "a"}, "email"),
    ],
)
def test_it_rejects_a_contact_with_a_bad_field(
    office: Office, administrator: Any, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        contact_create(actor=administrator, jurisdiction=office.city, **fields)
    assert error.value.field == field


def test_a_new_endpoint_gets_a_random_secret_that_the_audit_log_never_shows(
    office: Office, administrator: Any
) -> None:
    endpoint = webhook_endpoint_create(
        actor=administrator, jurisdiction=office.city, name="GIS", url="https://gis.example.org/h"
    )
    assert len(endpoint.secret) >= 40
    entry = AuditEntry.objects.get(action="webhook_endpoint.create")
    assert endpoint.secret not in str(entry.after)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "https:///nohost"}, "url"),
        ({"url": "https://example.org/h", "secret": "short"}, "secret"),
    ],
)
def test_it_rejects_an_endpoint_with_a_bad_field(
    office: Office, administrator: Any, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        webhook_endpoint_create(actor=administrator, jurisdiction=office.city, name="e", **fields)
    assert error.value.field == field


def test_a_deactivated_endpoint_is_recorded(office: Office, administrator: Any) -> None:
    endpoint = webhook_endpoint_deactivate(actor=administrator, endpoint=office.endpoint)
    assert endpoint.active is False
    assert AuditEntry.objects.get(action="webhook_endpoint.deactivate").after == {"active": False}
