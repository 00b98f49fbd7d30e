"""Observed hourly weather: stored as delivered, read back in the core's hourly weather table.

``weather_ingest`` checks an upload (or any body of CSV text) with the core's reader
(:func:`hazeguard.io.weather.weather_from_frame`: the same missing marks, ranges and errors as
``hazeguard evaluate``'s files), all or nothing; an hour delivered again with the same values
changes nothing, with other values it replaces the stored one and leaves a
:class:`WeatherCorrection`. ``observed_weather`` hands the stored hours to the core (the
evaluation of an episode, the forecast's weather) as :func:`hazeguard.io.weather.weather_table`
lays them out.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.core import CHINA
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import (
    WEATHER_FIELDS,
    Content,
    Delivery,
    Station,
    Way,
    WeatherCorrection,
    WeatherHour,
)
from hazeguard_platform.monitoring.selectors import places_under
from hazeguard_platform.monitoring.services import (
    MAX_ROWS,
    MONITORING_ROLES,
    delivery_audit,
    delivery_open,
    delivery_refused,
)
from hazeguard_platform.pages import page_language
from hazeguard_platform.table_errors import table_error_text

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class WeatherLayout:
    """Column names of a weather source mapped onto the core's, and how its hours are given."""

    name: str
    mapping: Mapping[str, str]
    time_parts: tuple[str, ...] | None = None
    hour_label: str = "end"


def _layouts() -> dict[str, WeatherLayout]:
    from hazeguard.io import beijing

    return {
        # time (end of the hour), optional station, the core's variable names
        "hazeguard": WeatherLayout("hazeguard", {}),
        # the UCI Beijing multi-site files: year, month, day, hour (its start), TEMP, PRES …
        "beijing": WeatherLayout(
            "beijing", beijing.WEATHER_MAPPING, beijing.TIME_PARTS, beijing.HOUR_LABEL
        ),
    }


WEATHER_LAYOUTS: Final = ("hazeguard", "beijing")


def weather_ingest(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    body: str,
    layout: str = "hazeguard",
    way: Way | str = Way.UPLOAD,
    source: str,
) -> Delivery:
    """Check and store hourly weather rows given as CSV text; all or nothing.

    A row with a ``station`` (a registered station's code, or its Chinese or English name) is
    that station's weather; without one, the jurisdiction's. ``actor`` ``None`` is a command or
    the demo. A bad row stores nothing and raises :class:`InvalidInputError` naming the file,
    row and column in the active language (kept, in English, on the refused :class:`Delivery`).
    """
    from hazeguard.io.tables import TableError
    from hazeguard.io.weather import weather_from_frame

    if actor is not None:
        require_role(actor, jurisdiction, MONITORING_ROLES, action="weather.ingest")
    if way not in Way.values:
        raise InvalidInputError(f"unknown way {way!r}", field="way")
    chosen = _layouts().get(layout)
    if chosen is None:
        names = ", ".join(WEATHER_LAYOUTS)
        raise InvalidInputError(
            _("Unknown layout %(layout)s; the layouts are %(names)s.")
            % {"layout": layout, "names": names},
            field="layout",
        )
    try:
        raw = _csv_rows(body, source)
        if len(raw) > MAX_ROWS:
            raise TableError(source, MAX_ROWS + 2, "*", f"more than {MAX_ROWS} rows")
        weather = weather_from_frame(
            raw,
            source,
            mapping=chosen.mapping,
            time_parts=chosen.time_parts,
            hour_label="start" if chosen.hour_label == "start" else "end",
        )
        stations = _stations_of(jurisdiction, weather.stations, source)
    except TableError as error:
        delivery_refused(actor, jurisdiction, Content.WEATHER, way, source, str(error))
        raise InvalidInputError(table_error_text(error), field="file") from None
    times = [t.to_pydatetime().replace(tzinfo=CHINA) for t in weather.times]
    values = np.column_stack(
        [weather.variables.get(f, np.full(len(times), np.nan)) for f in WEATHER_FIELDS]
    )
    with transaction.atomic():
        delivery = delivery_open(actor, jurisdiction, Content.WEATHER, way, source, len(times))
        _store(delivery, jurisdiction, stations, times, values)
        delivery_audit(actor, delivery, "weather.ingest")
    return delivery


