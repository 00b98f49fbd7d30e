"""The model's inputs: what is known at the end of the issue day, and the target day's weather.

A forecast is issued on an *origin* day ``o`` (the last day whose daily AQI is observed) for the
target days ``o + 1`` … ``o + 7`` (lead days 1 … 7). The features of one (origin, lead) pair:

* recent air quality at the origin: the AQI of ``o``, ``o − 1``, ``o − 2``, its 7-day mean and
  maximum, and the 24-h concentrations of ``o`` (PM2.5 also of ``o − 1``);
* the calendar of the target day (:mod:`hazeguard.forecast.calendar`);
* with weather: the target day's and the day before's temperature, dew point, dew-point
  depression, humidity, pressure, wind speed and its west-east (u) and south-north (v) parts,
  precipitation and boundary-layer height (whichever the weather table has), and the pressure
  change from the origin day to the target day.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from hazeguard.forecast.calendar import calendar_features
from hazeguard.io.daily import POLLUTANTS

DAY: Final = pd.Timedelta(days=1)
#: Derived weather variables, in the order they enter the model (those the table allows).
WEATHER_VARIABLES: Final = (
    "temperature",
    "dew_point",
    "dew_point_depression",
    "relative_humidity",
    "pressure",
    "wind_speed",
    "wind_u",
    "wind_v",
    "precipitation",
    "boundary_layer_height",
)


def origin_features(history: pd.DataFrame) -> pd.DataFrame:
    """What is known at the end of each day of a daily history (rows = origin days).

    Parameters
    ----------
    history
        From :func:`hazeguard.io.daily.read_daily_history`: consecutive days, ``aqi`` [index]
        and concentrations [µg/m³; CO mg/m³].
    """
    aqi = history["aqi"]
    features = pd.DataFrame(index=history.index)
    features["aqi_0"] = aqi
    features["aqi_1"] = aqi.shift(1)
    features["aqi_2"] = aqi.shift(2)
    features["aqi_mean_7"] = aqi.rolling(7, min_periods=4).mean()
    features["aqi_max_7"] = aqi.rolling(7, min_periods=4).max()
    for code in POLLUTANTS:
        features[f"{code}_0"] = history[code]
    features["pm25_1"] = history["pm25"].shift(1)
    return features


def weather_variables(weather: pd.DataFrame) -> pd.DataFrame:
    """Daily weather as model variables: wind as u and v parts, dew-point depression added.

    Parameters
    ----------
    weather
        From :func:`hazeguard.io.daily_weather.read_daily_weather` (units there).

    Returns
    -------
    pandas.DataFrame
        The :data:`WEATHER_VARIABLES` the table allows (°C, %, hPa, m/s, mm, m).
    """
    variables = pd.DataFrame(index=weather.index)
    for name in ("temperature", "dew_point"):
        if name in weather:
            variables[name] = weather[name]
    if "temperature" in weather and "dew_point" in weather:
        variables["dew_point_depression"] = weather["temperature"] - weather["dew_point"]
    for name in ("relative_humidity", "pressure", "wind_speed"):
        if name in weather:
            variables[name] = weather[name]
    if "wind_speed" in weather and "wind_direction" in weather:
        radians = np.deg2rad(weather["wind_direction"].to_numpy())
        # Meteorological convention: the direction the wind blows from.
        variables["wind_u"] = -weather["wind_speed"].to_numpy() * np.sin(radians)
        variables["wind_v"] = -weather["wind_speed"].to_numpy() * np.cos(radians)
    for name in ("precipitation", "boundary_layer_height"):
        if name in weather:
            variables[name] = weather[name]
    return variables


def lead_features(
    origins: pd.DataFrame,
    lead: int,
    weather: pd.DataFrame | None,
    weather_names: tuple[str, ...],
) -> pd.DataFrame:
    """The full feature table for one lead day (rows = the origin days of ``origins``).

    Parameters
    ----------
    origins
        Rows of :func:`origin_features`.
    lead
        Days from the origin to the target day (1 … 7). [days]
    weather
        :func:`weather_variables` covering the target days (and the days before), or None.
    weather_names
        The weather variables the model uses (empty: a model without weather). A variable the
        table lacks, or a day it does not cover, is NaN.
    """
    targets = pd.DatetimeIndex(origins.index) + lead * DAY
    table = origins.reset_index(drop=True)
    calendar = calendar_features(targets).reset_index(drop=True)
    parts = [table, calendar]
    if weather_names:
        source = weather if weather is not None else pd.DataFrame(index=targets[:0])
        source = source.reindex(columns=list(weather_names))
        on_target = source.reindex(targets).reset_index(drop=True).add_suffix("_target")
        before = source.reindex(targets - DAY).reset_index(drop=True).add_suffix("_before")
        parts += [on_target, before]
        if "pressure" in weather_names:
            at_origin = source["pressure"].reindex(origins.index).to_numpy()
            change = on_target["pressure_target"].to_numpy() - at_origin
            parts.append(pd.DataFrame({"pressure_change": change}))
    features = pd.concat(parts, axis=1)
    features.index = pd.DatetimeIndex(origins.index, name="origin")
    return features
