"""Uploading meter readings and running the electricity check (STYLE.md §7).

Keyword-only arguments, one ``transaction.atomic()`` per change with its audit record; errors are
the platform's ``InvalidInputError`` (400, names the field) and ``ForbiddenError`` (403,
audited).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard.compliance import MeasuresError, ReadingsError
from hazeguard.io.tables import LOCAL_TIME_ZONE
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.permissions import Actor, refuse, roles_of
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA
from hazeguard_platform.enterprises.models import EnterpriseContact, ListedEnterprise
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.meters.check import episode_findings
from hazeguard_platform.meters.models import (
    ElectricityCheck,
    ElectricityFinding,
    MeterReading,
    MeterUpload,
)
from hazeguard_platform.meters.readings import (
    ReadingsFileError,
    read_readings,
    upload_error_text,
)
from hazeguard_platform.uploads import upload_name, upload_read
from hazeguard_platform.warnings.models import Episode

OFFICE_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)
MAX_FILE_BYTES = 200 * 1024 * 1024  # a month of 15-min readings of 1,000 meters is ~130 MB
# ~100,000 hourly readings, stored in about 5 s (docs/summaries.md); larger files go to the worker.
SYNC_LIMIT_BYTES = 5 * 1024 * 1024
BATCH = 5000


class MeterUploadError(InvalidInputError):
    """A file refused with the row and column at fault; nothing was stored."""

    def __init__(self, record: MeterUpload, error: ReadingsFileError) -> None:
        where = upload_error_text(record.filename, error.row, error.column, error.reason)
        super().__init__(_("%(error)s; nothing stored") % {"error": where}, field="file")
        self.record = record
        self.row = error.row
        self.column = error.column


def is_office(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    return any(
        roles_of(actor, place) & set(OFFICE_ROLES)
        for place in (jurisdiction, *jurisdiction.ancestors())
    )


def require_check_office(actor: Actor, episode: Episode, *, action: str) -> None:
    """The electricity check of ``episode`` is the command office's (its jurisdiction or above):
    anyone else gets ``ForbiddenError`` and an audit record of ``action``."""
    code = episode.jurisdiction.code
    if not is_office(actor, episode.jurisdiction):
        raise refuse(
            actor,
            action=action,
            obj=episode,
            message=f"the electricity check of {code} needs the command office",
        )


def allowed_enterprises(actor: Actor, jurisdiction: Jurisdiction) -> dict[str, ListedEnterprise]:
    """Credit code -> enterprise the actor may send readings for: the whole list for the
    command office, the contact's own enterprises for an enterprise contact (its meter feed)."""
    rows = ListedEnterprise.objects.filter(jurisdiction=jurisdiction)
    if not is_office(actor, jurisdiction):
        if not isinstance(actor, User):
            rows = rows.none()
        else:
            own = EnterpriseContact.objects.filter(user=actor).values("enterprise_id")
            rows = rows.filter(pk__in=own)
    return {row.credit_code: row for row in rows}


def _refuse_file(
    actor: Actor,
    jurisdiction: Jurisdiction,
    filename: str,
    error: ReadingsFileError,
    record: MeterUpload | None = None,
) -> MeterUploadError:
    """Record the refusal (on the queued upload when there is one) and its audit record."""
    user = actor if isinstance(actor, User) else None
    errors = [{"row": error.row, "column": error.column, "reason": error.reason}]
    with transaction.atomic():
        if record is None:
            record = MeterUpload.objects.create(
                jurisdiction=jurisdiction,
                filename=filename,
                uploaded_by=user,
                outcome=MeterUpload.Outcome.REFUSED,
                errors=errors,
            )
        else:
            record.outcome, record.errors, record.content = (
                MeterUpload.Outcome.REFUSED,
                errors,
                b"",
            )
            record.save(update_fields=["outcome", "errors", "content"])
        audit_record(
            actor=actor,
            action="meter_readings.upload",
            obj=record,
            after={"outcome": "refused"},
            message=str(error),
        )
    return MeterUploadError(record, error)


