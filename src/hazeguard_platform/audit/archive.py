"""Retention: audit records older than the retention period move to a file, never dropped silently.

GB/T 22239-2019 (level 3) asks for audit records kept at least six months; the platform keeps
``AUDIT_RETENTION_DAYS`` (≥ 180) in the database and moves whole older days of the chain to a
gzipped JSON-lines file in ``AUDIT_ARCHIVE_DIR``. The file is written, flushed to disk, read back
and its chain checked before the records leave the database; an ``AuditArchive`` row keeps its
name, SHA-256 and the chain's last hash, to which the first record kept still links.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hazeguard_platform.audit.chain import GENESIS, STORED_FIELDS, audit_seal, check_rows
from hazeguard_platform.audit.models import AuditArchive, AuditEntry
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA


class ArchiveError(RuntimeError):
    """An archive file that cannot be written or does not check out; nothing was removed."""


def _to_json(row: dict[str, Any]) -> str:
    out = dict(row)
    out["at"] = row["at"].astimezone(dt.UTC).isoformat()
    out["chain_day"] = row["chain_day"].isoformat()
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def read_archive(path: Path) -> Iterator[dict[str, Any]]:
    """The records of an archive file, as ``check_rows`` takes them."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            row["at"] = dt.datetime.fromisoformat(row["at"])
            row["chain_day"] = dt.date.fromisoformat(row["chain_day"])
            yield row


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audit_archive(*, today: dt.date | None = None) -> AuditArchive | None:
    """Move the days older than the retention period to a file; the archive row, or ``None``
    when there is nothing that old."""
    audit_seal()
    today = today or timezone.now().astimezone(CHINA).date()
    cutoff = today - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    old = AuditEntry.objects.filter(chain_day__lt=cutoff, seq__isnull=False)
    rows = list(old.order_by("chain_day", "seq").values(*STORED_FIELDS))
    if not rows:
        return None
    previous = AuditArchive.objects.order_by("-last_day").first()
    first_day, last_day = rows[0]["chain_day"], rows[-1]["chain_day"]
    directory = Path(settings.AUDIT_ARCHIVE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-{first_day:%Y%m%d}-{last_day:%Y%m%d}.jsonl.gz"
    if path.exists():
        raise ArchiveError(f"{path} exists already; move it away before archiving again")
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(_to_json(row) + "\n")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.rename(path)
    count, _, problems, last = check_rows(
        read_archive(path), previous.last_hash if previous else GENESIS
    )
    if problems or count != len(rows) or last is None:
        raise ArchiveError(f"{path} does not check out ({problems[:3]}); nothing removed")
    with transaction.atomic():
        archive = AuditArchive.objects.create(
            first_day=first_day,
            last_day=last_day,
            count=count,
            last_hash=last["hash"],
            file_name=path.name,
            file_sha256=_sha256(path),
        )
        AuditEntry.chain_writer.filter(id__in=[row["id"] for row in rows]).delete()
        audit_record(
            actor=None,
            action="audit.archive",
            obj=archive,
            after={"file": path.name, "count": count, "days": [str(first_day), str(last_day)]},
        )
    return archive
