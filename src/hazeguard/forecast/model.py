"""Training the statistical forecast: gradient-boosted quantile regression per lead day.

For each lead day 1 … 7, three scikit-learn ``HistGradientBoostingRegressor`` models with the
quantile (pinball) loss give the 10 %, 50 % and 90 % quantiles of log(AQI), and a
``HistGradientBoostingClassifier`` gives the primary pollutant. Quantile models fitted on the
training days are over-confident on new days, so the band is *conformalised* (Romano, Patterson
and Candès 2019, "Conformalized quantile regression", NeurIPS): the same models are fitted on the
earlier 75 % of the training days, and their errors on the latest 25 % shift q10 and q90 until
each holds 10 % of the held-out days outside it. The same held-out errors give the day-to-day
correlation of the copula (:mod:`hazeguard.forecast.distribution`). The final models are fitted
on all training days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import Parallel, delayed
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from hazeguard.forecast.distribution import correlation, normal_scores
from hazeguard.forecast.features import (
    DAY,
    lead_features,
    origin_features,
    weather_variables,
)

FloatArray = npt.NDArray[np.float64]

QUANTILES: Final = (0.1, 0.5, 0.9)
MAX_LEAD: Final = 7
#: Fewest training rows per lead day; below it the model refuses to train.
MIN_ROWS: Final = 120


@dataclass(frozen=True)
class ModelSettings:
    """How the model is fitted.

    Parameters
    ----------
    leads
        Lead days to fit (1 … leads). [days]
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization, max_bins
        ``HistGradientBoostingRegressor`` settings of each quantile model.
    calibration_share
        Latest share of the training days held out to calibrate the band and the copula.
    threads
        OpenMP threads per fit (the fits are small: one thread is fastest on a shared machine).
    jobs
        Lead days fitted in parallel (processes).
    """

    leads: int = MAX_LEAD
    max_iter: int = 60
    learning_rate: float = 0.1
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 20
    l2_regularization: float = 1.0
    max_bins: int = 64
    calibration_share: float = 0.25
    threads: int = 1
    jobs: int = 1

    def regressor(self, quantile: float) -> HistGradientBoostingRegressor:
        """A fresh quantile regressor with these settings."""
        return HistGradientBoostingRegressor(
            loss="quantile",
            quantile=quantile,
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            max_bins=self.max_bins,
            early_stopping=False,
            random_state=0,
        )

    def classifier(self) -> HistGradientBoostingClassifier:
        """A fresh primary-pollutant classifier."""
        return HistGradientBoostingClassifier(
            max_iter=30,
            learning_rate=0.15,
            max_leaf_nodes=15,
            min_samples_leaf=20,
            max_bins=self.max_bins,
            early_stopping=False,
            random_state=0,
        )


@dataclass(frozen=True)
class LeadModel:
    """The fitted models of one lead day.

    Parameters
    ----------
    quantiles
        Regressors of the 10 %, 50 % and 90 % quantiles of log(AQI).
    low_shift, high_shift
        Conformal corrections added to q10 and q90. [log AQI]
    """

    quantiles: tuple[Any, Any, Any]
    low_shift: float
    high_shift: float


@dataclass(frozen=True)
class ForecastModel:
    """A trained forecast for one city or station.

    Parameters
    ----------
    leads
        One :class:`LeadModel` per lead day, lead 1 first.
    primary
        Primary-pollutant classifier of the target day, fitted on lead day 1 and used for every
        lead (its inputs describe the target day), or the one pollutant seen in training.
    feature_names
        The columns the models were fitted on, in order.
    weather_names
        Weather variables used (:data:`~hazeguard.forecast.features.WEATHER_VARIABLES`); empty
        for a model without weather.
    correlation
        Lead-by-lead correlation of the normal scores (the copula). [-]
    trained_from, trained_to
        First and last target day of the training rows.
    rows
        Training rows of lead day 1.
    settings
        How it was fitted.
    """

    leads: tuple[LeadModel, ...]
    primary: Any
    feature_names: tuple[str, ...]
    weather_names: tuple[str, ...]
    correlation: FloatArray
    trained_from: pd.Timestamp
    trained_to: pd.Timestamp
    rows: int
    settings: ModelSettings = field(default_factory=ModelSettings)

    @property
    def uses_weather(self) -> bool:
        """Whether the model reads the target days' weather."""
        return bool(self.weather_names)

    @property
    def max_lead(self) -> int:
        """The longest lead day it forecasts. [days]"""
        return len(self.leads)

    def features(
        self, history: pd.DataFrame, origins: pd.DatetimeIndex, weather: pd.DataFrame | None
    ) -> list[pd.DataFrame]:
        """Feature tables (one per lead day) for forecasts issued on ``origins``."""
        known = origin_features(history).reindex(origins)
        variables = weather_variables(weather) if weather is not None else None
        return [
            lead_features(known, lead, variables, self.weather_names)[list(self.feature_names)]
            for lead in range(1, self.max_lead + 1)
        ]


class TrainingError(ValueError):
    """The history cannot train a model (too short, too many gaps)."""


