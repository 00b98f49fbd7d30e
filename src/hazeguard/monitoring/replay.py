"""Replaying recorded hours as if they were arriving now, in CNEMC's release layout.

The demo serves the shipped Beijing December 2015 hours from a loopback endpoint; a replay clock
runs ``speed`` times faster than real time, and each request returns the newest hours released
by then, exactly as a polled endpoint would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from hazeguard.io.measurements import Measurements

# CNEMC's release fields of each pollutant (see hazeguard.monitoring.layouts.CNEMC).
_FIELDS = {"pm25": "PM2_5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"}


@dataclass(frozen=True)
class ReplayClock:
    """Recorded time as a function of real time.

    Attributes
    ----------
    recorded_start
        The recorded hour shown when the replay starts (end of the hour, naive Beijing time).
    real_start
        When the replay started. [aware datetime]
    speed
        Recorded hours per real hour (60: one recorded hour per real minute).
    """

    recorded_start: datetime
    real_start: datetime
    speed: float

    def hour_at(self, now: datetime) -> datetime:
        """The newest recorded hour released at real time ``now`` (on the hour)."""
        elapsed = (now - self.real_start) * self.speed
        moment = self.recorded_start + elapsed
        return moment.replace(minute=0, second=0, microsecond=0)


def released_rows(
    hours: Measurements,
    newest: datetime,
    *,
    count: int = 3,
    codes: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """The ``count`` newest hours up to ``newest`` as CNEMC release records.

    Parameters
    ----------
    hours
        The recorded hours. [µg/m³; CO mg/m³]
    newest
        The newest hour released (end of the hour, naive Beijing time).
    count
        Hours returned, so that a poll missed now and then loses nothing.
    codes
        Recorded station name to station code (``StationCode``); names are kept otherwise.

    Returns
    -------
    list of dict
        ``StationCode``, ``TimePoint`` (ISO 8601) and the pollutant fields as text, a missing
        value as CNEMC's dash.
    """
    if hours.stations is None:
        raise ValueError("the recorded hours have no station column")
    times = pd.DatetimeIndex(hours.times)
    last, first = pd.Timestamp(newest), pd.Timestamp(newest - timedelta(hours=count))
    wanted = (times <= last) & (times > first)
    positions = np.flatnonzero(wanted)
    stations = hours.stations.to_numpy()
    stamps = np.asarray(times.strftime("%Y-%m-%dT%H:%M:%S"))
    rows: list[dict[str, str]] = []
    for position in positions:
        name = str(stations[position])
        row = {
            "StationCode": (codes or {}).get(name, name),
            "TimePoint": str(stamps[position]),
        }
        for pollutant, field in _FIELDS.items():
            values = hours.concentrations.get(pollutant)
            value = np.nan if values is None else float(values[position])
            row[field] = "—" if np.isnan(value) else f"{value:g}"
        rows.append(row)
    return rows
