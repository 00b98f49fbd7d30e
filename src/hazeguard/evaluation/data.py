"""Hourly concentrations joined with the weather, and the model's explanatory variables.

The explanatory variables are those of Grange et al. (2018) and ``rmweather``'s
``rmw_prepare_data``: the weather given (wind speed and direction, temperature, dew point or
humidity, pressure, precipitation, boundary-layer height) and four time variables: the trend
(``date_unix``, here in days), the day of the year (``day_julian``), the weekday and the hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi.indicators import POLLUTANTS
from hazeguard.io.measurements import Measurements
from hazeguard.io.weather import WEATHER_VARIABLES, Weather

#: Time variables of the model: trend [days since 1970-01-01], day of year [1 … 366],
#: weekday [0 = Monday … 6], hour of day [0 … 23, the hour's start].
TIME_VARIABLES: Final = ("trend", "day_of_year", "weekday", "hour")
CITY: Final = "city"
_EPOCH: Final = pd.Timestamp("1970-01-01")


@dataclass(frozen=True)
class EvaluationData:
    """Hourly rows of one or more stations: concentrations, weather and time.

    Attributes
    ----------
    table
        Columns ``station``, ``time`` (end of the hour, naive local time), the pollutants
        [µg/m³; CO mg/m³] and the weather variables [units of ``WEATHER_VARIABLES``], sorted by
        station and time.
    pollutants
        The pollutant columns, in the order of ``POLLUTANTS``.
    weather
        The weather columns, in the order of ``WEATHER_VARIABLES``.
    """

    table: pd.DataFrame
    pollutants: tuple[str, ...]
    weather: tuple[str, ...]

    @property
    def stations(self) -> tuple[str, ...]:
        """The stations, sorted."""
        return tuple(sorted(self.table["station"].unique()))

    @property
    def variables(self) -> tuple[str, ...]:
        """The model's explanatory variables: the weather, then the time variables."""
        return (*self.weather, *TIME_VARIABLES)

    def station(self, name: str) -> EvaluationData:
        """The rows of one station."""
        rows = self.table[self.table["station"] == name].reset_index(drop=True)
        if rows.empty:
            raise ValueError(f"no station {name!r}; the stations are {', '.join(self.stations)}")
        return EvaluationData(rows, self.pollutants, self.weather)


def combine(measurements: Measurements, weather: Weather) -> EvaluationData:
    """Join hourly concentrations with the weather of the same hour (and station, if given).

    A weather file without a station column serves every station. Hours without weather keep
    missing weather (the model handles missing values); hours without any concentration are kept
    too, since a normalised series resamples weather from the whole record.

    Raises
    ------
    ValueError
        When the weather covers none of the measured hours or stations.
    """
    concentration = pd.DataFrame(
        {
            "station": (
                measurements.stations.to_numpy()
                if measurements.stations is not None
                else np.full(len(measurements.times), CITY)
            ),
            "time": measurements.times.to_numpy(),
        }
    )
    for pollutant, values in measurements.concentrations.items():
        concentration[pollutant] = values
    met = pd.DataFrame({"time": weather.times.to_numpy()})
    for variable, values in weather.variables.items():
        met[variable] = values
    keys = ["time"]
    if weather.stations is not None and measurements.stations is not None:
        met["station"] = weather.stations.to_numpy()
        keys = ["station", "time"]
    table = concentration.merge(met, on=keys, how="left", validate="many_to_one")
    found = [v for v in WEATHER_VARIABLES if v in weather.variables]
    if table[found].notna().to_numpy().sum() == 0:
        raise ValueError("the weather covers none of the measured hours (check times and stations)")
    table = table.sort_values(["station", "time"], kind="stable").reset_index(drop=True)
    pollutants = tuple(p for p in POLLUTANTS if p in measurements.concentrations)
    return EvaluationData(table, pollutants, tuple(found))


def time_variables(times: pd.Series | pd.DatetimeIndex) -> dict[str, npt.NDArray[np.float64]]:
    """The four time variables of hours labelled by their end (see :data:`TIME_VARIABLES`)."""
    index = pd.DatetimeIndex(times)
    start = index - pd.Timedelta(hours=1)
    trend = (index - _EPOCH) / pd.Timedelta(days=1)
    return {
        "trend": np.asarray(trend, dtype=np.float64),
        "day_of_year": np.asarray(start.day_of_year, dtype=np.float64),
        "weekday": np.asarray(start.day_of_week, dtype=np.float64),
        "hour": np.asarray(start.hour, dtype=np.float64),
    }


def features(data: EvaluationData) -> npt.NDArray[np.float64]:
    """The explanatory variables of every row, columns in the order of ``data.variables``."""
    columns = [data.table[v].to_numpy(dtype=np.float64) for v in data.weather]
    columns += list(time_variables(data.table["time"]).values())
    return np.column_stack(columns)


def city_mean(data: EvaluationData, stations: Sequence[str] | None = None) -> EvaluationData:
    """One series for the city: each hour's mean over the stations.

    Concentrations and weather are averaged over the stations reporting that hour; wind
    direction is the direction of the mean unit vector (a plain mean of 350° and 10° is not 0°).
    """
    table = data.table
    if stations is not None:
        table = table[table["station"].isin(list(stations))]
    numeric = [*data.pollutants, *(w for w in data.weather if w != "wind_direction")]
    grouped = table.groupby("time", sort=True)
    mean = grouped[numeric].mean()
    if "wind_direction" in data.weather:
        radians = np.deg2rad(table["wind_direction"].to_numpy(dtype=np.float64))
        vectors = (
            pd.DataFrame(
                {"time": table["time"].to_numpy(), "u": np.sin(radians), "v": np.cos(radians)}
            )
            .groupby("time", sort=True)[["u", "v"]]
            .mean()
        )
        u, v = vectors["u"].to_numpy(), vectors["v"].to_numpy()
        mean["wind_direction"] = np.rad2deg(np.arctan2(u, v)) % 360.0
    mean = mean.reset_index()
    mean.insert(0, "station", CITY)
    ordered = ["station", "time", *data.pollutants, *data.weather]
    return EvaluationData(mean[ordered], data.pollutants, data.weather)
