"""The emission-list import (STYLE.md §7, §14): the office uploads, the worker imports.

``emission_list_upload`` stores the upload and queues ``emission_list_import_run`` on the worker
(a city's list takes tens of seconds, docs/load.md); ``emission_list_import`` runs the same
import at once, for the CLI, the demo and tests. Both record a ``ListImport`` with its state and,
for a refused workbook, every error by sheet, row and column; an import is all or nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard.reduction.io_excel import CellError, WorkbookError, read_workbook
from hazeguard.reduction.model import Enterprise
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.enterprises.listing import store_enterprises
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.uploads import require_workbook, upload_name, upload_read

LIST_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024  # a 10,000-enterprise list is ~5 MB


class ListImportError(InvalidInputError):
    """A workbook with errors: ``errors`` lists every one (sheet, row, column); nothing stored."""

    def __init__(self, record: ListImport, errors: Sequence[CellError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the workbook, nothing imported", field="file")
        self.record = record
        self.errors = tuple(errors)


def _cell(error: CellError) -> dict[str, object]:
    return {
        "sheet": error.sheet,
        "row": error.row,
        "column": error.column,
        "header": error.header,
        "reason": error.reason,
    }


def _store_upload(*, jurisdiction: Jurisdiction, file: IO[bytes], actor: Actor) -> ListImport:
    require_role(actor, jurisdiction, LIST_ROLES, action="emission_list.import")
    content = upload_read(file, limit_bytes=MAX_WORKBOOK_BYTES, field="file")
    filename = upload_name(file, "list.xlsx")
    require_workbook(content, field="file", name=filename)
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        record = ListImport.objects.create(
            jurisdiction=jurisdiction, filename=filename, uploaded_by=user, workbook=content
        )
        audit_record(
            actor=actor,
            action="emission_list.upload",
            obj=record,
            after={"filename": filename, "bytes": len(content)},
        )
    return record


def emission_list_upload(
    *, jurisdiction: Jurisdiction, file: IO[bytes], actor: Actor
) -> ListImport:
    """Store a list workbook and queue its import on the worker (the office's upload page).

    The import itself (:func:`emission_list_import_run`) takes tens of seconds for a city's list
    (docs/load.md), too long for a web request; the ``ListImport`` row tells its state.
    """
    from hazeguard_platform.enterprises.tasks import emission_list_import_task

    with transaction.atomic():
        record = _store_upload(jurisdiction=jurisdiction, file=file, actor=actor)
        transaction.on_commit(lambda: emission_list_import_task.enqueue(record.pk))
    return record


def emission_list_import(
    *, jurisdiction: Jurisdiction, file: IO[bytes], actor: Actor
) -> ListImport:
    """Import a list workbook (io_excel layout) into ``jurisdiction``'s list now, all or nothing
    (the CLI, the demo and tests; the upload page queues it with :func:`emission_list_upload`).

    Stores the upload as the page does and runs :func:`emission_list_import_run` on it. A refused
    workbook raises :class:`ListImportError` naming every error; the list is unchanged.
    """
    record = _store_upload(jurisdiction=jurisdiction, file=file, actor=actor)
    record, errors = _import(record.pk)
    if errors:
        raise ListImportError(record, errors)
    return record


def emission_list_import_run(*, import_id: int) -> ListImport:
    """Import a stored upload (the worker's task); idempotent: only a queued upload is run (one
    whose worker died is queued again by ``notices/task_rows.py``; the dead run's transaction
    was rolled back, so the import starts afresh).

    Rows are validated by the core's ``*_from_fields`` — the same as manual entry (STYLE.md §14).
    Enterprises on the workbook are created or updated (their units and site measures replaced);
    enterprises missing from it are marked not listed, never deleted. A workbook with errors is
    recorded as refused with every error (sheet, row, column) and changes nothing.
    """
    return _import(import_id)[0]


def _import(import_id: int) -> tuple[ListImport, list[CellError]]:
    # Claimed by a conditional UPDATE (STYLE.md §9): of two workers, one runs it.
    claimed = ListImport.objects.filter(pk=import_id, state=ListImport.State.QUEUED).update(
        state=ListImport.State.RUNNING, started_at=timezone.now()
    )
    record = ListImport.objects.select_related("jurisdiction", "uploaded_by").get(pk=import_id)
    if not claimed:
        return record, []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.xlsx"
        path.write_bytes(bytes(record.workbook))
        try:
            book = read_workbook(path)
        except WorkbookError as error:
            errors = list(error.errors)
            _finish(record, ListImport.State.REFUSED, errors=[_cell(e) for e in errors])
            audit_record(
                actor=record.uploaded_by,
                action="emission_list.import",
                obj=record,
                after={"outcome": "refused", "errors": len(errors)},
                message=str(errors[0]),
            )
            return record, errors
    try:
        return _store(record, book.emission_list.enterprises, book.output_value), []
    except Exception as error:
        # Rolled back, nothing stored: the office sees why rather than "running" for ever.
        reason = f"internal error, nothing imported: {type(error).__name__}: {error}"
        _finish(record, ListImport.State.REFUSED, errors=[_failure(reason)])
        raise


def _failure(reason: str) -> dict[str, object]:
    return {"sheet": "", "row": 0, "column": "", "header": "", "reason": reason}


def _store(
    record: ListImport,
    enterprises: Sequence[Enterprise],
    output_value: Mapping[tuple[str, str], float],
) -> ListImport:
    jurisdiction = record.jurisdiction
    codes = [e.credit_code for e in enterprises]
    with transaction.atomic():
        created, updated, grade_changes = store_enterprises(jurisdiction, enterprises, output_value)
        delisted = (
            ListedEnterprise.objects.filter(jurisdiction=jurisdiction, listed=True)
            .exclude(credit_code__in=codes)
            .update(listed=False)
        )
        _finish(
            record,
            ListImport.State.IMPORTED,
            created=created,
            updated=updated,
            delisted=delisted,
        )
        audit_record(
            actor=record.uploaded_by,
            action="emission_list.import",
            obj=record,
            after={
                "created": created,
                "updated": updated,
                "delisted": delisted,
                "grade_changes": grade_changes,
            },
        )
    return record


def _finish(record: ListImport, state: ListImport.State, **counts: Any) -> None:
    fields = {"state": state, "finished_at": timezone.now(), "workbook": b"", **counts}
    for name, value in fields.items():
        setattr(record, name, value)
    record.save(update_fields=list(fields))