def sync_limit_bytes() -> int:
    """Files up to this size are stored during the request; larger ones by the task worker."""
    return int(getattr(settings, "METER_UPLOAD_SYNC_BYTES", SYNC_LIMIT_BYTES))


def meter_readings_upload(
    *, actor: Actor, jurisdiction: Jurisdiction, file: IO[bytes]
) -> MeterUpload:
    """Store a CSV of readings (``readings.COLUMNS``) for listed enterprises, all or nothing.

    The command office may send readings of any enterprise on the jurisdiction's list; an
    enterprise contact (or the meter feed it runs) only of its own. A reading already stored
    with the same value is counted as unchanged; with another value the file is refused (a
    stored reading is never replaced). A refused file raises :class:`MeterUploadError` naming
    the row and column, after recording the attempt; nothing else is stored.

    A file larger than :func:`sync_limit_bytes` is kept on the upload (outcome ``queued``) and
    stored by the task worker (:func:`meter_readings_store`), with the same checks; its outcome
    and errors show on the upload page.
    """
    # The office first: for it, allowed_enterprises would load the whole list only to be
    # loaded again by _store.
    if not is_office(actor, jurisdiction) and not allowed_enterprises(actor, jurisdiction):
        raise refuse(
            actor,
            action="meter_readings.upload",
            obj=jurisdiction,
            message=f"meter readings of {jurisdiction.code} need the command office or a contact",
        )
    filename = upload_name(file, "readings.csv")
    data = upload_read(file, limit_bytes=MAX_FILE_BYTES, field="file")
    if len(data) <= sync_limit_bytes():
        return _store(actor, jurisdiction, filename, data)
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        record = MeterUpload.objects.create(
            jurisdiction=jurisdiction,
            filename=filename,
            uploaded_by=user,
            outcome=MeterUpload.Outcome.QUEUED,
            content=data,
        )
        audit_record(
            actor=actor,
            action="meter_readings.upload",
            obj=record,
            after={"outcome": "queued", "bytes": len(data)},
        )
        from hazeguard_platform.meters.tasks import meter_readings_store_task

        transaction.on_commit(lambda: meter_readings_store_task.enqueue(record.pk))
    return record


def meter_readings_store(*, upload_id: int) -> MeterUpload | None:
    """Store a queued upload (the task worker); idempotent: ``None`` when another worker has
    it or it is done. A refused file is recorded on the upload, not raised."""
    claimed = MeterUpload.objects.filter(pk=upload_id, outcome=MeterUpload.Outcome.QUEUED).update(
        outcome=MeterUpload.Outcome.PROCESSING
    )
    if claimed != 1:
        return None
    record = MeterUpload.objects.select_related("jurisdiction", "uploaded_by").get(pk=upload_id)
    try:
        return _store(
            record.uploaded_by, record.jurisdiction, record.filename, bytes(record.content), record
        )
    except MeterUploadError as error:
        return error.record


def _store(
    actor: Actor,
    jurisdiction: Jurisdiction,
    filename: str,
    data: bytes,
    record: MeterUpload | None = None,
) -> MeterUpload:
    """Read, check and store one file's readings; the refusal names the row and column."""
    allowed = allowed_enterprises(actor, jurisdiction)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "readings.csv"
        path.write_bytes(data)
        try:
            checked = read_readings(path, allowed)
            new, unchanged = _against_stored(checked.table)
        except ReadingsFileError as error:
            raise _refuse_file(actor, jurisdiction, filename, error, record) from None
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        if record is None:
            record = MeterUpload(jurisdiction=jurisdiction, filename=filename, uploaded_by=user)
        record.outcome, record.content = MeterUpload.Outcome.STORED, b""
        record.stored, record.unchanged, record.meters = len(new), unchanged, checked.meters
        record.save()
        _insert(record, new)
        audit_record(
            actor=actor,
            action="meter_readings.upload",
            obj=record,
            after={"stored": len(new), "unchanged": unchanged, "meters": checked.meters},
        )
    return record


