"""Reading forecasts and daily histories from CSV, with errors that name file, row and column.

Two layouts are recognised by :func:`detect_format`:

``table``
    A header row, then one row per day or hour: ``date`` (or ``time``), ``aqi`` (or ``aqi_low``
    and ``aqi_high``), and optionally ``primary_pollutant`` (or ``primary_pollutants``, as written
    by ``hazeguard aqi daily``; several joined by ``+``, ``;``, ``,`` or ``/``), ``dust``
    and ``typhoon`` (true/false), ``pm25`` and ``pm10`` [µg/m³]. Other columns are ignored.
``aqistudy``
    The city files of ``../shared/data/city-daily-aqi/``: UTF-8 with a BOM, no header, 12 fields
    (city, date, AQI, hourly range, quality level, PM2.5, PM10, SO2, CO, NO2, O3, rank). The first
    field of the first row is a city name, the second a date; that is how it is told apart.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

import numpy as np

from hazeguard.vocabulary import CHINA
from hazeguard.warnings.forecast import DailyForecast, HourlyForecast

Format = Literal["table", "aqistudy"]
AQISTUDY_FIELDS = 12
_SEPARATORS = re.compile(r"\s*[+;,/]\s*")
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


class ForecastFileError(ValueError):
    """A forecast or history file that cannot be read; the message names file, row and column."""

    def __init__(self, path: str | Path, row: int | None, column: str | None, message: str):
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.path, self.row, self.column = str(path), row, column


def _rows(path: str | Path) -> list[list[str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except OSError as error:
        raise ForecastFileError(path, None, None, f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ForecastFileError(path, None, None, "not UTF-8 text") from None


def detect_format(rows: Sequence[Sequence[str]]) -> Format:
    """``aqistudy`` when the first row is data (a name, then a date, 12 fields), else ``table``."""
    if rows and len(rows[0]) == AQISTUDY_FIELDS:
        try:
            date.fromisoformat(rows[0][1].strip())
        except ValueError:
            return "table"
        return "aqistudy"
    return "table"


def _moment(text: str, path: str | Path, row: int, column: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        message = f"{text!r} is not an ISO date or time"
        raise ForecastFileError(path, row, column, message) from None
    if moment.tzinfo is not None:
        # The plans work in China local time; an explicit offset is converted to it.
        moment = moment.astimezone(CHINA).replace(tzinfo=None)
    return moment


def _number(text: str, path: str | Path, row: int, column: str, blank_ok: bool) -> float:
    cleaned = text.strip()
    if cleaned == "" and blank_ok:
        return math.nan
    try:
        value = float(cleaned)
    except ValueError:
        raise ForecastFileError(path, row, column, f"{text!r} is not a number") from None
    if math.isnan(value) and blank_ok:
        return value
    if not value >= 0:
        raise ForecastFileError(path, row, column, f"{text!r} must be a number ≥ 0")
    return value


def _flag(text: str, path: str | Path, row: int, column: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ForecastFileError(path, row, column, f"{text!r} is not true or false")


def _pollutants(text: str) -> str:
    names = [name.upper().replace("PM25", "PM2.5") for name in _SEPARATORS.split(text.strip())]
    return "+".join(name for name in names if name and name != "-")


class _Table:
    """The parsed columns of a file, before they become a forecast."""

    def __init__(self, path: str | Path, history: bool) -> None:
        self.path = path
        rows = _rows(path)
        if not rows:
            raise ForecastFileError(path, None, None, "the file is empty")
        self.format = detect_format(rows)
        self.moments: list[datetime] = []
        self.low: list[float] = []
        self.high: list[float] = []
        self.primary: list[str] = []
        self.dust: list[bool] = []
        self.typhoon: list[bool] = []
        self.pm25: list[float] = []
        self.pm10: list[float] = []
        if self.format == "aqistudy":
            self._aqistudy(rows)
        else:
            self._table(rows, history)

    def _aqistudy(self, rows: list[list[str]]) -> None:
        for number, row in enumerate(rows, start=1):
            if len(row) != AQISTUDY_FIELDS:
                message = f"{len(row)} fields, an aqistudy row has {AQISTUDY_FIELDS}"
                raise ForecastFileError(self.path, number, None, message)
            self.moments.append(_moment(row[1], self.path, number, "date (field 2)"))
            aqi = _number(row[2], self.path, number, "aqi (field 3)", blank_ok=True)
            self.low.append(aqi)
            self.high.append(aqi)
            self.pm25.append(_number(row[5], self.path, number, "pm25 (field 6)", True))
            self.pm10.append(_number(row[6], self.path, number, "pm10 (field 7)", True))

    def _table(self, rows: list[list[str]], history: bool) -> None:
        header = [name.strip().lower() for name in rows[0]]
        index = {name: i for i, name in enumerate(header)}

        def column(*names: str) -> int | None:
            return next((index[n] for n in names if n in index), None)

        when = column("date", "time")
        aqi, low, high = column("aqi"), column("aqi_low"), column("aqi_high")
        if when is None:
            raise ForecastFileError(self.path, 1, None, "no 'date' or 'time' column in the header")
        if aqi is None and (low is None or high is None):
            message = "no 'aqi' column (nor 'aqi_low' and 'aqi_high') in the header"
            raise ForecastFileError(self.path, 1, None, message)
        primary = column("primary_pollutant", "primary_pollutants")
        dust, typhoon = column("dust"), column("typhoon")
        pm25, pm10 = column("pm25", "pm2_5", "pm2.5"), column("pm10")
        for number, row in enumerate(rows[1:], start=2):
            if len(row) < len(header):
                message = f"{len(row)} fields for {len(header)} columns"
                raise ForecastFileError(self.path, number, None, message)
            self.moments.append(_moment(row[when], self.path, number, header[when]))
            if aqi is not None:
                value = _number(row[aqi], self.path, number, "aqi", history)
                self.low.append(value)
                self.high.append(value)
            else:
                assert low is not None
                assert high is not None
                bottom = _number(row[low], self.path, number, "aqi_low", history)
                top = _number(row[high], self.path, number, "aqi_high", history)
                if bottom > top:
                    message = f"aqi_low {bottom:g} is above aqi_high {top:g}"
                    raise ForecastFileError(self.path, number, "aqi_low", message)
                self.low.append(bottom)
                self.high.append(top)
            if primary is not None:
                self.primary.append(_pollutants(row[primary]))
            if dust is not None:
                self.dust.append(_flag(row[dust], self.path, number, "dust"))
            if typhoon is not None:
                self.typhoon.append(_flag(row[typhoon], self.path, number, "typhoon"))
            for target, position, name in ((self.pm25, pm25, "pm25"), (self.pm10, pm10, "pm10")):
                if position is not None:
                    target.append(_number(row[position], self.path, number, name, True))

    def check_steps(self, step: timedelta, fill: bool) -> None:
        """Rows must follow one another by ``step``; with ``fill``, gaps become missing rows."""
        if not self.moments:
            raise ForecastFileError(self.path, None, None, "no data rows")
        first_row = 1 if self.format == "aqistudy" else 2
        gaps: list[int] = []
        for offset, (before, after) in enumerate(zip(self.moments, self.moments[1:], strict=False)):
            if after - before == step:
                continue
            if fill and after > before and (after - before) % step == timedelta(0):
                gaps.append(offset + 1)
                continue
            column = "date" if step == timedelta(days=1) else "time"
            message = f"{after.isoformat()} does not follow {before.isoformat()} by {step}"
            raise ForecastFileError(self.path, first_row + offset + 1, column, message)
        for position in reversed(gaps):
            self._fill(position, step)

    def _fill(self, position: int, step: timedelta) -> None:
        before, after = self.moments[position - 1], self.moments[position]
        missing = (after - before) // step - 1
        moments = [before + step * (k + 1) for k in range(missing)]
        self.moments[position:position] = moments
        for values, blank in (
            (self.low, math.nan),
            (self.high, math.nan),
            (self.pm25, math.nan),
            (self.pm10, math.nan),
            (self.primary, ""),
            (self.dust, False),
            (self.typhoon, False),
        ):
            if values:
                values[position:position] = [blank] * missing  # type: ignore[list-item]

    def arrays(self) -> dict[str, object]:
        return {
            "aqi_low": np.array(self.low, dtype=np.float64),
            "aqi_high": np.array(self.high, dtype=np.float64),
            "primary": tuple(self.primary),
            "dust": tuple(self.dust),
            "typhoon": tuple(self.typhoon),
            "pm25": np.array(self.pm25, dtype=np.float64),
            "pm10": np.array(self.pm10, dtype=np.float64),
        }


def read_daily(path: str | Path, *, history: bool = False) -> DailyForecast:
    """Read daily rows (table or aqistudy layout) into a :class:`DailyForecast`.

    With ``history=True`` (observed series for replay) blank AQI values are allowed and missing
    days become blank rows; a forecast must have every day.
    """
    table = _Table(path, history)
    for number, moment in enumerate(table.moments, start=2):
        if moment.time() != datetime.min.time():
            message = f"{moment.isoformat()} is not a day: daily rows are dates"
            raise ForecastFileError(path, number, "date", message)
    table.check_steps(timedelta(days=1), history)
    return DailyForecast(**table.arrays(), dates=tuple(m.date() for m in table.moments))  # type: ignore[arg-type]


def read_hourly(path: str | Path) -> HourlyForecast:
    """Read hourly rolling 24-h rows (table layout, ``time, aqi``) as an :class:`HourlyForecast`."""
    table = _Table(path, history=False)
    if table.format == "aqistudy":
        raise ForecastFileError(path, 1, None, "an aqistudy file holds daily values, not hourly")
    table.check_steps(timedelta(hours=1), fill=False)
    return HourlyForecast(**table.arrays(), times=tuple(table.moments))  # type: ignore[arg-type]
