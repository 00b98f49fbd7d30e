"""Backups and restores of the whole platform: the database (uploaded files live in it, as
``BinaryField`` columns) and the files in the data folder that are not in it (audit archives).

One backup is one ``.tar`` file: ``manifest.json`` (what, when, from which engine, the SHA-256 of
every member, the audit chain's head), the database (``database.sqlite3`` through SQLite's online
backup API, or ``database.pgdump`` from ``pg_dump -Fc``) and ``files/...``. A restore checks every
checksum before it touches anything, puts the database back (SQLite's backup API the other way,
or ``pg_restore --clean --single-transaction``), the files, then migrates (a backup of an older
version) and verifies the audit chain.

Restore on a stopped platform (no web process, no worker): a restore replaces everything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = "hazeguard-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
# Folders of the data folder that hold what the database does not: the audit archives.
FILE_FOLDERS = ("audit-archive",)
BACKUP_GLOB = "hazeguard-*.tar"


class BackupError(RuntimeError):
    """A backup that cannot be made or a file that cannot be restored; says why."""


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    created_at: str
    audit_records: int
    audit_problems: tuple[str, ...]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def pg_tool(name: str) -> str:
    """``pg_dump`` or ``pg_restore``: ``HAZEGUARD_PG_BIN``, the PATH, or Debian's newest
    ``/usr/lib/postgresql/*/bin``."""
    folder = os.environ.get("HAZEGUARD_PG_BIN", "")
    if folder:
        return str(Path(folder) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise BackupError(f"{name} not found: install PostgreSQL's client or set HAZEGUARD_PG_BIN")
    return str(candidates[-1])


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools from Django's own settings (the test
    database too), the password through the environment, never the command line."""
    params = connection.settings_dict
    args = ["--dbname", str(params["NAME"])]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-800:]}")


def _dump_database(folder: Path) -> Path:
    connection.ensure_connection()
    if _engine() == "sqlite":
        target = folder / SQLITE_MEMBER
        with sqlite3.connect(target) as copy:
            # The online backup API: a consistent copy while the platform keeps writing.
            connection.connection.backup(copy)
        return target
    target = folder / POSTGRES_MEMBER
    args, env = _pg_environment()
    _run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
        env,
        "pg_dump",
    )
    return target


def _audit_head() -> dict[str, Any]:
    from hazeguard_platform.audit.chain import audit_seal
    from hazeguard_platform.audit.models import AuditChainHead

    audit_seal()
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return {}
    return {"day": str(head.last_day), "seq": head.last_seq, "hash": head.last_hash}


def backup_create(output: Path) -> dict[str, Any]:
    """Write a backup of the database and the data folder's files to ``output``; its manifest."""
    from django.utils import timezone

    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="hazeguard-backup-") as scratch:
        folder = Path(scratch)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "audit_head": _audit_head(),
            "members": {},
        }
        members: list[tuple[Path, str]] = [(_dump_database(folder), "")]
        for name in FILE_FOLDERS:
            source = data_dir / name
            for path in sorted(source.rglob("*")) if source.is_dir() else ():
                if path.is_file():
                    members.append((path, f"files/{path.relative_to(data_dir)}"))
        partial = output.with_name(output.name + ".partial")
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(partial, "w") as archive:
            for path, arcname in members:
                arcname = arcname or path.name
                manifest["members"][arcname] = _sha256(path)
                archive.add(path, arcname=arcname)
            text = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text))
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.rename(output)
    output.chmod(0o600)  # it holds people's phone numbers
    return manifest


def _read_checked(path: Path, folder: Path) -> dict[str, Any]:
    """Unpack ``path`` into ``folder`` and check every member against the manifest."""
    try:
        with tarfile.open(path, "r") as archive:
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is not a HazeGuard backup: {error}") from None
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} has no {MANIFEST}: not a HazeGuard backup")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown format {manifest.get('format')!r}")
    for name, digest in manifest["members"].items():
        member = folder / name
        if not member.is_file() or _sha256(member) != digest:
            raise BackupError(f"{path}: {name} is missing or damaged (checksum differs)")
    return manifest


def backup_restore(path: Path) -> RestoreResult:
    """Put the platform back as it was in the backup ``path``; then migrate and verify the audit
    chain. Nothing is changed when the file is damaged or from the other database engine."""
    from django.core.management import call_command

    from hazeguard_platform.audit.chain import audit_verify

    with tempfile.TemporaryDirectory(prefix="hazeguard-restore-") as scratch:
        folder = Path(scratch)
        manifest = _read_checked(path, folder)
        if manifest["engine"] != _engine():
            raise BackupError(
                f"{path} is a {manifest['engine']} backup; this platform runs on {_engine()}"
            )
        connection.ensure_connection()
        if _engine() == "sqlite":
            with sqlite3.connect(folder / SQLITE_MEMBER) as source:
                source.backup(connection.connection)
        else:
            connection.close()
            args, env = _pg_environment()
            command = [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
            command += ["--single-transaction", "--exit-on-error", *args]
            _run([*command, str(folder / POSTGRES_MEMBER)], env, "pg_restore")
        data_dir = Path(settings.DATA_DIR)
        for name in manifest["members"]:
            if name.startswith("files/"):
                target = data_dir / name.removeprefix("files/")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / name, target)
    call_command("migrate", interactive=False, verbosity=0)
    report = audit_verify(seal_first=False)
    return RestoreResult(
        engine=manifest["engine"],
        created_at=manifest["created_at"],
        audit_records=report.records,
        audit_problems=tuple(str(problem) for problem in report.problems),
    )


def backup_name(now: datetime) -> str:
    """``hazeguard-YYYYmmdd-HHMMSS.tar`` (UTC, so names sort by time)."""
    return f"hazeguard-{now:%Y%m%d-%H%M%S}.tar"


def backups_rotate(folder: Path, *, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups in ``folder``; the removed paths."""
    backups = sorted(folder.glob(BACKUP_GLOB))
    removed = backups[: max(len(backups) - keep, 0)]
    for path in removed:
        path.unlink()
    return removed


def backup_due(folder: Path, *, every: timedelta, now: datetime) -> bool:
    """Whether the newest backup in ``folder`` is older than ``every`` (or there is none)."""
    backups = sorted(folder.glob(BACKUP_GLOB))
    if not backups:
        return True
    newest = datetime.fromtimestamp(backups[-1].stat().st_mtime, tz=now.tzinfo)
    return now - newest >= every