def _csv_rows(body: str, source: str) -> pd.DataFrame:
    from hazeguard.io.tables import TableError

    try:
        return pd.read_csv(
            io.StringIO(body.lstrip("\ufeff")),
            skip_blank_lines=False,
            dtype=str,
            keep_default_na=False,
        ).rename(columns=str.strip)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise TableError(source, 1, "*", f"not a CSV table: {error}") from None


def _stations_of(
    jurisdiction: Jurisdiction, names: pd.Series | None, source: str
) -> list[int | None]:
    """The station id of each row (``None``: the jurisdiction's weather); a name no station of
    the jurisdiction has is a ``TableError`` at its first row."""
    from hazeguard.io.tables import TableError

    if names is None:
        return []
    known: dict[str, int] = {}
    for pk, code, name_zh, name_en in Station.objects.filter(
        jurisdiction__in=places_under(jurisdiction)
    ).values_list("id", "code", "name_zh", "name_en"):
        for name in (name_en, name_zh, code):  # the code wins over a name equal to it
            if name:
                known[name] = pk
    ids: list[int | None] = []
    for position, name in enumerate(names):
        found = known.get(str(name).strip())
        if found is None:
            message = f"{name!r} is not a station of {jurisdiction.name_in(page_language())}"
            raise TableError(source, 2 + position, "station", message)
        ids.append(found)
    return ids


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _store(
    delivery: Delivery,
    jurisdiction: Jurisdiction,
    stations: Sequence[int | None],
    times: Sequence[dt.datetime],
    values: np.ndarray,
) -> None:
    """Store new hours, leave repeated ones, replace changed ones with a correction."""
    rows = stations if stations else [None] * len(times)
    # A station's weather belongs to the station's place; a row without one to the delivery's.
    place_of: dict[int | None, int] = dict(
        Station.objects.filter(pk__in={s for s in rows if s is not None}).values_list(
            "id", "jurisdiction_id"
        )
    )
    place_of[None] = jurisdiction.pk
    stored = {
        (hour.station_id, hour.hour_end): hour
        for hour in _stored_hours(jurisdiction, set(rows), min(times), max(times))
    }
    new: list[WeatherHour] = []
    corrected: list[WeatherHour] = []
    corrections: list[WeatherCorrection] = []
    for station, moment, row in zip(rows, times, values, strict=True):
        incoming = {f: _optional(v) for f, v in zip(WEATHER_FIELDS, row, strict=True)}
        hour = stored.get((station, moment))
        if hour is None:
            new.append(
                WeatherHour(
                    jurisdiction_id=place_of[station],
                    station_id=station,
                    hour_end=moment,
                    delivery=delivery,
                    **incoming,
                )
            )
        elif all(getattr(hour, f) == incoming[f] for f in WEATHER_FIELDS):
            delivery.unchanged += 1
        else:
            before = {f: getattr(hour, f) for f in WEATHER_FIELDS}
            for field, value in incoming.items():
                setattr(hour, field, value)
            hour.delivery = delivery
            corrected.append(hour)
            corrections.append(
                WeatherCorrection(hour=hour, delivery=delivery, before=before, after=incoming)
            )
    WeatherHour.objects.bulk_create(new, batch_size=2000)
    WeatherHour.objects.bulk_update(corrected, [*WEATHER_FIELDS, "delivery"], batch_size=2000)
    WeatherCorrection.objects.bulk_create(corrections, batch_size=2000)
    delivery.stored, delivery.corrected = len(new), len(corrected)
    delivery.save(update_fields=["stored", "unchanged", "corrected"])


def _stored_hours(
    jurisdiction: Jurisdiction, stations: set[int | None], first: dt.datetime, last: dt.datetime
) -> list[WeatherHour]:
    hours = WeatherHour.objects.filter(hour_end__gte=first, hour_end__lte=last)
    found = list(hours.filter(station_id__in=[s for s in stations if s is not None]))
    if None in stations:
        found += list(hours.filter(station__isnull=True, jurisdiction=jurisdiction))
    return found