def train(
    history: pd.DataFrame,
    weather: pd.DataFrame | None = None,
    *,
    before: pd.Timestamp | None = None,
    settings: ModelSettings | None = None,
) -> ForecastModel:
    """Fit the forecast on a daily history (and the weather of the same days).

    Parameters
    ----------
    history
        From :func:`hazeguard.io.daily.read_daily_history`. [index; µg/m³, CO mg/m³]
    weather
        From :func:`hazeguard.io.daily_weather.read_daily_weather`, or None for a model without
        weather.
    before
        Use only days before this one, targets and inputs alike (a backtest's issue date).
    settings
        Fit settings; defaults otherwise.

    Raises
    ------
    TrainingError
        Fewer than :data:`MIN_ROWS` usable days for a lead day.
    """
    chosen = settings or ModelSettings()
    if before is not None:
        history = history.loc[history.index < before]
        weather = weather.loc[weather.index < before] if weather is not None else None
    variables = weather_variables(weather) if weather is not None else None
    weather_names = tuple(variables.columns) if variables is not None else ()
    known = origin_features(history)
    aqi = history["aqi"]
    primary = history["primary_pollutant"]
    tables, targets, pollutants = [], [], []
    for lead in range(1, chosen.leads + 1):
        table = lead_features(known, lead, variables, weather_names)
        target_days = pd.DatetimeIndex(table.index) + lead * DAY
        target = np.log(np.maximum(aqi.reindex(target_days).to_numpy(dtype=np.float64), 1.0))
        usable = ~np.isnan(target) & table["aqi_0"].notna().to_numpy()
        if usable.sum() < MIN_ROWS:
            message = (
                f"only {int(usable.sum())} days have both an observed AQI and the AQI {lead} "
                f"day(s) later; training needs at least {MIN_ROWS}"
            )
            raise TrainingError(message)
        tables.append(table.loc[usable])
        targets.append(target[usable])
        pollutants.append(primary.reindex(target_days).to_numpy()[usable])
    feature_names = tuple(tables[0].columns)
    fitted = Parallel(n_jobs=chosen.jobs)(
        delayed(_fit_lead)(table, target, chosen)
        for table, target in zip(tables, targets, strict=True)
    )
    cut = _calibration_start(tables[0].index, chosen)
    held_out = tables[0].index[tables[0].index >= cut]
    scores = np.full((len(held_out), len(tables)), np.nan)
    for lead, (_, origins, lead_scores) in enumerate(fitted):
        scores[held_out.get_indexer(origins), lead] = lead_scores
    with threadpool_limits(chosen.threads):
        primary_model = _primary_model(tables[0], pollutants[0], chosen)
    first_days = tables[0].index + DAY
    return ForecastModel(
        leads=tuple(lead for lead, _, _ in fitted),
        primary=primary_model,
        feature_names=feature_names,
        weather_names=weather_names,
        correlation=correlation(scores),
        trained_from=pd.Timestamp(first_days[0]),
        trained_to=pd.Timestamp(tables[0].index[-1] + DAY),
        rows=len(tables[0]),
        settings=chosen,
    )


def _calibration_start(origins: pd.DatetimeIndex, settings: ModelSettings) -> pd.Timestamp:
    """First origin day of the held-out (calibration) part of the training days."""
    return pd.Timestamp(origins[int(len(origins) * (1.0 - settings.calibration_share))])


def _fit_lead(
    table: pd.DataFrame, target: FloatArray, settings: ModelSettings
) -> tuple[LeadModel, pd.DatetimeIndex, FloatArray]:
    """Fit one lead day; its held-out origin days and their normal scores."""
    with threadpool_limits(settings.threads):
        late = table.index >= _calibration_start(pd.DatetimeIndex(table.index), settings)
        early = ~late
        calibration = [
            settings.regressor(q).fit(table.loc[early], target[early]) for q in QUANTILES
        ]
        low, median, high = _sorted([m.predict(table.loc[late]) for m in calibration])
        truth = target[late]
        # Conformalised quantile regression, one side at a time: shift each bound by the
        # empirical quantile of the held-out errors beyond it.
        low_shift = float(np.quantile(truth - low, QUANTILES[0]))
        high_shift = float(np.quantile(truth - high, QUANTILES[2]))
        scores = normal_scores(truth, low + low_shift, median, high + high_shift)
        final = tuple(settings.regressor(q).fit(table, target) for q in QUANTILES)
    return LeadModel(final, low_shift, high_shift), pd.DatetimeIndex(table.index[late]), scores


def _primary_model(
    table: pd.DataFrame, pollutant: npt.NDArray[Any], settings: ModelSettings
) -> Any:
    labels = np.asarray(pollutant, dtype=str)
    named = labels != ""
    classes = np.unique(labels[named])
    if len(classes) == 0:
        return ""
    if len(classes) == 1:
        return str(classes[0])
    return settings.classifier().fit(table.loc[named], labels[named])


def _sorted(predictions: list[FloatArray]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """q10 ≤ q50 ≤ q90 row by row (separately fitted quantiles may cross)."""
    stacked = np.sort(np.vstack(predictions), axis=0)
    return stacked[0], stacked[1], stacked[2]
