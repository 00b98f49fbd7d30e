"""A synthetic city whose pollution is driven by weather, with a known cut during a window."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hazeguard.evaluation import EvaluationData, ModelSettings

# Small models keep the tests to seconds; the method does not depend on the size.
SMALL = ModelSettings(trees=60, leaves=15)


def weather_driven(
    days: int = 365,
    *,
    cut: float = 0.0,
    window: tuple[str, str] = ("2021-01-10", "2021-01-15"),
    step: float = 0.0,
    seed: int = 3,
) -> EvaluationData:
    """Hourly PM2.5 of one station from 2020-07-01, shaped by wind, humidity and mixing.

    ``cut`` lowers the concentration by that share inside ``window`` (the measures); ``step``
    lowers it by that share from the middle of the record on (an emission change). The rest is
    weather: stagnant, humid, cold hours pile up pollution; windy hours clear it.
    """
    rng = np.random.default_rng(seed)
    times = pd.date_range("2020-07-01 01:00", periods=days * 24, freq="h")
    n = len(times)
    doy = np.asarray(times.day_of_year, dtype=float)
    hour = np.asarray(times.hour, dtype=float)

    # Synoptic weather: slow random walks (a few days' memory) around the seasons.
    def red_noise(scale: float, memory_hours: float) -> np.ndarray:
        a = np.exp(-1.0 / memory_hours)
        shocks = rng.normal(0, scale * np.sqrt(1 - a * a), n)
        out = np.empty(n)
        out[0] = shocks[0]
        for i in range(1, n):
            out[i] = a * out[i - 1] + shocks[i]
        return out

    winter = np.cos(2 * np.pi * (doy - 15) / 365)  # 1 in mid-January
    wind = np.clip(2.5 + red_noise(1.3, 48) + 0.8 * np.sin(2 * np.pi * (hour - 9) / 24), 0.2, None)
    temperature = 12 - 15 * winter + 5 * np.sin(2 * np.pi * (hour - 9) / 24) + red_noise(3, 72)
    dew_point = temperature - np.clip(8 + red_noise(4, 48), 0.5, None)
    pressure = 1015 + 10 * winter + red_noise(5, 72)
    direction = (200 + 80 * red_noise(1, 36)) % 360
    log_pm = (
        np.log(60)
        + 0.5 * winter
        - 0.35 * wind
        + 0.06 * (dew_point - temperature)
        - 0.3 * np.cos(np.deg2rad(direction - 330))  # northerlies bring clean air
        + red_noise(0.15, 12)
    )
    pm25 = np.exp(log_pm)
    inside = (times > pd.Timestamp(window[0])) & (times <= pd.Timestamp(window[1]))
    pm25 = np.where(inside, pm25 * (1 - cut), pm25)
    pm25 = np.where(np.arange(n) >= n // 2, pm25 * (1 - step), pm25)
    table = pd.DataFrame(
        {
            "station": "synthetic",
            "time": times,
            "pm25": pm25,
            "wind_speed": wind,
            "wind_direction": direction,
            "temperature": temperature,
            "dew_point": dew_point,
            "pressure": pressure,
        }
    )
    weather = ("wind_speed", "wind_direction", "temperature", "dew_point", "pressure")
    return EvaluationData(table, ("pm25",), weather)
