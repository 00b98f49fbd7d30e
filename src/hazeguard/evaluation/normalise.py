"""Weather normalisation (deweathering): each day's concentration in average weather.

``rmweather``'s ``rmw_normalise`` (Grange et al. 2018): predict every row again with all
explanatory variables except the trend replaced by those of rows drawn at random, with
replacement, from the whole record, and average ``n_samples`` such predictions. Since every
variable but the trend is resampled, the normalised value depends on the time only through the
trend, so HazeGuard evaluates it once a day (trend at the day's noon) with ``n_samples`` draws,
instead of once an hour: the same expectation for 1/24 of the predictions. The default number
of draws is rmweather's, 300 a day; the Monte Carlo noise of a daily value is then the spread of
the predictions over the record divided by √300 (about 6 % of it), and a mean over a season of
90 days divides it by √90 again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from hazeguard.evaluation.data import EvaluationData, features
from hazeguard.evaluation.model import FloatArray, ModelFit, ModelSettings, Regressor, fit_and_test

N_SAMPLES: Final = 300  # rmweather's rmw_normalise(n_samples = 300)
_CHUNK_ROWS: Final = 500_000  # predictions per call: bounded memory (~40 MB of features)


@dataclass(frozen=True)
class Normalised:
    """Daily series per station and pollutant, and the fit of each model.

    Attributes
    ----------
    daily
        Columns ``station, pollutant, date, observed, predicted, normalised, hours``:
        the observed daily mean, the model's prediction with the day's actual weather over the
        same hours, the weather-normalised value [µg/m³; CO mg/m³] and the hours observed.
    fits
        Out-of-sample fit of each model.
    n_samples
        Weather draws averaged for each normalised day.
    """

    daily: pd.DataFrame
    fits: tuple[ModelFit, ...]
    n_samples: int

    def city(self) -> pd.DataFrame:
        """The daily series averaged over the stations (days with at least half of them)."""
        grouped = self.daily.groupby(["pollutant", "date"], sort=True)
        stations = self.daily["station"].nunique()
        city = grouped[["observed", "predicted", "normalised"]].mean()
        counts = grouped["observed"].count()
        city = city[counts >= max(1, stations / 2)].reset_index()
        city.insert(0, "station", "city")
        return city


def normalise(
    data: EvaluationData,
    settings: ModelSettings | None = None,
    *,
    pollutants: tuple[str, ...] | None = None,
    n_samples: int = N_SAMPLES,
    n_jobs: int = 1,
) -> Normalised:
    """Deweather every station and pollutant of ``data``.

    Parameters
    ----------
    data
        Hourly concentrations and weather (:func:`hazeguard.evaluation.combine`).
    settings
        The model and seed (default: gradient boosting, fixed seed).
    pollutants
        Subset of ``data.pollutants`` (default: all).
    n_samples
        Weather draws per day.
    n_jobs
        Models grown at once (processes).
    """
    settings = settings or ModelSettings()
    chosen = pollutants or data.pollutants
    unknown = sorted(set(chosen) - set(data.pollutants))
    if unknown:
        raise ValueError(f"no column for {unknown}; the data have {', '.join(data.pollutants)}")
    tasks = [(s, p) for s in data.stations for p in chosen]
    arguments = [
        (data.station(station), pollutant, settings, n_samples, number)
        for number, (station, pollutant) in enumerate(tasks)
    ]
    results: list[tuple[pd.DataFrame, ModelFit]]
    if n_jobs == 1:
        with threadpool_limits(1):  # one process, one thread: parallelism is n_jobs
            results = [_one(*each) for each in arguments]
    else:
        results = Parallel(n_jobs=n_jobs)(delayed(_one)(*each) for each in arguments)
    daily = pd.concat([frame for frame, _ in results], ignore_index=True)
    return Normalised(daily, tuple(fit for _, fit in results), n_samples)


def _one(
    data: EvaluationData, pollutant: str, settings: ModelSettings, n_samples: int, number: int
) -> tuple[pd.DataFrame, ModelFit]:
    station = data.stations[0]
    x = features(data)
    y = data.table[pollutant].to_numpy(dtype=np.float64)
    day = (pd.DatetimeIndex(data.table["time"]) - pd.Timedelta(hours=1)).normalize()
    day_number = np.asarray((day - day[0]) / pd.Timedelta(days=1), dtype=np.int64)
    model, fit = fit_and_test(x, y, day_number, settings, station=station, pollutant=pollutant)
    predicted = model.predict(x)
    known = ~np.isnan(y)
    frame = pd.DataFrame({"date": day[known], "observed": y[known], "predicted": predicted[known]})
    daily = frame.groupby("date", sort=True).agg(
        observed=("observed", "mean"), predicted=("predicted", "mean"), hours=("observed", "size")
    )
    rng = np.random.default_rng([settings.seed, number])
    trend_column = len(data.weather)  # the first time variable
    days = pd.DatetimeIndex(daily.index)
    noon = np.asarray(
        (days + pd.Timedelta(hours=12) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
    )
    daily["normalised"] = resampled_mean(model, x, noon, trend_column, n_samples, rng)
    daily = daily.reset_index()
    daily.insert(0, "pollutant", pollutant)
    daily.insert(0, "station", station)
    columns = ["station", "pollutant", "date", "observed", "predicted", "normalised", "hours"]
    return daily[columns], fit


def resampled_mean(
    model: Regressor,
    pool: FloatArray,
    trend: FloatArray,
    trend_column: int,
    n_samples: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Mean prediction at each trend value over ``n_samples`` rows drawn from ``pool``.

    Every variable but the trend comes from the drawn row (drawn with replacement, as
    rmweather's ``replace = TRUE``); the trend is the given value. [unit of the target]
    """
    draws = rng.integers(0, len(pool), size=(len(trend), n_samples))
    out = np.empty(len(trend), dtype=np.float64)
    per_chunk = max(1, _CHUNK_ROWS // n_samples)
    for start in range(0, len(trend), per_chunk):
        stop = min(start + per_chunk, len(trend))
        rows = pool[draws[start:stop].ravel()]
        rows[:, trend_column] = np.repeat(trend[start:stop], n_samples)
        out[start:stop] = model.predict(rows).reshape(stop - start, n_samples).mean(axis=1)
    return out
