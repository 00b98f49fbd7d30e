"""The audit log's hash chain: every record links to the one before; a changed or deleted record
is found and named; days are chains of their own, linked end to start."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.db import connection, connections, transaction

from hazeguard.cli import main
from hazeguard_platform.audit.chain import GENESIS, audit_seal, audit_verify
from hazeguard_platform.audit.models import AuditChainHead, AuditEntry
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db


def _write(city: Jurisdiction, count: int, action: str = "test.touch") -> list[AuditEntry]:
    actor = User.objects.get_or_create(username="auditor")[0]
    entries = [
        audit_record(actor=actor, action=action, obj=city, after={"n": n}) for n in range(count)
    ]
    audit_seal()
    return [AuditEntry.objects.get(pk=entry.pk) for entry in entries]


def _sql(statement: str, *params: object) -> None:
    """Tamper the way someone with database access would: behind the application's back."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_record_carries_the_hash_of_the_one_before(city: Jurisdiction) -> None:
    entries = _write(city, 4)
    assert entries[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.hash
        assert after.seq == before.seq + 1
    report = audit_verify()
    assert report.ok, report.problems
    assert report.records == 4


def test_verify_names_a_changed_record(city: Jurisdiction) -> None:
    entries = _write(city, 5)
    _sql("UPDATE audit_auditentry SET message = %s WHERE id = %s", "nothing here", entries[2].pk)
    report = audit_verify()
    assert [(p.kind, p.entry_id) for p in report.problems] == [("changed", entries[2].pk)]


def test_verify_names_the_gap_a_deleted_record_leaves(city: Jurisdiction) -> None:
    entries = _write(city, 5)
    _sql("DELETE FROM audit_auditentry WHERE id = %s", entries[2].pk)
    problems = audit_verify().problems
    assert {(p.kind, p.entry_id) for p in problems} == {
        ("deleted", entries[3].pk),
        ("broken-link", entries[3].pk),
    }
    assert f"#{entries[2].seq}" in str(problems[0])


def test_verify_finds_the_newest_record_deleted(city: Jurisdiction) -> None:
    entries = _write(city, 3)
    _sql("DELETE FROM audit_auditentry WHERE id = %s", entries[-1].pk)
    problems = audit_verify().problems
    assert [(p.kind, p.entry_id) for p in problems] == [("deleted", entries[-1].pk)]


def test_a_rewritten_hash_breaks_the_next_link(city: Jurisdiction) -> None:
    entries = _write(city, 3)
    _sql(
        "UPDATE audit_auditentry SET message = %s, hash = %s WHERE id = %s",
        "forged",
        "f" * 64,
        entries[1].pk,
    )
    kinds = {(p.kind, p.entry_id) for p in audit_verify().problems}
    assert ("changed", entries[1].pk) in kinds
    assert ("broken-link", entries[2].pk) in kinds


def test_each_day_is_a_chain_that_starts_where_the_day_before_ended(city: Jurisdiction) -> None:
    # 23:59 and 00:01 China time: two days.
    with time_machine.travel(dt.datetime(2026, 1, 4, 15, 59, tzinfo=dt.UTC), tick=False):
        first_day = _write(city, 2)
    with time_machine.travel(dt.datetime(2026, 1, 4, 16, 1, tzinfo=dt.UTC), tick=False):
        second_day = _write(city, 2)
    assert [e.chain_day for e in first_day] == [dt.date(2026, 1, 4)] * 2
    assert [(e.chain_day, e.seq) for e in second_day] == [
        (dt.date(2026, 1, 5), 1),
        (dt.date(2026, 1, 5), 2),
    ]
    assert second_day[0].previous_hash == first_day[-1].hash
    assert audit_verify().ok


def test_a_record_is_sealed_when_its_transaction_commits(
    city: Jurisdiction, django_capture_on_commit_callbacks: object
) -> None:
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with capture as callbacks, transaction.atomic():
        for n in range(3):
            audit_record(actor=None, action="test.touch", obj=city, after={"n": n})
    assert len(callbacks) == 1  # one seal per transaction, however many records
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


def test_the_command_names_the_changed_record_and_fails(city: Jurisdiction) -> None:
    entries = _write(city, 3)
    clean = CliRunner().invoke(main, ["audit", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "3 records over 1 days checked; 0 problems" in clean.output
    _sql("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", "someone", entries[0].pk)
    tampered = CliRunner().invoke(main, ["audit", "verify"])
    assert tampered.exit_code == 1
    assert f"changed: record {entries[0].pk}" in tampered.output


def _writer(city_id: int, count: int, errors: list[BaseException]) -> None:
    try:
        for n in range(count):
            with transaction.atomic():
                audit_record(
                    actor=None,
                    action="test.concurrent",
                    obj=Jurisdiction.objects.get(pk=city_id),
                    after={"n": n, "thread": threading.get_ident()},
                )
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_several_writers_at_once_make_one_unbroken_chain(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time by design; the race needs PostgreSQL")
    city = Jurisdiction.objects.create(code="racecity", name_zh="并发市", kind="city")
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(city.pk, 25, errors)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    report = audit_verify(seal_first=False)
    assert report.ok, report.problems[:5]
    assert report.records == 150
    assert AuditChainHead.objects.get().last_seq == 150
