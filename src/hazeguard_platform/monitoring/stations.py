"""The station registry's CSV import: checked by the core's table readers, all or nothing."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import Station, StationKind
from hazeguard_platform.pages import page_language
from hazeguard_platform.table_errors import table_error_text

STATION_COLUMNS = ("code", "name_zh", "kind", "latitude", "longitude")
OPTIONAL_COLUMNS = (
    "name_en",
    "jurisdiction",
    "active_from",
    "active_to",
    "coordinates_source",
    "approximate",
)


def _frame(csv_text: str, filename: str) -> pd.DataFrame:
    from hazeguard.io.tables import FILE, ROW

    frame = pd.read_csv(
        io.StringIO(csv_text.lstrip("\ufeff")), dtype=str, keep_default_na=False
    ).rename(columns=str.strip)
    missing = [column for column in STATION_COLUMNS if column not in frame.columns]
    if missing:
        lacks = _("the header lacks the column(s) %(names)s") % {"names": ", ".join(missing)}
        raise _refused(filename, 1, "*", lacks)
    if frame.empty:
        raise _refused(filename, 2, "*", _("the file has no rows"))
    frame[FILE] = 0
    frame[ROW] = range(2, len(frame) + 2)
    return frame


def _refused(filename: str, row: int, column: str, problem: str) -> InvalidInputError:
    """The error of one cell (``column`` ``*``: the row), framed as every upload frames it."""
    from hazeguard.io.tables import TableError

    return InvalidInputError(
        table_error_text(TableError(filename, row, column, problem)), field="file"
    )


def _date(raw: str, filename: str, row: int, column: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        problem = _("%(cell)r is not a date (YYYY-MM-DD)") % {"cell": raw}
        raise _refused(filename, row, column, problem) from None


def stations_import(
    *, actor: Actor, jurisdiction: Jurisdiction, csv_text: str, filename: str = "stations.csv"
) -> list[Station]:
    """Add or update stations from CSV (``code, name_zh, kind, latitude, longitude`` and optional
    ``name_en, jurisdiction, active_from, active_to, coordinates_source, approximate``).

    ``jurisdiction`` (a code) may name a place below ``jurisdiction``; it defaults to it. All or
    nothing: the first bad cell stops the import, naming file, row and column.
    """
    from hazeguard.io.tables import TableError, numeric_column
    from hazeguard_platform.monitoring.selectors import places_under
    from hazeguard_platform.monitoring.services import MONITORING_ROLES

    if actor is not None:  # None: the system itself (the demo loader)
        require_role(actor, jurisdiction, MONITORING_ROLES, action="stations.import")
    frame = _frame(csv_text, filename)
    try:
        latitude = numeric_column(frame, "latitude", [filename], negative_ok=True)
        longitude = numeric_column(frame, "longitude", [filename], negative_ok=True)
    except TableError as error:
        raise InvalidInputError(table_error_text(error, filename), field="file") from None
    places = {place.code: place for place in places_under(jurisdiction)}
    kinds = set(StationKind.values)
    stations: list[Station] = []
    for position, row in enumerate(frame.to_dict("records")):
        at = position + 2  # the header is row 1
        code = str(row["code"]).strip()
        if not code:
            raise _refused(filename, at, "code", _("is empty"))
        if row["kind"] not in kinds:
            choices = ", ".join(sorted(kinds))
            problem = _("%(cell)r is not one of %(choices)s") % {
                "cell": row["kind"],
                "choices": choices,
            }
            raise _refused(filename, at, "kind", problem)
        if not (-90 <= latitude[position] <= 90 and -180 <= longitude[position] <= 180):
            raise _refused(filename, at, "latitude", _("not a WGS 84 position"))
        place_code = str(row.get("jurisdiction", "")).strip() or jurisdiction.code
        if place_code not in places:
            problem = _("%(cell)r is not %(place)s or a place below it") % {
                "cell": place_code,
                "place": jurisdiction.name_in(page_language()),
            }
            raise _refused(filename, at, "jurisdiction", problem)
        stations.append(
            Station(
                code=code,
                name_zh=str(row["name_zh"]).strip(),
                name_en=str(row.get("name_en", "")).strip(),
                kind=row["kind"],
                jurisdiction=places[place_code],
                latitude=float(latitude[position]),
                longitude=float(longitude[position]),
                coordinates_source=str(row.get("coordinates_source", "")).strip()[:300],
                approximate=str(row.get("approximate", "")).strip().lower() in ("1", "true", "yes"),
                active_from=_date(str(row.get("active_from", "")), filename, at, "active_from"),
                active_to=_date(str(row.get("active_to", "")), filename, at, "active_to"),
            )
        )
    taken = Station.objects.filter(code__in=[s.code for s in stations]).exclude(
        jurisdiction__in=places.values()
    )
    clash = taken.first()
    if clash is not None:
        message = _("%(file)s: station %(code)s belongs to another jurisdiction") % {
            "file": filename,
            "code": clash.code,
        }
        raise InvalidInputError(message, field="file")
    fields = [f for f in (*STATION_COLUMNS, *OPTIONAL_COLUMNS) if f != "code"]
    with transaction.atomic():
        Station.objects.bulk_create(
            stations, update_conflicts=True, unique_fields=["code"], update_fields=fields
        )
        audit_record(
            actor=actor,
            action="stations.import",
            obj=jurisdiction,
            after={"filename": filename, "stations": [s.code for s in stations]},
        )
    return list(Station.objects.filter(code__in=[s.code for s in stations]))
