"""The restore drill: back up a platform in the middle of a red warning, wipe it, restore it, and
every row (warnings, tasks, reports, notices, audit records, uploaded files) and the audit
archives are back and the audit chain verifies. Runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from django.apps import apps
from django.core.management import call_command
from flows import in_force

from conftest import MakePerson, Staff
from hazeguard.cli import main
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.chain import audit_seal, audit_verify
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.backup import (
    BackupError,
    backup_create,
    backup_due,
    backup_restore,
    backups_rotate,
)
from hazeguard_platform.notices.models import Notice
from hazeguard_platform.warnings.models import Warning

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> dict[str, int]:
    """Rows of every table of the platform (the session table aside)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def test_a_restore_drill_in_the_middle_of_a_red_warning(
    liaocheng: Staff,
    make_person: MakePerson,
    clock: time_machine.Coordinates,
    tmp_path: Path,
    settings: object,
) -> None:
    county = liaocheng.jurisdiction.children.order_by("code").first()
    make_person("county-officer", Role.COUNTY_OFFICER, county)
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    archive_file = tmp_path / "data" / "audit-archive" / "audit-20250101-20250102.jsonl.gz"
    archive_file.parent.mkdir(parents=True)
    archive_file.write_bytes(b"an archive of old audit records")
    warning = in_force(liaocheng, clock)
    assert warning.level == "red"
    audit_seal()
    before = _rows()
    assert before["warnings.Warning"] >= 1
    assert before["notices.Notice"] >= 1
    backup = tmp_path / "drill.tar"
    manifest = backup_create(backup)
    assert manifest["audit_head"]["seq"] == before["audit.AuditEntry"]

    call_command("flush", interactive=False, verbosity=0)  # the wipe
    archive_file.unlink()
    assert Warning.objects.count() == Notice.objects.count() == AuditEntry.objects.count() == 0

    result = backup_restore(backup)
    assert _rows() == before
    assert result.audit_problems == ()
    assert result.audit_records == before["audit.AuditEntry"]
    assert archive_file.read_bytes() == b"an archive of old audit records"
    assert Warning.objects.get(pk=warning.pk).state == warning.state
    assert audit_verify().ok


def test_a_damaged_backup_is_refused_and_nothing_changes(
    liaocheng: Staff, tmp_path: Path, settings: object
) -> None:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    backup = tmp_path / "good.tar"
    backup_create(backup)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(backup) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            assert data is not None
            content = data.read()
            if member.name.startswith("database"):
                content = content[:-100] + b"x" * 100
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    before = _rows()
    with pytest.raises(BackupError, match="missing or damaged"):
        backup_restore(damaged)
    assert _rows() == before


def test_backup_and_restore_commands(liaocheng: Staff, tmp_path: Path, settings: object) -> None:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    backup = tmp_path / "cli.tar"
    made = CliRunner().invoke(main, ["backup", "-o", str(backup)])
    assert made.exit_code == 0, made.output
    assert backup.stat().st_mode & 0o077 == 0  # it holds phone numbers: owner only
    refused = CliRunner().invoke(main, ["restore", str(backup)], input="n\n")
    assert refused.exit_code == 1
    done = CliRunner().invoke(main, ["restore", str(backup), "--yes"])
    assert done.exit_code == 0, done.output
    assert "0 problems" in done.output


def test_rotation_keeps_the_newest_and_a_backup_is_due_after_the_interval(
    tmp_path: Path,
) -> None:
    for day in range(1, 6):
        (tmp_path / f"hazeguard-2026010{day}-020000.tar").write_bytes(b"x")
    removed = backups_rotate(tmp_path, keep=3)
    assert [p.name for p in removed] == [
        "hazeguard-20260101-020000.tar",
        "hazeguard-20260102-020000.tar",
    ]
    now = datetime.now(UTC)
    assert not backup_due(tmp_path, every=timedelta(hours=24), now=now)
    assert backup_due(tmp_path, every=timedelta(hours=24), now=now + timedelta(hours=25))
    assert backup_due(tmp_path / "empty", every=timedelta(hours=24), now=now)


def test_the_housekeeping_pass_backs_up_once_per_interval(
    liaocheng: Staff, tmp_path: Path, settings: object
) -> None:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    settings.BACKUP_DIR = tmp_path / "backups"  # type: ignore[attr-defined]
    call_command("housekeeping", "--once", verbosity=0)
    call_command("housekeeping", "--once", verbosity=0)
    assert len(list((tmp_path / "backups").glob("hazeguard-*.tar"))) == 1
