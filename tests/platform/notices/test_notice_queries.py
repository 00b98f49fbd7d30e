"""A notice costs a fixed number of queries, whatever its number of recipients: a red warning in
Liaocheng reaches 5,000+ people, and three round trips each made issuing it take 45 s
(docs/load.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.notices.models import Channel, Contact, Delivery, Event, WebhookEndpoint
from hazeguard_platform.notices.services import notice_create, notices_escalate

from .notice_helpers import Office

pytestmark = pytest.mark.django_db

# Notice, phones, recipients, deliveries, audit entry, and the savepoint around them (2).
QUERIES = 7
# The overdue recipients (claim, mark, read with their deliveries), the notice, the office, the
# audit entry, and the overdue notice itself (QUERIES).
ESCALATION_QUERIES = 18


def _people(office: Office, count: int, prefix: str) -> list[User]:
    """``count`` users with an e-mail address; every other one has a linked contact with a phone."""
    people = User.objects.bulk_create(
        User(username=f"{prefix}-{i}", email=f"{prefix}-{i}@example.org") for i in range(count)
    )
    Contact.objects.bulk_create(
        Contact(jurisdiction=office.city, name=p.username, phone=f"139{i:08d}", user=p)
        for i, p in enumerate(people)
        if i % 2 == 0
    )
    return people


def _addressees(office: Office, count: int, prefix: str) -> list[object]:
    contacts = Contact.objects.bulk_create(
        Contact(jurisdiction=office.city, name=f"{prefix}-c{i}", email=f"{prefix}-c{i}@example.org")
        for i in range(count)
    )
    endpoints = WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(
            jurisdiction=office.city,
            name=f"{prefix}-e{i}",
            url=f"https://example.org/{prefix}/{i}",
            secret="s" * 32,
        )
        for i in range(count)
    )
    return [*_people(office, count, prefix), *contacts, *endpoints]


# 36 recipients and their 54 deliveries fit one INSERT each even on SQLite, where Django splits a
# bulk_create at 999 parameters (about 60 deliveries); PostgreSQL takes any number in one.
@pytest.mark.parametrize("per_kind", [1, 12])
def test_a_notice_costs_the_same_queries_for_3_or_36_recipients(
    office: Office, django_assert_max_num_queries: DjangoAssertNumQueries, per_kind: int
) -> None:
    addressees = _addressees(office, per_kind, f"p{per_kind}")
    with django_assert_max_num_queries(QUERIES):
        notice = notice_create(
            event=Event.ISSUE,
            recipients=addressees,  # type: ignore[arg-type]
            actor=office.clerk,
            jurisdiction=office.city,
        )
    assert notice.recipients.count() == 3 * per_kind
    channels = list(Delivery.objects.filter(recipient__notice=notice).values_list("channel"))
    # inbox + e-mail per user, an SMS for every other user, e-mail per contact, webhook per endpoint
    assert len(channels) == 2 * per_kind + (per_kind + 1) // 2 + per_kind + per_kind
    assert channels.count((Channel.SMS,)) == (per_kind + 1) // 2


def test_the_audit_record_counts_the_recipients_and_names_them_by_id(office: Office) -> None:
    people = _people(office, 3, "audit")
    notice = notice_create(
        event=Event.ISSUE,
        recipients=[*people, office.county_contact, office.endpoint, people[0]],
        actor=office.clerk,
        jurisdiction=office.city,
    )
    after = AuditEntry.objects.get(action="notice.create", object_id=str(notice.pk)).after
    assert after["recipients"] == 5  # the repeated person counts once
    assert after["by_kind"] == {"user": 3, "contact": 1, "endpoint": 1}
    assert after["addressee_ids"] == {
        "user": [p.pk for p in people],
        "contact": [office.county_contact.pk],
        "endpoint": [office.endpoint.pk],
    }


@pytest.mark.parametrize("per_kind", [1, 12])
def test_escalating_a_notice_costs_the_same_queries_for_3_or_36_overdue_recipients(
    office: Office,
    clock: time_machine.Coordinates,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    per_kind: int,
) -> None:
    notice = notice_create(
        event=Event.ISSUE,
        recipients=_addressees(office, per_kind, f"late{per_kind}"),  # type: ignore[arg-type]
        actor=office.clerk,
        jurisdiction=office.city,
        due_at=timezone.now() + timedelta(hours=3),
    )
    clock.shift(timedelta(hours=4))
    with django_assert_max_num_queries(ESCALATION_QUERIES):
        (overdue,) = notices_escalate(now=timezone.now())
    assert notice.recipients.filter(escalated_at__isnull=False).count() == 3 * per_kind
    assert overdue.escalates == notice
    assert notices_escalate(now=timezone.now()) == []  # each recipient is escalated once
