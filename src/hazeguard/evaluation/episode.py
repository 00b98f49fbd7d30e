"""The effect of an episode's measures: observed minus a business-as-usual counterfactual.

The counterfactual is what the concentration model, trained only on hours outside every warning
(and outside the episode), predicts from the episode's actual weather and time. The model is
grown ``folds`` times, each time leaving out a random quarter of the weeks (cross-fitting), so
that every training hour also gets a prediction from a model that never saw it. Those
out-of-sample predictions give the placebo runs: windows as long as the episode, in the same
season, with no warning, where the true effect is zero. Their spread is the model's error over
such a window, and the interval of the episode's effect is the effect minus the placebo
quantiles (the interval a placebo's "effect" would need to be told from zero). A block bootstrap
by day of the episode's own hourly differences is reported beside it; the placebo runs show how
often that narrower interval calls a no-warning period significant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from hazeguard.evaluation.bootstrap import block_means
from hazeguard.evaluation.data import EvaluationData, features
from hazeguard.evaluation.model import FloatArray, ModelSettings

Window = tuple[pd.Timestamp, pd.Timestamp]
FOLDS: Final = 4
SEASON_DAYS: Final = 45  # placebo windows centred within ±45 days of year of the episode's centre
MIN_COVERAGE: Final = 0.75  # share of a window's hours that must be measured
LEVEL: Final = 0.95
N_BOOT: Final = 1000


@dataclass(frozen=True)
class DayEffect:
    """One day of the episode. Concentrations [µg/m³; CO mg/m³], shares [%]."""

    date: pd.Timestamp
    observed: float
    counterfactual: float
    effect: float
    percent: float
    percent_low: float
    percent_high: float


@dataclass(frozen=True)
class EpisodeEffect:
    """The effect of an episode on one pollutant.

    Attributes
    ----------
    pollutant
        The pollutant.
    start, end
        The episode: hours ending after ``start`` and up to ``end``.
    hours
        Episode hours with a measurement.
    observed, counterfactual
        Mean observed and business-as-usual concentration over those hours. [µg/m³; CO mg/m³]
    effect, low, high
        ``observed - counterfactual`` and its placebo-calibrated interval. [µg/m³; CO mg/m³]
    percent, percent_low, percent_high
        The effect relative to the counterfactual and its interval. [%]
    bootstrap_low, bootstrap_high
        Interval of ``percent`` from a day-block bootstrap of the episode's hours alone. [%]
    placebo_percents
        The "effects" of the placebo windows (no warning, same length and season). [%]
    placebo_significant
        Share of placebo windows whose own placebo-calibrated interval (from the other
        placebos) excludes zero. [1]
    placebo_significant_bootstrap
        Share of placebo windows whose day-block bootstrap interval excludes zero. [1]
    placebo_rank
        Share of placebo effects at or below the episode's (a one-sided p-value for a cut). [1]
    days
        The effect day by day, each with the interval from one-day placebo windows.
    train_hours
        Hours the counterfactual model was trained on.
    r2, rmse
        Out-of-sample fit of the cross-fitted models on the training hours. [1], [µg/m³]
    level
        Confidence level of the intervals. [1]
    """

    pollutant: str
    start: pd.Timestamp
    end: pd.Timestamp
    hours: int
    observed: float
    counterfactual: float
    effect: float
    low: float
    high: float
    percent: float
    percent_low: float
    percent_high: float
    bootstrap_low: float
    bootstrap_high: float
    placebo_percents: tuple[float, ...]
    placebo_significant: float
    placebo_significant_bootstrap: float
    placebo_rank: float
    days: tuple[DayEffect, ...]
    train_hours: int
    r2: float
    rmse: float
    level: float


def effect_as_json(effect: EpisodeEffect) -> dict[str, Any]:
    """An :class:`EpisodeEffect` as JSON-ready values: times as ISO 8601 (naive local), NaN as
    ``None``, tuples as lists; units as in the dataclass."""
    plain: dict[str, Any] = _plain(dataclasses.asdict(effect))
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def evaluate_episode(
    data: EvaluationData,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    excluded: Sequence[Window] = (),
    pollutants: Sequence[str] | None = None,
    settings: ModelSettings | None = None,
    folds: int = FOLDS,
    season_days: int = SEASON_DAYS,
    level: float = LEVEL,
    n_boot: int = N_BOOT,
    n_jobs: int = 1,
) -> list[EpisodeEffect]:
    """Evaluate the episode ``start`` … ``end`` for each pollutant of one series.

    Parameters
    ----------
    data
        One station's (or the city's, :func:`city_mean`) hourly concentrations and weather.
    start, end
        The episode (local time): hours ending after ``start`` and at or before ``end``.
    excluded
        Other periods with measures (warnings, controls) to keep out of training and placebos.
    pollutants
        Subset of ``data.pollutants`` (default: all).
    settings
        Model and seed.
    folds
        Cross-fitting folds (models grown per pollutant).
    season_days
        Placebo windows are centred within this many days of year of the episode's centre.
    level
        Confidence level, e.g. 0.95.
    n_boot
        Draws of the day-block bootstrap.
    n_jobs
        Pollutants evaluated at once (processes).

    Raises
    ------
    ValueError
        For more than one station, an empty or backwards episode, or too few placebo windows.
    """
    if len(data.stations) != 1:
        raise ValueError("evaluate one series: a station, or the city mean (city_mean)")
    if end <= start:
        raise ValueError(f"the episode ends ({end}) at or before its start ({start})")
    settings = settings or ModelSettings()
    grid = _hourly_grid(data)
    times = pd.DatetimeIndex(grid.table["time"])
    in_episode = np.asarray((times > start) & (times <= end))
    if not in_episode.any():
        raise ValueError(f"no hour of the data falls in the episode {start} … {end}")
    blocked = in_episode.copy()
    for first, last in excluded:
        blocked |= np.asarray((times > first) & (times <= last))
    chosen = list(pollutants or grid.pollutants)
    arguments = [
        (grid, p, in_episode, blocked, settings, folds, season_days, level, n_boot, number)
        for number, p in enumerate(chosen)
    ]
    if n_jobs == 1:
        with threadpool_limits(1):  # one process, one thread: parallelism is n_jobs
            return [_one(*each) for each in arguments]
    result: list[EpisodeEffect] = Parallel(n_jobs=n_jobs)(delayed(_one)(*a) for a in arguments)
    return result


def _hourly_grid(data: EvaluationData) -> EvaluationData:
    """The series on a complete hourly grid (missing hours as NaN), so windows are slices."""
    table = data.table.set_index("time")
    full = pd.date_range(table.index.min(), table.index.max(), freq="h")
    table = table.reindex(full)
    table["station"] = data.stations[0]
    table = table.rename_axis("time").reset_index()
    return EvaluationData(table[data.table.columns], data.pollutants, data.weather)


def _one(
    data: EvaluationData,
    pollutant: str,
    in_episode: npt.NDArray[np.bool_],
    blocked: npt.NDArray[np.bool_],
    settings: ModelSettings,
    folds: int,
    season_days: int,
    level: float,
    n_boot: int,
    number: int,
) -> EpisodeEffect:
    x = features(data)
    y = data.table[pollutant].to_numpy(dtype=np.float64)
    times = pd.DatetimeIndex(data.table["time"])
    known = ~np.isnan(y)
    train = known & ~blocked
    if train.sum() < 24 * 30:
        raise ValueError(f"{pollutant}: {int(train.sum())} training hours, need 30 days")
    out_of_fold = np.full(len(y), np.nan)
    counterfactual = np.zeros(int(in_episode.sum()))
    weeks = np.arange(len(y)) // (24 * 7)
    rng = np.random.default_rng([settings.seed, number])
    unique = np.unique(weeks[train])
    fold_of_week = dict(zip(rng.permutation(unique), np.arange(len(unique)) % folds, strict=True))
    fold = np.array([fold_of_week.get(w, -1) for w in weeks])
    for k in range(folds):
        model = settings.estimator(seed_offset=k)
        model.fit(x[train & (fold != k)], y[train & (fold != k)])
        held = train & (fold == k)
        out_of_fold[held] = model.predict(x[held])
        counterfactual += model.predict(x[in_episode]) / folds
    error = out_of_fold[train] - y[train]
    r2 = 1.0 - float(np.mean(error**2)) / float(np.var(y[train]))
    cf = np.full(len(y), np.nan)
    cf[in_episode] = counterfactual
    tail = (1.0 - level) / 2.0

    episode_hours = np.flatnonzero(in_episode)
    length = len(episode_hours)
    obs_e, cf_e = y[in_episode], counterfactual
    measured = ~np.isnan(obs_e)
    observed_mean = float(obs_e[measured].mean()) if measured.any() else float("nan")
    cf_mean = float(cf_e[measured].mean()) if measured.any() else float("nan")
    percent = 100.0 * (observed_mean / cf_mean - 1.0)

    centre = times[episode_hours[length // 2]]
    placebo = _window_percents(y, out_of_fold, train, times, length, centre, season_days)
    if len(placebo.percents) < 10:
        raise ValueError(
            f"{pollutant}: {len(placebo.percents)} placebo windows of {length} h in the season "
            f"(±{season_days} days); need 10: give a longer record or a wider season"
        )
    q_low, q_high = np.quantile(placebo.percents, [tail, 1.0 - tail])
    percent_low, percent_high = percent - q_high, percent - q_low

    boot = _bootstrap_percent(times[in_episode], obs_e, cf_e, n_boot, level, rng)
    naive = np.array(
        [
            _excludes_zero(_bootstrap_percent(times[s], y[s], out_of_fold[s], n_boot, level, rng))
            for s in placebo.slices
        ]
    )
    loo = np.array(
        [
            _excludes_zero(
                (
                    p - np.quantile(np.delete(placebo.percents, i), 1.0 - tail),
                    p - np.quantile(np.delete(placebo.percents, i), tail),
                )
            )
            for i, p in enumerate(placebo.percents)
        ]
    )
    days = _days(times, y, cf, in_episode, out_of_fold, train, season_days, tail)
    return EpisodeEffect(
        pollutant=pollutant,
        start=times[episode_hours[0]] - pd.Timedelta(hours=1),
        end=times[episode_hours[-1]],
        hours=int(measured.sum()),
        observed=observed_mean,
        counterfactual=cf_mean,
        effect=observed_mean - cf_mean,
        low=cf_mean * percent_low / 100.0,
        high=cf_mean * percent_high / 100.0,
        percent=percent,
        percent_low=float(percent_low),
        percent_high=float(percent_high),
        bootstrap_low=boot[0],
        bootstrap_high=boot[1],
        placebo_percents=tuple(float(p) for p in placebo.percents),
        placebo_significant=float(loo.mean()),
        placebo_significant_bootstrap=float(naive.mean()),
        placebo_rank=float(np.mean(placebo.percents <= percent)),
        days=days,
        train_hours=int(train.sum()),
        r2=r2,
        rmse=float(np.sqrt(np.mean(error**2))),
        level=level,
    )


@dataclass(frozen=True)
class _Placebos:
    percents: FloatArray
    slices: list[slice]


def _window_percents(
    observed: FloatArray,
    predicted: FloatArray,
    eligible: npt.NDArray[np.bool_],
    times: pd.DatetimeIndex,
    length: int,
    centre: pd.Timestamp,
    season_days: int,
) -> _Placebos:
    """Non-overlapping windows of ``length`` hours, all eligible, in the season of ``centre``."""
    usable = eligible & ~np.isnan(predicted)
    ok = np.where(usable, 1.0, 0.0)
    obs = np.where(usable, observed, 0.0)
    pred = np.where(usable, predicted, 0.0)
    # Prefix sums make every window's sums O(1): the search is vectorised over all starts.
    cum = [np.concatenate(([0.0], np.cumsum(a))) for a in (ok, obs, pred)]
    blocked = np.concatenate(([0], np.cumsum(~eligible & ~np.isnan(observed))))
    starts = np.arange(0, len(observed) - length + 1)
    count = cum[0][starts + length] - cum[0][starts]
    clean = (blocked[starts + length] - blocked[starts]) == 0
    middle = times[starts + length // 2]
    gap = np.abs(np.asarray(middle.day_of_year) - centre.day_of_year)
    in_season = np.minimum(gap, 365 - gap) <= season_days
    # Same hour of day as the episode's start, so windows cover the same part of the day.
    same_hour = np.asarray(times[starts].hour) == (centre - pd.Timedelta(hours=length // 2)).hour
    candidates = np.flatnonzero(clean & in_season & same_hour & (count >= MIN_COVERAGE * length))
    chosen: list[int] = []
    for s in candidates:
        if not chosen or s >= chosen[-1] + length:
            chosen.append(int(s))
    index = np.array(chosen, dtype=np.int64)
    obs_sum = cum[1][index + length] - cum[1][index]
    pred_sum = cum[2][index + length] - cum[2][index]
    percents = 100.0 * (obs_sum / pred_sum - 1.0)
    return _Placebos(percents, [slice(s, s + length) for s in chosen])


def _bootstrap_percent(
    times: pd.DatetimeIndex,
    observed: FloatArray,
    predicted: FloatArray,
    n_boot: int,
    level: float,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Interval of ``100 (mean observed / mean predicted - 1)`` from day blocks of the hours."""
    measured = ~np.isnan(observed) & ~np.isnan(predicted)
    seed = int(rng.integers(0, 2**32))
    draws = []
    for values in (observed, predicted):
        column = np.where(measured, values, np.nan)
        draws.append(block_means(times, column, "day", n_boot, np.random.default_rng(seed)))
    percent = 100.0 * (draws[0] / draws[1] - 1.0)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(percent, [tail, 1.0 - tail])
    return float(low), float(high)


