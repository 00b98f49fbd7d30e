"""Read and check a CSV of power-consumption readings with the core's table reader and rules.

Columns: ``enterprise`` (unified social credit code), ``meter``, ``time`` (interval start,
ISO 8601, local Asia/Shanghai unless an offset is given), ``energy_kwh`` [kWh]. Cells are read
by ``hazeguard.io.tables`` (as ``hazeguard comply electricity`` reads them) and the readings are
placed on the core's meter grid (``hazeguard.compliance.readings_grid``), whose checks refuse a
negative value, a time off the interval grid and a second reading of one meter and interval.
Every error names the file's row (the header is row 1) and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from hazeguard.compliance import ReadingsError, readings_grid
from hazeguard.io.tables import ROW, TableError, numeric_column, read_table, time_column
from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.table_errors import problem_text, table_error_text

COLUMNS = ("enterprise", "meter", "time", "energy_kwh")
HEADER_ROW = 1
KEY = "__key"  # enterprise and meter, the meter's id on the core's grid


class ReadingsFileError(ValueError):
    """A bad cell or header: ``row`` (in the file) and ``column`` (``*``: the whole row) name
    where; ``reason`` says what is wrong, in the active language (the core's reasons stay in its
    English, put in the page's language by ``table_errors.problem_text``)."""

    def __init__(self, row: int, column: str, reason: str) -> None:
        super().__init__(f"row {row}, column {column}: {reason}")
        self.row = row
        self.column = column
        self.reason = reason


def upload_error_text(filename: str, row: int, column: str, reason: str) -> str:
    """A refused file's error (``row`` 0: the worker's failure, no cell) in the page's language,
    framed as every upload's table error is."""
    if not row:  # a message id (notices.task_rows) or one of the core's messages
        return f"{filename}: {problem_text(_(reason))}"
    return table_error_text(TableError(filename, row, column, reason))


@dataclass(frozen=True)
class CheckedReadings:
    """The readings of a file, checked: one row per reading, indexed by its row in the file.

    Columns ``enterprise_id`` (the stored enterprise), ``enterprise`` (credit code), ``meter``,
    ``time`` (naive local), ``energy_kwh`` [kWh].
    """

    table: pd.DataFrame

    @property
    def meters(self) -> int:
        """Distinct meters in the file."""
        return int(self.table[["enterprise", "meter"]].drop_duplicates().shape[0])


def _text_column(table: pd.DataFrame, column: str) -> pd.Series:
    values = table[column].astype("string").str.strip()
    blank = (values.isna() | (values == "")).to_numpy(dtype=bool)
    if blank.any():
        row = int(table[ROW].to_numpy(dtype=np.int64)[int(np.argmax(blank))])
        raise ReadingsFileError(row, column, _("%(column)s is empty") % {"column": column})
    return values.astype(str)


def _enterprises(
    table: pd.DataFrame, enterprises: dict[str, ListedEnterprise]
) -> NDArray[np.int64]:
    """Each row's stored enterprise id; a credit code not on the list (or not the sender's) or a
    meter the list does not name for the enterprise is an error at its first row."""
    first = ~table.duplicated(["enterprise", "meter"]).to_numpy()
    pairs = zip(table["enterprise"][first], table["meter"][first], table[ROW][first], strict=True)
    for code, meter, row in pairs:  # one pass per distinct meter, not per reading
        enterprise = enterprises.get(code)
        if enterprise is None:
            raise ReadingsFileError(
                int(row),
                "enterprise",
                _("%(code)s is not on the list of enterprises you may send") % {"code": code},
            )
        # The list's 电表编号 (power_meters), when it names them, are the enterprise's meters.
        listed_meters = enterprise.details.get("power_meters") or []
        if listed_meters and meter not in listed_meters:
            names = "; ".join(listed_meters)
            problem = _("%(meter)s is not a meter of %(code)s on the list (%(names)s)")
            raise ReadingsFileError(
                int(row), "meter", problem % {"meter": meter, "code": code, "names": names}
            )
    ids = {code: enterprise.pk for code, enterprise in enterprises.items()}
    return np.asarray(table["enterprise"].map(ids).to_numpy(dtype=np.int64), dtype=np.int64)


def read_readings(path: Path, enterprises: dict[str, ListedEnterprise]) -> CheckedReadings:
    """Read and check the file at ``path``; ``enterprises`` maps credit codes to the list.

    Raises :class:`ReadingsFileError` at the first bad header, cell or reading.
    """
    try:
        table = read_table(path)
    except (ValueError, UnicodeDecodeError) as error:
        problem = _("this is not a CSV file (%(error)s)") % {"error": error}
        raise ReadingsFileError(HEADER_ROW, "*", problem) from None
    for column in COLUMNS:
        if column not in table.columns:
            need = ", ".join(COLUMNS)
            problem = _("missing column; the columns are %(need)s") % {"need": need}
            raise ReadingsFileError(HEADER_ROW, column, problem)
    if table.empty:
        raise ReadingsFileError(HEADER_ROW + 1, "*", _("the file has no readings"))
    try:
        table["enterprise"] = _text_column(table, "enterprise")
        table["meter"] = _text_column(table, "meter")
        table["time"] = time_column(table, "time", [path])
        # Negative values are the core's to refuse (readings_grid), naming row and column.
        table["energy_kwh"] = numeric_column(table, "energy_kwh", [path], negative_ok=True)
    except TableError as error:
        raise ReadingsFileError(error.row, error.column, error.message) from None
    empty = np.isnan(table["energy_kwh"].to_numpy())
    if empty.any():
        row = int(table[ROW].to_numpy(dtype=np.int64)[int(np.argmax(empty))])
        problem = _("the energy is empty; leave a missing interval out")
        raise ReadingsFileError(row, "energy_kwh", problem)
    table["enterprise_id"] = _enterprises(table, enterprises)
    table[KEY] = table["enterprise"] + "/" + table["meter"]
    table = table.set_index(ROW)
    _grid_checks(table)
    return CheckedReadings(table[["enterprise_id", "enterprise", "meter", "time", "energy_kwh"]])


_READINGS_ROW = "readings row "


def _grid_checks(table: pd.DataFrame) -> None:
    """The core's reading rules (emission-list.md §8.1 input): negatives, off-grid times,
    a second reading of one meter and interval."""
    times = pd.DatetimeIndex(table["time"])
    first: dt.date = times.min().date()
    last: dt.date = times.max().date()
    meters = tuple(pd.unique(table[KEY]))
    try:
        readings_grid(table, meters, first, last, columns=(KEY, "time", "energy_kwh"))
    except ReadingsError as error:
        message = str(error)
        # The core says "readings row N[, column C]: reason"; N is the file's row (the index).
        if message.startswith(_READINGS_ROW):
            place, _colon, reason = message[len(_READINGS_ROW) :].partition(": ")
            row_text, _comma, column = place.partition(", column ")
            raise ReadingsFileError(int(row_text), column or "time", problem_text(reason)) from None
        raise ReadingsFileError(HEADER_ROW, "time", message) from None
