"""Sign-in, sign-out and failed sign-in are audited; the inspector's export by period and actor;
records past the retention period go to a checked archive file, never dropped silently."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.test import Client, override_settings

from hazeguard.cli import main
from hazeguard_platform.audit.archive import ArchiveError, audit_archive
from hazeguard_platform.audit.chain import audit_verify
from hazeguard_platform.audit.export import audit_export
from hazeguard_platform.audit.models import AuditArchive, AuditEntry
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db


def test_sign_in_sign_out_and_a_failed_sign_in_are_on_record() -> None:
    User.objects.create_user("clerk", password="right-password-42")
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    client.post("/accounts/login/", {"username": "clerk", "password": "right-password-42"})
    client.post("/accounts/logout/")
    records = list(AuditEntry.objects.order_by("id").values_list("action", "outcome", "after"))
    assert records == [
        ("login.failed", "denied", {"username": "clerk", "address": "10.1.2.3"}),
        ("login", "done", {"username": "clerk", "address": "10.1.2.3"}),
        ("logout", "done", {"username": "clerk", "address": "10.1.2.3"}),
    ]


def _day_of_records(city: Jurisdiction, when: dt.datetime, actor: User | None) -> None:
    with time_machine.travel(when, tick=False):
        audit_record(actor=actor, action="test.touch", obj=city, after={"on": str(when)})


def test_the_export_takes_a_period_and_an_actor_and_is_itself_audited(
    city: Jurisdiction,
) -> None:
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    # 2 Jan 23:30 China time is still 2 Jan: it belongs to the period.
    _day_of_records(city, dt.datetime(2026, 1, 2, 15, 30, tzinfo=dt.UTC), alice)
    _day_of_records(city, dt.datetime(2026, 1, 2, 16, 30, tzinfo=dt.UTC), alice)  # 3 Jan
    _day_of_records(city, dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.UTC), bob)
    text, count = audit_export(first=dt.date(2026, 1, 1), last=dt.date(2026, 1, 2), actor="alice")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == 1
    assert rows[0]["actor_name"] == "alice"
    assert rows[0]["at"] == "2026-01-02T23:30:00+08:00"
    assert rows[0]["hash"]  # sealed before the export
    as_json, _ = audit_export(first=dt.date(2026, 1, 1), last=dt.date(2026, 1, 3), fmt="json")
    assert [row["actor_name"] for row in json.loads(as_json)] == ["bob", "alice", "alice"]
    exports = AuditEntry.objects.filter(action="audit.export").order_by("id")
    assert [e.after["records"] for e in exports] == [1, 3]


def test_the_export_command_writes_the_file_and_refuses_a_backward_period(
    city: Jurisdiction, tmp_path: Path
) -> None:
    _day_of_records(city, dt.datetime(2026, 1, 2, 1, 0, tzinfo=dt.UTC), None)
    out = tmp_path / "audit.json"
    args = ["audit", "export", "--from", "2026-01-02", "--to", "2026-01-02", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 1
    backward = ["audit", "export", "--from", "2026-01-03", "--to", "2026-01-01"]
    refused = CliRunner().invoke(main, [*backward, "-o", str(out)])
    assert refused.exit_code != 0
    assert "ends (2026-01-01) before it starts (2026-01-03)" in refused.output


@override_settings(AUDIT_RETENTION_DAYS=180)
def test_records_past_retention_move_to_a_checked_file_and_the_chain_still_verifies(
    city: Jurisdiction, tmp_path: Path
) -> None:
    with override_settings(AUDIT_ARCHIVE_DIR=tmp_path):
        for days_ago in (200, 190, 100, 1):
            when = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC) - dt.timedelta(days=days_ago)
            with time_machine.travel(when, tick=False):
                audit_record(actor=None, action="test.touch", obj=city)
                audit_verify()  # seals on the day
        archive = audit_archive(today=dt.date(2026, 7, 1))
    assert archive is not None
    assert archive.count == 2
    path = tmp_path / archive.file_name
    with gzip.open(path, "rt", encoding="utf-8") as archived:
        lines = archived.read().splitlines()
    assert len(lines) == 2
    assert AuditEntry.objects.filter(action="test.touch").count() == 2  # 100 and 1 days ago
    assert AuditEntry.objects.filter(action="audit.archive").count() == 1
    report = audit_verify()
    assert report.ok, report.problems
    good = CliRunner().invoke(main, ["audit", "verify", "--archive", str(path)])
    assert good.exit_code == 0, good.output
    # A changed line in the archive file is found too.
    record = json.loads(lines[1])
    record["message"] = "rewritten"
    forged = tmp_path / "forged.jsonl.gz"
    with gzip.open(forged, "wt", encoding="utf-8") as out:
        out.write(lines[0] + "\n" + json.dumps(record) + "\n")
    bad = CliRunner().invoke(main, ["audit", "verify", "--archive", str(forged)])
    assert bad.exit_code == 1
    assert f"changed: record {record['id']}" in bad.output


def test_archiving_refuses_to_overwrite_an_archive_file(city: Jurisdiction, tmp_path: Path) -> None:
    with override_settings(AUDIT_ARCHIVE_DIR=tmp_path):
        with time_machine.travel(dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.UTC), tick=False):
            audit_record(actor=None, action="test.touch", obj=city)
            audit_verify()  # sealed on that day
        (tmp_path / "audit-20260101-20260101.jsonl.gz").write_bytes(b"earlier")
        with pytest.raises(ArchiveError, match="exists already"):
            audit_archive(today=dt.date(2026, 12, 1))
    assert AuditEntry.objects.filter(action="test.touch").count() == 1
    assert not AuditArchive.objects.exists()


def test_a_retention_below_six_months_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from hazeguard_platform.env import env_int

    monkeypatch.setenv("HAZEGUARD_AUDIT_RETENTION_DAYS", "90")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 180"):
        env_int("HAZEGUARD_AUDIT_RETENTION_DAYS", 180, minimum=180)
