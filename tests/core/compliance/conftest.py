"""Synthetic meter readings: a two-shift factory profile with small noise, per meter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pytest

# A factory drawing 400 kW on the day shift (08-20 h) and 250 kW at night. [kW]
DAY_KW, NIGHT_KW = 400.0, 250.0
MakeReadings = Callable[..., pd.DataFrame]


def profile(times: pd.DatetimeIndex, interval_hours: float) -> np.ndarray:
    """Normal-production energy per interval. [kWh]"""
    kw = np.where((times.hour >= 8) & (times.hour < 20), DAY_KW, NIGHT_KW)
    return kw * interval_hours


@pytest.fixture
def make_readings() -> MakeReadings:
    """Readings from ``start`` to ``end`` (local, naive) with each meter's production share.

    ``shares`` maps a meter to a function ``day -> share of normal production`` (1 = normal).
    """

    def make(
        shares: Mapping[str, Callable[[dt.date], float]],
        start: dt.datetime,
        end: dt.datetime,
        interval: str = "15min",
        seed: int = 1,
    ) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        times = pd.date_range(start, end, freq=interval, inclusive="left")
        hours = pd.Timedelta(interval) / pd.Timedelta(hours=1)
        frames = []
        for meter, share in shares.items():
            factor = np.array([share(day) for day in times.date])
            noise = rng.normal(1.0, 0.02, len(times))
            energy = profile(times, hours) * factor * noise
            frames.append(pd.DataFrame({"meter": meter, "time": times, "energy_kwh": energy}))
        return pd.concat(frames, ignore_index=True)

    return make
