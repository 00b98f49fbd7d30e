"""The audit log's hash chain: sealing new records and verifying the whole chain.

Each record's ``hash`` is the SHA-256 of its content (every column, its id and its place in the
chain) and of the previous record's hash. Records are sealed right after their transaction
commits (``transaction.on_commit``), in one short transaction that locks the chain's head row:
several web processes and workers on one PostgreSQL append in one order, and no writer holds the
lock while it does its own (possibly long) work — a lock taken inside every audited transaction
would serialise the whole platform and could deadlock with the row locks those transactions take.

A record whose writer died between commit and seal is sealed by the next seal (any later audited
change, ``audit verify``, ``audit export``, the worker's archive job). ``audit verify`` names a
changed record (its hash no longer matches), a deleted one (a gap in a day's numbers, or the
next record's link broken), and records left unsealed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hazeguard_platform.audit.models import AuditArchive, AuditChainHead, AuditEntry
from hazeguard_platform.core import CHINA

# The first record ever links to this (64 zeros): there is nothing before it.
GENESIS = "0" * 64
# Columns that make up a record's content, in the order they are hashed.
CONTENT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "before",
    "after",
    "message",
    "request_id",
    "chain_day",
    "seq",
)
# Every column a sealed record is checked, archived and exported with.
STORED_FIELDS = (*CONTENT_FIELDS, "previous_hash", "hash")
# [records] sealed per UPDATE batch.
SEAL_BATCH = 500


def entry_hash(row: dict[str, Any], previous_hash: str) -> str:
    """SHA-256 (hex) of a record's content as stored and of the previous record's hash."""
    content = {name: row[name] for name in CONTENT_FIELDS}
    content["at"] = row["at"].astimezone(dt.UTC).isoformat()
    content["chain_day"] = row["chain_day"].isoformat()
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}\n{text}".encode()).hexdigest()


def _seal_pending() -> bool:
    """Whether this transaction already has a seal waiting for its commit."""
    # Entries are (savepoint ids, callback, robust); django-stubs knows only the first two.
    waiting: Sequence[tuple[object, ...]] = connection.run_on_commit
    return any(entry[1] is audit_seal for entry in waiting)


def seal_after_commit() -> None:
    """Seal the records written in the current transaction once it commits (once per
    transaction however many records it writes)."""
    if not connection.in_atomic_block or not _seal_pending():
        # robust: a failed seal is logged, never turned into an error for a change already made
        # (the next seal picks the records up).
        transaction.on_commit(audit_seal, robust=True)


def audit_seal() -> int:
    """Chain every record not yet in the chain, oldest id first; the number sealed."""
    sealed = 0
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        pending = list(
            AuditEntry.chain_writer.filter(seq__isnull=True)
            .order_by("id")
            .values(*(name for name in CONTENT_FIELDS if name not in ("chain_day", "seq")))
        )
        if not pending:
            return 0
        today = timezone.now().astimezone(CHINA).date()
        day, seq, previous = head.last_day, head.last_seq, head.last_hash or GENESIS
        if day is not None and day > today:  # a clock set back: keep numbering the later day
            today = day
        changed: list[AuditEntry] = []
        for row in pending:
            if day != today:
                day, seq = today, 0
            seq += 1
            row.update(chain_day=day, seq=seq)
            digest = entry_hash(row, previous)
            changed.append(
                AuditEntry(
                    id=row["id"], chain_day=day, seq=seq, previous_hash=previous, hash=digest
                )
            )
            previous = digest
        AuditEntry.chain_writer.bulk_update(
            changed, ["chain_day", "seq", "previous_hash", "hash"], batch_size=SEAL_BATCH
        )
        head.last_day, head.last_seq, head.last_hash = day, seq, previous
        head.last_entry_id = changed[-1].id
        head.save()
        sealed = len(changed)
    return sealed


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the chain, naming the record (or the gap) it was found at."""

    kind: str  # changed | deleted | broken-link | unsealed | head
    entry_id: int | None
    day: dt.date | None
    seq: int | None
    detail: str

    def __str__(self) -> str:
        where = f"record {self.entry_id}" if self.entry_id is not None else "chain"
        place = f" ({self.day} #{self.seq})" if self.day is not None else ""
        return f"{self.kind}: {where}{place}: {self.detail}"


@dataclass(frozen=True)
class ChainReport:
    """What ``audit_verify`` checked and found."""

    records: int
    days: int
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _sealed_rows() -> Iterator[dict[str, Any]]:
    queryset = AuditEntry.objects.filter(seq__isnull=False).order_by("chain_day", "seq")
    yield from queryset.values(*STORED_FIELDS).iterator(chunk_size=2000)


def check_rows(
    rows: Iterator[dict[str, Any]], expected_previous: str
) -> tuple[int, int, list[ChainProblem], dict[str, Any] | None]:
    """Walk sealed records in chain order (day, number): records and days seen, the problems,
    the last record. Used on the database and on an archive file alike."""
    problems: list[ChainProblem] = []
    day: dt.date | None = None
    expected_seq = records = days = 0
    last: dict[str, Any] | None = None
    for row in rows:
        records += 1
        if row["chain_day"] != day:
            day, expected_seq = row["chain_day"], 1
            days += 1
        else:
            expected_seq += 1
        here = {"entry_id": row["id"], "day": row["chain_day"], "seq": row["seq"]}
        if row["seq"] != expected_seq:
            missing = f"#{expected_seq}" + (
                f"..#{row['seq'] - 1}" if row["seq"] - 1 > expected_seq else ""
            )
            problems.append(
                ChainProblem(
                    kind="deleted",
                    detail=f"record(s) {missing} of {row['chain_day']} missing before this one",
                    **here,
                )
            )
            expected_seq = row["seq"]
        if row["previous_hash"] != expected_previous:
            problems.append(
                ChainProblem(
                    kind="broken-link",
                    detail="does not link to the record before it (one deleted or changed)",
                    **here,
                )
            )
        if entry_hash(row, row["previous_hash"]) != row["hash"]:
            problems.append(
                ChainProblem(kind="changed", detail="content no longer matches its hash", **here)
            )
        expected_previous = row["hash"]
        last = row
    return records, days, problems, last


def audit_verify(*, seal_first: bool = True) -> ChainReport:
    """Recompute the chain from the first record kept (after the last archive) to the head."""
    if seal_first:
        audit_seal()
    archive = AuditArchive.objects.order_by("-last_day").first()
    records, days, problems, last = check_rows(
        _sealed_rows(), archive.last_hash if archive else GENESIS
    )
    problems += _head_problems(last, archive)
    unsealed = AuditEntry.objects.filter(seq__isnull=True).values_list("id", flat=True)
    problems += [
        ChainProblem(
            kind="unsealed", entry_id=pk, day=None, seq=None, detail="not in the chain yet"
        )
        for pk in unsealed
    ]
    return ChainReport(records=records, days=days, problems=tuple(problems))


def _head_problems(last: dict[str, Any] | None, archive: AuditArchive | None) -> list[ChainProblem]:
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_entry_id is None:
        return []
    if last is None and archive is not None and archive.last_hash == head.last_hash:
        return []  # everything is archived
    if last is None or last["id"] != head.last_entry_id or last["hash"] != head.last_hash:
        where = f"{last['chain_day']} #{last['seq']}" if last else "nothing"
        return [
            ChainProblem(
                kind="deleted",
                entry_id=head.last_entry_id,
                day=head.last_day,
                seq=head.last_seq,
                detail=f"the newest record is missing or changed (the chain ends at {where})",
            )
        ]
    return []
