"""The concentration model: a scikit-learn tree ensemble of concentration on weather and time.

Grange et al. (2018) and ``rmweather`` grow a random forest (``ranger``: 300 trees, ``mtry`` the
square root of the number of variables, minimum node size 5) on a random 80 % of the rows and
report the fit on the other 20 %. HazeGuard's default is scikit-learn's histogram gradient
boosting, which on Beijing's hourly data fits better out of sample and several times faster
(benchmarks/bench_evaluation.py measures both on the same split); ``kind="random_forest"`` gives
the published model. The held-out 20 % are whole days, not single hours: neighbouring hours are
so alike that a random hourly split would report a flattering fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, Protocol

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

FloatArray = npt.NDArray[np.float64]
ModelKind = Literal["gradient_boosting", "random_forest"]
TEST_FRACTION: Final = 0.2  # rmweather's rmw_prepare_data(fraction = 0.8)


class Regressor(Protocol):
    """What the evaluation needs of a fitted scikit-learn model."""

    def fit(self, X: FloatArray, y: FloatArray) -> object: ...  # noqa: N803 (scikit-learn's name)

    def predict(self, X: FloatArray) -> FloatArray: ...  # noqa: N803


@dataclass(frozen=True)
class ModelSettings:
    """How the models are grown; the same settings and seed give the same results.

    Attributes
    ----------
    kind
        ``gradient_boosting`` (default) or ``random_forest`` (as published).
    trees
        Boosting iterations, or trees of the forest (rmweather grows 300).
    learning_rate
        Shrinkage of each boosting iteration.
    leaves
        Maximum leaves per boosted tree.
    min_leaf
        Minimum rows in a leaf of the forest (rmweather's ``min_node_size`` 5); boosting keeps
        scikit-learn's 20.
    seed
        Seed of every random choice: the split, the trees, the resampling, the bootstrap.
    """

    kind: ModelKind = "gradient_boosting"
    trees: int = 200
    learning_rate: float = 0.1
    leaves: int = 31
    min_leaf: int = 5
    seed: int = 20180601

    def estimator(self, seed_offset: int = 0) -> Regressor:
        """A new, unfitted scikit-learn regressor."""
        seed = self.seed + seed_offset
        model: Regressor
        if self.kind == "random_forest":
            model = RandomForestRegressor(
                n_estimators=self.trees,
                max_features="sqrt",  # ranger's default mtry
                min_samples_leaf=self.min_leaf,
                n_jobs=1,
                random_state=seed,
            )
        else:
            model = HistGradientBoostingRegressor(
                max_iter=self.trees,
                learning_rate=self.learning_rate,
                max_leaf_nodes=self.leaves,
                min_samples_leaf=20,
                early_stopping=False,
                random_state=seed,
            )
        return model


@dataclass(frozen=True)
class ModelFit:
    """A model's fit on the held-out days it was not trained on.

    Attributes
    ----------
    station, pollutant
        What was modelled.
    kind
        The model (``gradient_boosting`` or ``random_forest``).
    train_hours, test_hours
        Hours used to train and to test.
    r2
        Coefficient of determination on the test hours. [1]
    rmse
        Root-mean-square error on the test hours. [µg/m³; CO mg/m³]
    """

    station: str
    pollutant: str
    kind: str
    train_hours: int
    test_hours: int
    r2: float
    rmse: float


def held_out_days(
    days: npt.NDArray[np.int64], seed: int, fraction: float = TEST_FRACTION
) -> npt.NDArray[np.bool_]:
    """Rows whose day is among a random ``fraction`` of the days (the test set)."""
    unique = np.unique(days)
    rng = np.random.default_rng(seed)
    chosen = rng.permutation(unique)[: max(1, round(fraction * len(unique)))]
    return np.isin(days, chosen)


def fit_and_test(
    features: FloatArray,
    target: FloatArray,
    days: npt.NDArray[np.int64],
    settings: ModelSettings,
    *,
    station: str,
    pollutant: str,
) -> tuple[Regressor, ModelFit]:
    """Grow a model on 80 % of the days and measure it on the rest.

    Rows with a missing target are left out; missing weather stays (the trees handle it).

    Raises
    ------
    ValueError
        With fewer than 48 hours of the pollutant.
    """
    known = ~np.isnan(target)
    if known.sum() < 48:
        raise ValueError(f"{station} {pollutant}: {int(known.sum())} hours measured, need 48")
    x, y, d = features[known], target[known], days[known]
    test = held_out_days(d, settings.seed)
    model = settings.estimator()
    model.fit(x[~test], y[~test])
    predicted = model.predict(x[test])
    error = predicted - y[test]
    variance = float(np.var(y[test]))
    r2 = 1.0 - float(np.mean(error**2)) / variance if variance > 0 else float("nan")
    fit = ModelFit(
        station=station,
        pollutant=pollutant,
        kind=settings.kind,
        train_hours=int((~test).sum()),
        test_hours=int(test.sum()),
        r2=r2,
        rmse=float(np.sqrt(np.mean(error**2))),
    )
    return model, fit
