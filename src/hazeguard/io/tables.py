"""Tables of measurements (CSV or Parquet) read with checks that name the file, row and column.

A row is numbered as a person counts rows in the file: in a CSV file the header is row 1 and the
first data row is row 2; a Parquet file has no header, so its first record is row 1. Every check
reports the first offending cell, so the message points at one place to fix.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi.exact import MISSING_MARKS
from hazeguard.vocabulary import CHINA_ZONE_NAME

FloatArray = npt.NDArray[np.float64]

# Hidden columns a read table carries so that later checks can point back into the files.
FILE: Final = "__file"
ROW: Final = "__row"
LOCAL_TIME_ZONE: Final = CHINA_ZONE_NAME  # the national network reports Beijing time (UTC+8)
_PARQUET: Final = (".parquet", ".pq")
_OFFSET: Final = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


class TableError(ValueError):
    """A bad cell, row or header in an input table."""

    def __init__(self, path: str | Path, row: int, column: str, message: str) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(f"{self.path}: row {row}, column {column!r}: {message}")


@dataclass(frozen=True)
class Location:
    """Where a cell of a combined table came from."""

    path: str
    row: int


def read_table(path: str | Path, file_number: int = 0) -> pd.DataFrame:
    """Read a CSV (optionally gzip-compressed) or Parquet file, keeping where each row came from.

    Parameters
    ----------
    path
        The file; ``.parquet``/``.pq`` is Parquet, anything else CSV (``.gz`` is decompressed).
    file_number
        Stored in the hidden ``__file`` column, so rows of several files can be told apart.

    Returns
    -------
    pandas.DataFrame
        The table with two extra columns, ``__file`` and ``__row`` (the row number in the file).
    """
    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such file")
    if source.suffix.lower() in _PARQUET:
        frame = pd.read_parquet(source)
        first_row = 1
    else:
        # Blank lines are kept (as empty rows) so that row numbers stay those of the file.
        frame = pd.read_csv(source, skip_blank_lines=False, low_memory=False)
        first_row = 2
    frame[FILE] = np.int32(file_number)
    frame[ROW] = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    return frame


def read_table_text(text: str, name: str, file_number: int = 0) -> pd.DataFrame:
    """Read CSV text a person handed in (an upload, a form), as :func:`read_table` reads a file.

    Every cell is kept as text (empty cells as ``""``), for checks column by column with
    :func:`numeric_column`, :func:`time_column` and :func:`missing`; a leading byte-order mark
    and spaces around the header's names are dropped.

    Parameters
    ----------
    text
        The CSV text, header first.
    name
        The file's name, as messages name it (the ``path`` of a :class:`TableError`).
    file_number
        Stored in the hidden ``__file`` column.

    Raises
    ------
    TableError
        Row 1 when the text is no CSV table (no header, or a row pandas cannot split).
    """
    try:
        frame = pd.read_csv(
            io.StringIO(text.lstrip("\ufeff")),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise TableError(name, 1, "—", f"not a CSV table: {error}") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    frame[FILE] = np.int32(file_number)
    frame[ROW] = np.arange(2, 2 + len(frame), dtype=np.int64)
    return frame


def missing(frame: pd.DataFrame, column: str) -> npt.NDArray[np.bool_]:
    """Where ``column`` holds no value: empty, NaN or one of the standards' missing marks
    (``NA``, ``/``, ``—``; HJ 633-2012 Tables 3 and 4, notes)."""
    raw = frame[column]
    marked = raw.astype("string").str.strip().isin(MISSING_MARKS).fillna(False)
    return (raw.isna() | marked).to_numpy(dtype=bool)


def locate(frame: pd.DataFrame, paths: Sequence[str | Path], position: int) -> Location:
    """The file and row of the row at ``position`` (0-based) of a table from :func:`read_table`."""
    files = frame[FILE].to_numpy()
    rows = frame[ROW].to_numpy()
    return Location(str(paths[int(files[position])]), int(rows[position]))


def table_error(
    frame: pd.DataFrame, paths: Sequence[str | Path], position: int, column: str, message: str
) -> TableError:
    """A :class:`TableError` for the cell at ``position`` (0-based) in ``column``."""
    where = locate(frame, paths, position)
    return TableError(where.path, where.row, column, message)


def numeric_column(
    frame: pd.DataFrame, column: str, paths: Sequence[str | Path], *, negative_ok: bool = False
) -> FloatArray:
    """A column as floats; empty, ``NA`` and ``/`` cells are NaN; text and negatives are errors.

    Parameters
    ----------
    frame
        Table from :func:`read_table` (or several concatenated).
    column
        Column name.
    paths
        The files, indexed by the ``__file`` column.
    negative_ok
        Accept negative numbers (a concentration never is negative).

    Raises
    ------
    TableError
        At the first cell holding text, infinity or (unless allowed) a negative number.
    """
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw) or pd.api.types.is_datetime64_any_dtype(raw):
        raise table_error(frame, paths, 0, column, f"holds {raw.dtype} values, not numbers")
    if not pd.api.types.is_numeric_dtype(raw):
        # "NA" (missing) and "/" (not monitored) are the standards' marks (HJ 633-2012 Tables 3
        # and 4, notes); read_csv already turns "NA" and empty cells into NaN.
        raw = raw.mask(raw.astype("string").str.strip().isin(MISSING_MARKS))
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    text = np.isnan(values) & raw.notna().to_numpy()
    if text.any():
        position = int(np.argmax(text))
        cell = raw.iat[position]
        raise table_error(frame, paths, position, column, f"{cell!r} is not a number")
    infinite = np.isinf(values)
    if infinite.any():
        position = int(np.argmax(infinite))
        raise table_error(frame, paths, position, column, f"{values[position]} is not finite")
    if not negative_ok:
        negative = values < 0
        if negative.any():
            position = int(np.argmax(negative))
            message = f"negative value {values[position]:g}; a concentration is never negative"
            raise table_error(frame, paths, position, column, message)
    return values


def time_column(frame: pd.DataFrame, column: str, paths: Sequence[str | Path]) -> pd.Series:
    """ISO 8601 times as naive local (Beijing) time; times with an offset are converted.

    Raises
    ------
    TableError
        At the first empty time or a time that does not parse.
    """
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        return _local(pd.Series(raw.to_numpy(), index=frame.index), frame, paths, column)
    text = raw.astype("string").str.strip()
    aware = text.str.contains(_OFFSET, na=False).to_numpy()
    parsed = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if (~aware).any():
        naive = pd.to_datetime(text[~aware], format="ISO8601", errors="coerce")
        parsed[~aware] = naive.to_numpy()
    if aware.any():
        stamps = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
        local = stamps.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
        parsed[aware] = local.to_numpy()
    bad = parsed.isna().to_numpy()
    if bad.any():
        position = int(np.argmax(bad))
        cell = raw.to_numpy()[position]
        reason = (
            "is empty"
            if cell is None or cell is pd.NA or cell != cell
            else f"{cell!r} is not an ISO 8601 time"
        )
        raise table_error(frame, paths, position, column, f"time {reason}")
    return parsed


def time_from_parts(
    frame: pd.DataFrame, columns: Sequence[str], paths: Sequence[str | Path]
) -> pd.Series:
    """A time built from year, month, day and hour columns (local time).

    Parameters
    ----------
    columns
        Names of the year, month, day and hour columns, in that order.

    Raises
    ------
    TableError
        At the first cell that is not a whole number or a date that does not exist.
    """
    if len(columns) != 4:
        raise ValueError(f"expected 4 time columns (year, month, day, hour), got {len(columns)}")
    parts = {}
    for name, column in zip(("year", "month", "day", "hour"), columns, strict=True):
        values = numeric_column(frame, column, paths)
        bad = np.isnan(values) | (values != np.floor(values))
        if bad.any():
            position = int(np.argmax(bad))
            cell = frame[column].iat[position]
            raise table_error(
                frame, paths, position, column, f"{name} {cell!r} is not a whole number"
            )
        parts[name] = values.astype(np.int64)
    if (parts["hour"] > 23).any():
        position = int(np.argmax(parts["hour"] > 23))
        raise table_error(frame, paths, position, columns[3], "hour must be 0 … 23")
    dates = pd.to_datetime(
        pd.DataFrame({k: parts[k] for k in ("year", "month", "day")}), errors="coerce"
    )
    bad = dates.isna().to_numpy()
    if bad.any():
        position = int(np.argmax(bad))
        day = "-".join(str(parts[k][position]) for k in ("year", "month", "day"))
        raise table_error(frame, paths, position, columns[2], f"date {day} does not exist")
    return dates + pd.to_timedelta(parts["hour"], unit="h")


def check_unique(
    frame: pd.DataFrame,
    times: pd.Series,
    stations: pd.Series | None,
    paths: Sequence[str | Path],
    column: str,
) -> None:
    """Raise a :class:`TableError` at the first row repeating an earlier row's station and time."""
    keys = pd.DataFrame({"time": times.to_numpy()})
    if stations is not None:
        keys["station"] = stations.to_numpy()
    repeated = keys.duplicated(keep="first").to_numpy()
    if repeated.any():
        position = int(np.argmax(repeated))
        first = int(np.argmax((keys == keys.iloc[position]).all(axis=1).to_numpy()))
        earlier = locate(frame, paths, first)
        station = f" for station {keys['station'].iat[position]!r}" if stations is not None else ""
        message = (
            f"duplicate time {times.iat[position]}{station}; first given in "
            f"{earlier.path} row {earlier.row}"
        )
        raise table_error(frame, paths, position, column, message)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table as Parquet (``.parquet``/``.pq``) or CSV (otherwise; ``.gz`` compresses)."""
    target = Path(path)
    if target.suffix.lower() in _PARQUET:
        frame.to_parquet(target, index=False)
    else:
        frame.to_csv(target, index=False)


def _local(
    values: pd.Series, frame: pd.DataFrame, paths: Sequence[str | Path], column: str
) -> pd.Series:
    if values.dt.tz is not None:
        values = values.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
    bad = values.isna().to_numpy()
    if bad.any():
        raise table_error(frame, paths, int(np.argmax(bad)), column, "time is empty")
    return values
