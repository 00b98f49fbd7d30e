"""The audit log is append-only and carries the request id of the work that wrote it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.context import request_id_scope
from hazeguard_platform.immutable import ImmutableRowError
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db


def _entry(city: Jurisdiction) -> AuditEntry:
    actor = User.objects.create_user("auditor")
    return audit_record(actor=actor, action="test.touch", obj=city, before={"a": 1}, after={"a": 2})


def test_it_records_actor_action_object_before_after_and_request_id(city: Jurisdiction) -> None:
    with request_id_scope("req-12345678"):
        entry = _entry(city)
    entry.refresh_from_db()
    assert entry.actor_name == "auditor"
    assert (entry.action, entry.object_type, entry.object_id) == (
        "test.touch",
        "jurisdictions.jurisdiction",
        str(city.pk),
    )
    assert (entry.before, entry.after) == ({"a": 1}, {"a": 2})
    assert entry.request_id == "req-12345678"


def test_it_refuses_to_edit_a_saved_record(city: Jurisdiction) -> None:
    entry = _entry(city)
    entry.action = "test.forged"
    with pytest.raises(ImmutableRowError):
        entry.save()


def test_it_refuses_to_delete_a_record_one_by_one_or_in_bulk(city: Jurisdiction) -> None:
    entry = _entry(city)
    with pytest.raises(ImmutableRowError):
        entry.delete()
    with pytest.raises(ImmutableRowError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ImmutableRowError):
        AuditEntry.objects.update(action="test.forged")
    assert AuditEntry.objects.get().action == "test.touch"
