"""The daily series ``hazeguard evaluate normalise`` wrote, read back (errors name file, row)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from hazeguard.io.tables import TableError, numeric_column, read_table, table_error, time_column

COLUMNS: Final = ("station", "pollutant", "date", "observed", "predicted", "normalised")


def read_normalised(path: str | Path) -> pd.DataFrame:
    """The daily series: ``station, pollutant, date, observed, predicted, normalised``.

    Concentrations [µg/m³; CO mg/m³]; a model's prediction may dip below zero, so only the
    observed column must not be negative.

    Raises
    ------
    TableError
        For a missing column, an empty station or pollutant, a date or number that does not parse.
    """
    raw = read_table(path)
    paths = [path]
    for column in COLUMNS:
        if column not in raw.columns:
            raise TableError(path, 1, column, "no such column (expected the normalise output)")
    out = pd.DataFrame()
    for column in ("station", "pollutant"):
        empty = raw[column].isna().to_numpy()
        if empty.any():
            raise table_error(raw, paths, int(empty.argmax()), column, f"{column} is empty")
        out[column] = raw[column].astype(str)
    out["date"] = time_column(raw, "date", paths).to_numpy()
    out["observed"] = numeric_column(raw, "observed", paths)
    for column in ("predicted", "normalised"):
        out[column] = numeric_column(raw, column, paths, negative_ok=True)
    return out