def _insert(record: MeterUpload, readings: pd.DataFrame) -> None:
    """Insert the new readings with one ``executemany``: ``bulk_create`` spent 10 of 11 s of a
    43,200-reading upload building model instances and compiling 220 SQLite batches
    (benchmarks/bench_meters.py); the values are adapted by the database backend as Django
    would adapt them."""
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(MeterReading._meta.db_table)
    rows = zip(
        itertools.repeat(record.pk),
        readings["enterprise_id"].tolist(),
        readings["meter"].tolist(),
        map(adapt, readings["time"].dt.to_pydatetime()),
        readings["energy_kwh"].tolist(),
        strict=False,  # repeat() is endless; the other columns have one length
    )
    sql = (
        f"INSERT INTO {table} (upload_id, enterprise_id, meter, time, energy_kwh) "
        "VALUES (%s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, BATCH)):
            cursor.executemany(sql, batch)


def _against_stored(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The readings not stored yet, and how many are stored with the same value; a reading
    stored with another value is an error at its row (a stored reading is never replaced)."""
    # The core's reader gives naive Beijing times, whatever the platform's TIME_ZONE says.
    table = table.assign(time=table["time"].dt.tz_localize(LOCAL_TIME_ZONE))
    stored = pd.DataFrame.from_records(
        list(
            MeterReading.objects.filter(
                enterprise_id__in=table["enterprise_id"].unique().tolist(),
                time__gte=table["time"].min(),
                time__lte=table["time"].max(),
            ).values_list("enterprise_id", "meter", "time", "energy_kwh", "upload_id")
        ),
        columns=["enterprise_id", "meter", "time", "stored_kwh", "upload_id"],
    )
    stored["time"] = pd.to_datetime(stored["time"], utc=True)
    keys = ["enterprise_id", "meter", "time"]
    both = (
        table.assign(time=table["time"].dt.tz_convert("UTC"), row=table.index)
        .merge(stored, on=keys, how="left")
        .set_index("row")
    )
    known = both["stored_kwh"].notna().to_numpy()
    differs = known & (both["stored_kwh"].to_numpy() != both["energy_kwh"].to_numpy())
    if differs.any():
        at = both.iloc[int(np.argmax(differs))]
        reason = _(
            "a reading of %(meter)s at %(time)s is already stored (%(kwh)s kWh, upload "
            "%(upload)s); a stored reading is never replaced"
        ) % {
            "meter": at["meter"],
            "time": f"{at['time'].tz_convert(CHINA):%Y-%m-%d %H:%M}",
            "kwh": f"{at['stored_kwh']:g}",
            "upload": int(at["upload_id"]),
        }
        raise ReadingsFileError(int(both.index[int(np.argmax(differs))]), "energy_kwh", reason)
    return table[~known], int(known.sum())


def electricity_check_run(*, actor: Actor, episode: Episode) -> ElectricityCheck:
    """Run the core's electricity check (emission-list.md §8.1) over the episode's warnings and
    store every finding. The command office of the episode's jurisdiction (or above) only.

    Each enterprise with a production measure at a level in force and readings for it is judged
    per meter and local day; the episode's other warnings (and earlier ones) stay out of the
    baseline. ``InvalidInputError`` (field ``readings``) when the stored readings break the
    core's rules (e.g. two uploads on different interval grids).
    """
    require_check_office(actor, episode, action="electricity_check.run")
    started = time.perf_counter()
    try:
        result = episode_findings(episode, now=timezone.now())
    except (ReadingsError, MeasuresError) as error:
        raise InvalidInputError(f"stored readings: {error}", field="readings") from None
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        check = ElectricityCheck.objects.create(
            episode=episode,
            run_by=user,
            enterprises=result.enterprises,
            meters=result.meters,
            readings=result.readings,
            seconds=time.perf_counter() - started,
            without_readings=list(result.without_readings),
        )
        ElectricityFinding.objects.bulk_create(
            (ElectricityFinding(check_run=check, **finding) for finding in result.findings),
            batch_size=BATCH,
        )
        audit_record(
            actor=actor,
            action="electricity_check.run",
            obj=check,
            after={
                "findings": len(result.findings),
                "meters": result.meters,
                "violations": sum(f["status"] == "violation" for f in result.findings),
            },
        )
    return check
