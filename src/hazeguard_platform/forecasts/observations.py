"""Observed hourly station data: upload (validated, all or nothing), then indexing by the core
in the background (STYLE.md §10)."""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.forecasts.models import ObservationUpload, StationHour, UploadState
from hazeguard_platform.forecasts.services import FORECAST_ROLES
from hazeguard_platform.jurisdictions.models import Jurisdiction

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "o3", "co")
CSV_COLUMNS = ("time", "station", *POLLUTANTS)
# A 1-hour concentration far above any breakpoint (PM10 tops out at 600 µg/m³ for 24 h) is a
# typing or unit mistake, not air. [µg/m³; CO mg/m³]
CONCENTRATION_MAX = 10_000.0
MAX_ROWS = 200_000


def _time(raw: str, row: int) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInputError(
            f"row {row}, column time: {raw!r} is not a date and time (YYYY-MM-DD HH:MM)",
            field="file",
        ) from None
    # Station times without a zone are China Standard Time, as the monitoring network reports.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _concentration(raw: str, row: int, column: str) -> float | None:
    text = raw.strip()
    if text in ("", "-", "—", "NA", "NaN"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInputError(
            f"row {row}, column {column}: {raw!r} is not a number", field="file"
        ) from None
    if not math.isfinite(value) or not 0 <= value <= CONCENTRATION_MAX:
        raise InvalidInputError(
            f"row {row}, column {column}: {value} is outside 0–{CONCENTRATION_MAX:g}", field="file"
        )
    return value


def _rows(text: str) -> list[StationHour]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise InvalidInputError(
            f"row 1: the header lacks the column(s) {', '.join(missing)}", field="file"
        )
    hours: list[StationHour] = []
    seen: dict[tuple[str, datetime], int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {(key or "").strip(): value or "" for key, value in raw.items()}
        station = row["station"].strip()
        if not station:
            raise InvalidInputError(f"row {number}, column station: empty", field="file")
        at = _time(row["time"], number)
        if (station, at) in seen:
            raise InvalidInputError(
                f"row {number}: station {station} at {row['time']} repeats row {seen[station, at]}",
                field="file",
            )
        seen[station, at] = number
        values = {name: _concentration(row[name], number, name) for name in POLLUTANTS}
        hours.append(StationHour(station=station, observed_at=at, **values))
        if len(hours) > MAX_ROWS:
            raise InvalidInputError(f"more than {MAX_ROWS} rows: split the file", field="file")
    if not hours:
        raise InvalidInputError("the file has no rows", field="file")
    return hours


def observations_upload(
    *, actor: Actor, jurisdiction: Jurisdiction, csv_text: str, filename: str = ""
) -> ObservationUpload:
    """Store a CSV of hourly station data (``time,station,pm25,pm10,so2,no2,o3,co``) and queue
    its indexing. All or nothing: the first bad row stops the upload, naming row and column."""
    require_role(actor, jurisdiction, FORECAST_ROLES, action="observations.upload")
    hours = _rows(csv_text)
    with transaction.atomic():
        upload = ObservationUpload.objects.create(
            jurisdiction=jurisdiction, uploaded_by=actor, filename=filename[:200]
        )
        for hour in hours:
            hour.upload = upload
        StationHour.objects.bulk_create(hours, batch_size=2000)
        audit_record(
            actor=actor,
            action="observations.upload",
            obj=upload,
            after={"rows": len(hours), "filename": filename},
        )
        from hazeguard_platform.forecasts.tasks import observations_index_task

        transaction.on_commit(lambda: observations_index_task.enqueue(upload.pk))
    return upload


def observations_index(*, upload_id: int) -> int:
    """Give every hour of an upload its AQI, level and primary pollutants (HJ 633 real-time AQI,
    computed by the core); idempotent. Returns the number of hours indexed."""
    with transaction.atomic():
        claimed = ObservationUpload.objects.filter(pk=upload_id, state=UploadState.QUEUED).update(
            state=UploadState.INDEXED
        )
        if claimed != 1:
            return 0  # indexed already, or failed and left for a person to look at
        upload = ObservationUpload.objects.get(pk=upload_id)
        hours = list(upload.hours.order_by("pk"))
        try:
            results = core.index_hours(
                [h.observed_at for h in hours],
                {name: [getattr(h, name) for h in hours] for name in POLLUTANTS},
            )
        except ValueError as error:
            ObservationUpload.objects.filter(pk=upload_id).update(
                state=UploadState.FAILED, error=str(error)
            )
            audit_record(actor=None, action="observations.index", obj=upload, message=str(error))
            return 0
        for hour, (aqi, level, primary) in zip(hours, results, strict=True):
            hour.aqi, hour.level, hour.primary_pollutants = aqi, level, primary
        StationHour.objects.bulk_update(
            hours, ["aqi", "level", "primary_pollutants"], batch_size=2000
        )
        audit_record(
            actor=None, action="observations.index", obj=upload, after={"hours": len(hours)}
        )
    return len(hours)
