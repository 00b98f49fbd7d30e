"""The layouts hourly station data arrive in, and the one path that reads and checks them.

Every way in (a polled endpoint, a push, an uploaded file) ends in :func:`station_hours`, which
hands the rows to :mod:`hazeguard.io.measurements`: the same missing marks, units and errors
naming the source, row and column as the command line's readers.

Layouts (docs/monitoring.md gives examples of both):

* ``hazeguard``: ``time`` (end of the hour, ISO 8601), ``station`` (code) and any of ``pm25,
  pm10, so2, no2, co, o3`` [µg/m³; CO mg/m³].
* ``cnemc``: the field names of CNEMC's hourly station release (the national real-time
  publishing platform's ``GetAQIDataPublishLives`` records): ``StationCode``, ``TimePoint``,
  ``PM2_5``, ``PM10``, ``SO2``, ``NO2``, ``CO``, ``O3``; other fields (``PositionName``,
  ``AQI``, ``O3_8h`` …) are ignored, since the index is recomputed from the concentrations.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import pandas as pd

from hazeguard.io.measurements import Measurements, measurements_from_frame, read_measurements
from hazeguard.io.tables import TableError

Format = Literal["csv", "json"]
FORMATS: Final = ("csv", "json")


@dataclass(frozen=True)
class Layout:
    """Column names of a source mapped onto the core's, and the unit of CO.

    Attributes
    ----------
    name
        Short name used in settings and the API.
    mapping
        Source column to ``time``, ``station`` or a pollutant code.
    co_unit
        ``"mg"`` or ``"ug"``: CO in the source. [mg/m³ or µg/m³]
    """

    name: str
    mapping: Mapping[str, str]
    co_unit: str = "mg"


NATIVE: Final = Layout("hazeguard", {})
CNEMC: Final = Layout(
    "cnemc",
    {
        "StationCode": "station",
        "TimePoint": "time",
        "PM2_5": "pm25",
        "PM10": "pm10",
        "SO2": "so2",
        "NO2": "no2",
        "CO": "co",
        "O3": "o3",
    },
)
LAYOUTS: Final = {layout.name: layout for layout in (NATIVE, CNEMC)}


def layout_named(name: str) -> Layout:
    """The layout called ``name``; ``ValueError`` naming the known ones otherwise."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r}; expected one of {', '.join(LAYOUTS)}") from None


def station_hours(body: str, source: str, *, fmt: Format, layout: Layout) -> Measurements:
    """Check hourly station rows given as CSV text or a JSON array of objects.

    Negative values are kept (for :mod:`hazeguard.monitoring.plausibility` to flag); everything
    else is checked as :func:`hazeguard.io.measurements.read_measurements` checks a file.

    Parameters
    ----------
    body
        The CSV text (header first) or JSON text (an array of objects, or an object whose
        ``"data"`` or ``"hours"`` member is that array).
    source
        Named in errors as a file is (a URL, a file name, ``"push"``).
    fmt
        ``"csv"`` or ``"json"``.
    layout
        Column names of the source.

    Returns
    -------
    Measurements
        Times (end of the hour, naive Beijing time), stations and concentrations
        [µg/m³; CO mg/m³].

    Raises
    ------
    TableError
        For a bad row, naming ``source``, the row (CSV: the header is row 1; JSON: the first
        record is 1) and the column.
    """
    if fmt == "csv":
        raw = pd.read_csv(
            io.StringIO(body.lstrip("\ufeff")),
            skip_blank_lines=False,
            dtype=str,
            keep_default_na=False,
        )
        first_row = 2
    elif fmt == "json":
        raw, first_row = _records(body, source), 1
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    measurements = measurements_from_frame(
        raw,
        source,
        first_row=first_row,
        mapping=layout.mapping,
        co_unit=layout.co_unit,
        negative_ok=True,
    )
    return _with_stations(measurements, source, layout)


def read_station_hours(paths: Sequence[str | Path], layout: Layout = NATIVE) -> Measurements:
    """Read hourly station files (CSV, ``.csv.gz`` or Parquet) of one layout; see
    :func:`station_hours`."""
    measurements = read_measurements(
        paths, mapping=layout.mapping, co_unit=layout.co_unit, negative_ok=True
    )
    return _with_stations(measurements, str(paths[0]), layout)


def _records(body: str, source: str) -> pd.DataFrame:
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError as error:
        raise TableError(source, error.lineno, "*", f"not JSON: {error.msg}") from None
    if isinstance(parsed, dict):
        parsed = parsed.get("data", parsed.get("hours"))
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise TableError(source, 1, "*", "expected a JSON array of objects, one per station-hour")
    return pd.DataFrame.from_records(parsed)


def _with_stations(measurements: Measurements, source: str, layout: Layout) -> Measurements:
    if measurements.stations is None:
        column = next((s for s, t in layout.mapping.items() if t == "station"), "station")
        raise TableError(source, 1, column, "no station column")
    return measurements
