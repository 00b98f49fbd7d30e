"""Daily histories of a city (or station): AQI, primary pollutant and concentrations per day.

Two layouts, told apart by :func:`hazeguard.warnings.io.detect_format`:

``table``
    A header row, then one row per day: ``date``, ``aqi``, and optionally ``primary_pollutant``
    (or ``primary_pollutants``, as ``hazeguard aqi daily`` writes them: ``pm25_24h;pm10_24h``) and
    the 24-h concentrations ``pm25, pm10, so2, no2, co, o3`` (also under the indicator names of
    ``hazeguard aqi daily``: ``pm25_24h`` … ``o3_8h``). [µg/m³; CO mg/m³]
``aqistudy``
    The city files of ``../shared/data/city-daily-aqi/`` (no header, 12 fields).

Missing days become blank rows, so the result has one row per calendar day from the first to the
last. Errors name the file, the row and the column (:class:`~hazeguard.io.tables.TableError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from hazeguard.aqi import HJ633_2012, index_frame
from hazeguard.io.tables import (
    FILE,
    ROW,
    TableError,
    check_unique,
    numeric_column,
    read_table,
    table_error,
    time_column,
)
from hazeguard.vocabulary import pollutant_of_measurement
from hazeguard.warnings.io import AQISTUDY_FIELDS, detect_format

#: Pollutant codes of the daily history, with the indicator each stands for (HJ 633-2012 Table 1).
POLLUTANTS: Final = ("pm25", "pm10", "so2", "no2", "co", "o3")
INDICATOR_OF: Final = {
    "pm25": "pm25_24h",
    "pm10": "pm10_24h",
    "so2": "so2_24h",
    "no2": "no2_24h",
    "co": "co_24h",
    "o3": "o3_8h",
}
_ALIASES: Final = {
    "pm25": ("pm25", "pm2_5", "pm2.5", "pm25_24h"),
    "pm10": ("pm10", "pm10_24h"),
    "so2": ("so2", "so2_24h"),
    "no2": ("no2", "no2_24h"),
    "co": ("co", "co_24h", "co_mg_m3"),
    "o3": ("o3", "o3_8h"),
}
_AQISTUDY_COLUMNS: Final = (
    "city",
    "date",
    "aqi",
    "aqi_hourly_range",
    "quality_level",
    "pm25",
    "pm10",
    "so2",
    "co",
    "no2",
    "o3",
    "rank",
)


def primary_name(text: str) -> str:
    """The first pollutant of a primary-pollutant cell, as forecasts write it (``"PM2.5"``).

    Accepts ``pm25_24h;pm10_24h`` (``hazeguard aqi daily``), ``PM2.5+PM10``, ``O3_8h``;
    empty text, ``-`` and unknown names give ``""``.
    """
    for part in text.replace("+", ";").replace(",", ";").replace("/", ";").split(";"):
        code = pollutant_of_measurement(part)
        if code:
            return code
    return ""


def read_daily_history(path: str | Path) -> pd.DataFrame:
    """Read a daily history into one row per calendar day.

    Parameters
    ----------
    path
        A ``table`` or ``aqistudy`` CSV (module docstring).

    Returns
    -------
    pandas.DataFrame
        Indexed by consecutive days (``date``, midnight timestamps); columns ``aqi`` [index],
        ``pm25, pm10, so2, no2, o3`` [µg/m³], ``co`` [mg/m³] (NaN where not given) and
        ``primary_pollutant`` (``"PM2.5"`` …, ``""`` when the AQI is 50 or less or unknown).
        Without a primary-pollutant column it is computed from the concentrations (HJ 633-2012
        daily report).

    Raises
    ------
    TableError
        A bad date, number or repeated day, naming file, row and column; a file without data.
    """
    frame, layout = _read(path)
    paths: list[str | Path] = [path]
    if frame.empty:
        raise TableError(path, 1, "date", "no data rows")
    if "date" not in frame.columns:
        raise TableError(path, 1, "date", "no 'date' column in the header")
    if "aqi" not in frame.columns:
        raise TableError(path, 1, "aqi", "no 'aqi' column in the header")
    data = pd.DataFrame(index=day_index(frame, paths))
    data["aqi"] = numeric_column(frame, "aqi", paths)
    for code in POLLUTANTS:
        column = next((name for name in _ALIASES[code] if name in frame.columns), None)
        data[code] = np.nan if column is None else numeric_column(frame, column, paths)
    primary_column = next(
        (n for n in ("primary_pollutant", "primary_pollutants") if n in frame.columns), None
    )
    if primary_column is not None:
        texts = frame[primary_column].fillna("").astype(str).to_numpy()
        data["primary_pollutant"] = [primary_name(text) for text in texts]
    else:
        data["primary_pollutant"] = _primary_from_concentrations(data)
    # aqistudy gives AQI ≤ 50 days a primary pollutant of "-"; HJ 633-2012 §5.2 names none.
    data.loc[~(data["aqi"] > 50), "primary_pollutant"] = ""
    data = data.sort_index()
    full = pd.date_range(data.index[0], data.index[-1], freq="D", name="date")
    data = data.reindex(full)
    data["primary_pollutant"] = data["primary_pollutant"].fillna("")
    data.attrs["layout"] = layout
    return data


def day_index(frame: pd.DataFrame, paths: list[str | Path]) -> pd.DatetimeIndex:
    """The ``date`` column of a daily table: ISO days, each once (TableError otherwise)."""
    dates = time_column(frame, "date", paths)
    not_days = (dates != dates.dt.normalize()).to_numpy()
    if not_days.any():
        position = int(np.argmax(not_days))
        raise table_error(frame, paths, position, "date", f"{dates.iat[position]} is not a day")
    check_unique(frame, dates, None, paths, "date")
    return pd.DatetimeIndex(dates.to_numpy(), name="date")


def _read(path: str | Path) -> tuple[pd.DataFrame, str]:
    source = Path(path)
    if not source.is_file():
        raise TableError(path, 0, "", "no such file")
    try:
        with open(source, encoding="utf-8-sig") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise TableError(path, 1, "", "not UTF-8 text") from None
    layout = detect_format([first.strip().split(",")])
    if layout == "table":
        frame = read_table(source)
        frame.columns = [str(c).strip().lower() if c not in (FILE, ROW) else c for c in frame]
        cells = [c for c in frame.columns if c not in (FILE, ROW)]
        return frame.dropna(how="all", subset=cells), layout
    frame = pd.read_csv(
        source,
        header=None,
        names=list(_AQISTUDY_COLUMNS),
        encoding="utf-8-sig",
        dtype={"city": str, "date": str},
        skip_blank_lines=False,
    )
    frame[FILE] = np.int32(0)
    frame[ROW] = np.arange(1, len(frame) + 1, dtype=np.int64)
    if frame.shape[1] != AQISTUDY_FIELDS + 2:
        raise TableError(path, 1, "", f"an aqistudy row has {AQISTUDY_FIELDS} fields")
    return frame.dropna(how="all", subset=["date", "aqi"]), layout


def _primary_from_concentrations(data: pd.DataFrame) -> list[str]:
    given = {INDICATOR_OF[c]: data[c].to_numpy() for c in POLLUTANTS if data[c].notna().any()}
    if not given:
        return [""] * len(data)
    report = index_frame(pd.DataFrame(given), standard=HJ633_2012, mode="daily")
    return [primary_name(str(text)) for text in report["primary_pollutants"].astype(str)]
