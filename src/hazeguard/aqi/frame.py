"""The AQI report of a table: what ``hazeguard aqi index`` prints.

Text columns are pandas categoricals built from integer codes, so a report of millions of rows
never materialises millions of Python strings.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi.exact import BoolArray, FloatArray
from hazeguard.aqi.levels import describe_level, level_of
from hazeguard.aqi.report import IndexResult, ReusedBuffers, default_standard, index_arrays
from hazeguard.aqi.tables import (
    HJ633_2012,
    HJ633_2026,
    INDICATORS,
    STANDARDS,
    check_standard,
    in_force_2026,
)

IntArray = npt.NDArray[np.int64]
CATEGORIES = [describe_level(level).category_zh for level in range(1, 7)]


def index_frame(
    frame: pd.DataFrame,
    *,
    standard: str | None = None,
    mode: str = "daily",
    time_column: str | None = None,
    buffers: ReusedBuffers | None = None,
) -> pd.DataFrame:
    """The AQI of each row of ``frame``.

    Parameters
    ----------
    frame : DataFrame
        Columns named after indicators (:data:`hazeguard.aqi.INDICATORS`), concentrations in
        µg/m³ (CO mg/m³); other columns are carried through.
    standard : {"HJ633-2012", "HJ633-2026"}, optional
        If None and ``time_column`` is given, chosen per row by date (HJ 633-2026 from
        2026-03-01 Asia/Shanghai); if None otherwise, HJ633-2026 (HJ633-2012 for
        ``mode="realtime-2012"``).
    mode : {"daily", "realtime", "realtime-2012"}
        The report (:data:`hazeguard.aqi.tables.MODE_INDICATORS`).
    time_column : str, optional
        Column of dates or times (naive = Asia/Shanghai) that picks the standard.
    buffers : ReusedBuffers, optional
        Where :func:`index_arrays` writes, kept by the caller from call to call (a stream of
        chunks); the returned frame never refers to them.

    Returns
    -------
    DataFrame
        A new frame: the input columns, ``iaqi_<indicator>`` per indicator column (Int64),
        ``aqi`` and ``level`` (Int64, <NA> when unknown), ``category`` (Chinese),
        ``primary_pollutants`` and ``exceedance_pollutants`` (indicator names joined by ``;``,
        "" for none), ``standard`` (categoricals) and ``above_scale`` (bool).
    """
    groups = _standards(frame, standard, mode, time_column)
    given = [name for name in INDICATORS if name in frame.columns]
    report = _Report(len(frame), given)
    for name, selected in groups.items():
        if not selected.any():
            continue
        whole = bool(selected.all())
        rows = np.flatnonzero(selected)
        subset = {ind: frame[ind] if whole else frame[ind].iloc[rows] for ind in given}
        try:
            out = None if buffers is None else buffers.fit(given, len(rows))
            result = index_arrays(subset, standard=name, mode=mode, out=out)
        except ValueError as error:
            if whole:
                raise
            message = f"rows dated under {name} (first: position {int(rows[0])}): {error}"
            raise ValueError(message) from None
        report.fill(slice(None) if whole else selected, result)
    return report.frame(frame)


def _standards(
    frame: pd.DataFrame, standard: str | None, mode: str, time_column: str | None
) -> dict[str, BoolArray]:
    """The rows under each standard."""
    rows = len(frame)
    if standard is not None:
        return {check_standard(standard): np.ones(rows, dtype=bool)}
    if time_column is None:
        return {default_standard(mode): np.ones(rows, dtype=bool)}
    if time_column not in frame.columns:
        raise ValueError(f"time column {time_column!r} is not in the table")
    new = in_force_2026(frame[time_column])
    return {HJ633_2012: ~new, HJ633_2026: new}


class _Report:
    """The report's columns while the rows of each standard are filled in."""

    def __init__(self, rows: int, given: list[str]) -> None:
        self.rows = rows
        self.iaqi: dict[str, FloatArray] = {}
        self.given = given
        self.aqi = np.full(rows, np.nan)
        self.above_scale = np.zeros(rows, dtype=bool)
        self.standard = np.full(rows, -1, dtype=np.int64)
        self.codes = {name: np.zeros(rows, dtype=np.int64) for name in ("primary", "exceedance")}
        self.names: list[str] = [""]  # categories shared by both pollutant columns

    def fill(self, where: slice | BoolArray, result: IndexResult) -> None:
        for name, values in result.iaqi.items():
            if isinstance(where, slice):  # all rows: use the result's array as it is
                self.iaqi[name] = values
            else:
                self.iaqi.setdefault(name, np.full(self.rows, np.nan))[where] = values
        self.aqi[where] = result.aqi
        self.above_scale[where] = result.above_scale
        self.standard[where] = STANDARDS.index(result.standard)
        # Map the result's own codes (bit sets of its indicators) to shared category codes.
        shared = np.array([self._name_code(text) for text in result.code_names()], dtype=np.int64)
        self.codes["primary"][where] = shared.take(result.primary_codes())
        self.codes["exceedance"][where] = shared.take(result.exceedance_codes())

    def _name_code(self, text: str) -> int:
        if text not in self.names:
            self.names.append(text)
        return self.names.index(text)

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for name in self.given:
            values = self.iaqi.get(name, np.full(self.rows, np.nan))
            out[f"iaqi_{name}"] = _nullable_integers(values)
        levels = level_of(self.aqi)
        out["aqi"] = _nullable_integers(self.aqi)
        out["level"] = _nullable_integers(levels)
        level_codes = np.where(np.isnan(levels), 0, levels).astype(np.int64) - 1  # NaN → -1
        out["category"] = _categorical(level_codes, CATEGORIES, frame.index)
        out["primary_pollutants"] = _categorical(self.codes["primary"], self.names, frame.index)
        out["exceedance_pollutants"] = _categorical(
            self.codes["exceedance"], self.names, frame.index
        )
        out["standard"] = _categorical(self.standard, list(STANDARDS), frame.index)
        out["above_scale"] = self.above_scale
        return out


def _categorical(codes: IntArray, categories: list[str], index: pd.Index) -> pd.Series:
    """A categorical column from codes (-1 = missing)."""
    values = pd.Categorical.from_codes(codes, categories=pd.Index(categories), validate=False)
    return pd.Series(values, index=index)


def _nullable_integers(values: FloatArray) -> pd.arrays.IntegerArray:
    """Whole-number floats as pandas Int64, NaN becoming <NA>."""
    missing = np.isnan(values)
    with np.errstate(invalid="ignore"):  # NaN casts to an arbitrary integer, zeroed below
        integers = values.astype(np.int64)
    integers[missing] = 0
    return pd.arrays.IntegerArray(integers, missing)
