"""Meter readings as a regular grid: one array ``[meter, day, slot]`` in local time.

Readings are a long table with columns ``meter`` (the meter id), ``time`` (the *start* of the
interval; tz-aware, or naive local time) and ``energy_kwh`` (energy in the interval [kWh]). Local
time is Asia/Shanghai (China has had no daylight saving since 1991, so every day has the same
number of slots). Missing readings are NaN in the grid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.vocabulary import CHINA_ZONE_NAME

LOCAL_ZONE = CHINA_ZONE_NAME
READING_COLUMNS = ("meter", "time", "energy_kwh")
DAY = pd.Timedelta(days=1)

FloatArray = npt.NDArray[np.float64]


class ReadingsError(ValueError):
    """Readings are malformed; the message names the column, row or meter."""


@dataclass(frozen=True)
class MeterGrid:
    """Energy per meter, local day and interval slot.

    ``energy[m, d, s]`` is the energy of meter ``meters[m]`` on day ``first_day + d`` in the slot
    starting ``s * interval`` after local midnight [kWh]; NaN where no reading exists.
    """

    meters: tuple[str, ...]
    first_day: dt.date
    interval: pd.Timedelta
    energy: FloatArray

    @property
    def slots_per_day(self) -> int:
        """Intervals per day [1]."""
        return int(DAY / self.interval)

    @property
    def days(self) -> pd.DatetimeIndex:
        """The local days of the grid (midnight, naive)."""
        return pd.date_range(self.first_day, periods=self.energy.shape[1], freq="D")


def local_wall_time(times: pd.Series) -> pd.DatetimeIndex:
    """Times as naive Asia/Shanghai wall times; naive input is taken as already local."""
    index = pd.DatetimeIndex(pd.to_datetime(times))
    if index.tz is not None:
        index = index.tz_convert(LOCAL_ZONE).tz_localize(None)
    return index.as_unit("ns")  # pandas may keep µs or s; the grid arithmetic is in ns


def local_time(moment: dt.datetime) -> pd.Timestamp:
    """One time as a naive Asia/Shanghai wall time; a naive time is taken as already local."""
    stamp = pd.Timestamp(moment)
    return stamp if stamp.tzinfo is None else stamp.tz_convert(LOCAL_ZONE).tz_localize(None)


def readings_grid(
    readings: pd.DataFrame,
    meters: Sequence[str],
    first_day: dt.date,
    last_day: dt.date,
    interval: pd.Timedelta | None = None,
    columns: tuple[str, str, str] = READING_COLUMNS,
) -> MeterGrid:
    """Place readings of ``meters`` from ``first_day`` to ``last_day`` (inclusive) on a grid.

    ``columns`` names the id, time and value columns (CEMS records use other names). Readings of
    other meters or days are ignored. ``interval`` must divide a day; when not given
    it is inferred as the coarsest grid all readings sit on.
    """
    id_column, time_column, value_column = columns
    missing = [column for column in columns if column not in readings.columns]
    if missing:
        raise ReadingsError(f"readings: missing column(s) {missing}; need {list(columns)}")
    energy = pd.to_numeric(readings[value_column], errors="coerce").to_numpy(np.float64)
    bad = np.flatnonzero(~(energy >= 0) & ~np.isnan(energy))
    if bad.size:
        row = readings.index[bad[0]]
        raise ReadingsError(
            f"readings row {row}, column {value_column}: negative value {energy[bad[0]]}"
        )
    try:
        times = local_wall_time(readings[time_column])
    except (ValueError, TypeError) as error:
        raise ReadingsError(f"readings, column {time_column}: not a date-time: {error}") from error
    # Factorise first: one string comparison per distinct meter, not per reading.
    codes, names = pd.factorize(readings[id_column])
    meter_codes = pd.Index(meters).get_indexer(pd.Index(names.astype(str)))[codes]
    meter_codes[codes < 0] = -1
    # Integer nanoseconds since the first local midnight: day, slot and remainder in one pass.
    offset = times.asi8 - pd.Timestamp(first_day).value
    known = ~np.isnat(times.to_numpy())
    step = interval if interval is not None else _infer_interval(offset[known])
    if step <= pd.Timedelta(0) or DAY % step != pd.Timedelta(0):
        raise ReadingsError(f"readings: interval {step} does not divide a day")
    slots = int(DAY / step)
    day, within = np.divmod(offset, DAY.value)
    slot, misaligned = np.divmod(within, step.value)
    n_days = (last_day - first_day).days + 1
    keep = (meter_codes >= 0) & (day >= 0) & (day < n_days) & known
    off_grid = np.flatnonzero(keep & (misaligned != 0))
    if off_grid.size:
        row = readings.index[off_grid[0]]
        raise ReadingsError(
            f"readings row {row}: time {times[off_grid[0]]} is not on the {step} grid"
        )
    flat = (meter_codes[keep] * n_days + day[keep]) * slots + slot[keep]
    size = len(meters) * n_days * slots
    repeated = np.flatnonzero(np.bincount(flat, minlength=size) > 1)
    if repeated.size:
        first_repeat = np.flatnonzero(flat == repeated[0])[1]
        row = readings.index[np.flatnonzero(keep)[first_repeat]]
        raise ReadingsError(f"readings row {row}: a second reading for the same meter and interval")
    grid = np.full(size, np.nan)
    grid[flat] = energy[keep]
    return MeterGrid(tuple(meters), first_day, step, grid.reshape(len(meters), n_days, slots))


def _infer_interval(times_ns: npt.NDArray[np.int64]) -> pd.Timedelta:
    """The coarsest grid every reading sits on: gcd of the times of day and one day [ns].

    One pass, no sort; give ``interval`` explicitly when readings may be off their grid (an
    off-grid reading would otherwise make the grid finer, and the days incomplete).
    """
    within = np.mod(times_ns, DAY.value)
    return pd.Timedelta(int(np.gcd.reduce(np.append(within, DAY.value))), unit="ns")