def _excludes_zero(interval: tuple[float, float]) -> bool:
    return bool(interval[0] > 0.0 or interval[1] < 0.0)


def _days(
    times: pd.DatetimeIndex,
    observed: FloatArray,
    counterfactual: FloatArray,
    in_episode: npt.NDArray[np.bool_],
    out_of_fold: FloatArray,
    train: npt.NDArray[np.bool_],
    season_days: int,
    tail: float,
) -> tuple[DayEffect, ...]:
    """Each episode day, with the interval from one-day placebo windows (midnight to midnight)."""
    day = (times - pd.Timedelta(hours=1)).normalize()
    rows = pd.DataFrame({"day": day, "observed": observed, "cf": counterfactual})[in_episode]
    rows = rows[rows["observed"].notna()]
    out = []
    for date, part in rows.groupby("day", sort=True):
        stamp = pd.Timestamp(str(date))
        # Hours are labelled by their end: the day's first hour is 01:00, its middle 13:00.
        placebo = _window_percents(
            observed, out_of_fold, train, times, 24, stamp + pd.Timedelta(hours=13), season_days
        )
        obs, cf = float(part["observed"].mean()), float(part["cf"].mean())
        percent = 100.0 * (obs / cf - 1.0)
        low, high = (
            np.quantile(placebo.percents, [tail, 1.0 - tail])
            if len(placebo.percents) >= 10
            else (np.nan, np.nan)  # too few one-day placebos to say
        )
        out.append(DayEffect(stamp, obs, cf, obs - cf, percent, percent - high, percent - low))
    return tuple(out)
