"""The probability of each warning level of a plan, from sampled AQI trajectories.

Each trajectory (one sampled AQI per forecast day) is put through the plan's own criteria by the
warning engine (:func:`hazeguard.warnings.assess.assess`, the same pass ``warn evaluate`` and the
replay use), all trajectories at once. The level a trajectory gets is the highest level whose
criteria the first forecast episode meets; P(level) is the share of trajectories that get it.
The probabilities are *cumulative over the days*: the value for day *d* is the probability of the
level the plan would decide from the forecast of days 1 … *d*, so the last day's row is the whole
forecast's. Dust is not excluded (a trajectory carries no dust flag).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hazeguard.warnings.assess import assess
from hazeguard.warnings.criteria import Series
from hazeguard.warnings.rules import LEVEL_ORDER, WarningRules

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def outcomes(rules: WarningRules) -> tuple[str, ...]:
    """The levels a plan can decide, low to high: ``none``, ``advisory`` (if any), its levels."""
    advisory = ("advisory",) if rules.advisory else ()
    return ("none", *advisory, *rules.level_names)


def decided_ranks(rules: WarningRules, trajectories: FloatArray) -> IntArray:
    """Rank (:data:`~hazeguard.warnings.rules.LEVEL_ORDER`) the plan gives each prefix.

    Parameters
    ----------
    trajectories
        Daily AQI, shape (..., days); NaN never exceeds a threshold. [index]

    Returns
    -------
    numpy.ndarray
        Shape (..., days): entry *d* is the rank decided from days 1 … *d* + 1.
    """
    values = np.asarray(trajectories, dtype=np.float64)
    flat = values.reshape(-1, values.shape[-1])
    ranks = np.zeros(flat.shape, dtype=np.int64)
    for day in range(flat.shape[1]):
        prefix = np.ascontiguousarray(flat[:, : day + 1])
        found = assess(rules, Series(prefix, (), 1), np.zeros(prefix.shape, dtype=bool))
        ranks[:, day] = found.forecast_rank
    return ranks.reshape(values.shape)


def rank_shares(ranks: IntArray, names: tuple[str, ...]) -> FloatArray:
    """Share of samples (second-to-last axis) at each outcome (last axis of the result).

    ``ranks`` has shape (..., samples, days); the result (..., days, len(names)).
    """
    codes = np.array([LEVEL_ORDER.index(name) for name in names])
    hits = ranks[..., None] == codes
    shares: FloatArray = hits.mean(axis=-3)
    return shares


def observed_ranks(rules: WarningRules, observed: FloatArray) -> FloatArray:
    """The rank the plan gives each prefix of observed days, as the forecast's probabilities are
    cumulative over the days: entry *d* is decided from days 1 … *d* + 1 by the warning engine.

    Parameters
    ----------
    observed
        Observed daily AQI, shape (..., days); NaN where unknown. [index]

    Returns
    -------
    numpy.ndarray
        Shape (..., days), float; NaN from the first unknown day of the prefix on.
    """
    values = np.asarray(observed, dtype=np.float64)
    ranks = decided_ranks(rules, np.nan_to_num(values, nan=0.0)).astype(np.float64)
    unknown = np.cumsum(np.isnan(values), axis=-1) > 0
    result: FloatArray = np.where(unknown, np.nan, ranks)
    return result


def one_hot(ranks: npt.ArrayLike, names: tuple[str, ...]) -> FloatArray:
    """Shape (*ranks.shape, len(names)): 1.0 at the outcome of each rank, 0.0 elsewhere; rows of
    NaN where the rank is unknown (NaN)."""
    values = np.asarray(ranks, dtype=np.float64)
    codes = np.array([LEVEL_ORDER.index(name) for name in names], dtype=np.float64)
    result: FloatArray = (values[..., None] == codes).astype(np.float64)
    result[np.isnan(values)] = np.nan
    return result


def level_probabilities(rules: WarningRules, trajectories: FloatArray) -> FloatArray:
    """P(each outcome of :func:`outcomes`) per forecast day, cumulative over the days.

    Parameters
    ----------
    trajectories
        Sampled daily AQI, shape (..., samples, days). [index]

    Returns
    -------
    numpy.ndarray
        Shape (..., days, outcomes); each row sums to 1.
    """
    return rank_shares(decided_ranks(rules, trajectories), outcomes(rules))
