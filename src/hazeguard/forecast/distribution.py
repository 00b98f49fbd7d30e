"""From three quantiles per day to joint trajectories over the forecast days.

Per lead day the model gives the 10 %, 50 % and 90 % quantiles of log(AQI). Between and beyond
them the predictive distribution is a *split normal*: a normal of scale
``(q50 − q10) / z90`` below the median and ``(q90 − q50) / z90`` above it (``z90`` = 1.2816,
the 90 % point of the standard normal), which passes exactly through the three quantiles.

Days are not independent: a stagnant spell that makes day 2 worse than forecast usually makes
day 3 worse too. A *Gaussian copula* keeps that: each day's normal score
``z = Φ⁻¹(F(y))`` is drawn jointly from ``N(0, R)``, where ``R`` is the lead-by-lead correlation
of the normal scores of the model's errors on held-out training days.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: The 90 % point of the standard normal distribution, Φ⁻¹(0.9).
Z90: Final = 1.2815515655446004
#: Smallest half-width of a split normal, so that a collapsed band stays a distribution. [log AQI]
MIN_SCALE: Final = 1e-3


def split_scales(
    low: FloatArray, median: FloatArray, high: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Scales below and above the median of the split normal through q10, q50, q90."""
    below = np.maximum((median - low) / Z90, MIN_SCALE)
    above = np.maximum((high - median) / Z90, MIN_SCALE)
    return below, above


def normal_scores(
    values: FloatArray, low: FloatArray, median: FloatArray, high: FloatArray
) -> FloatArray:
    """Φ⁻¹(F(value)) under the split normal of each row: the value's normal score (NaN kept)."""
    below, above = split_scales(low, median, high)
    deviation = values - median
    return np.where(deviation < 0, deviation / below, deviation / above)


def from_scores(
    scores: FloatArray, low: FloatArray, median: FloatArray, high: FloatArray
) -> FloatArray:
    """The values whose normal scores are ``scores``; the inverse of :func:`normal_scores`."""
    below, above = split_scales(low, median, high)
    return median + np.where(scores < 0, scores * below, scores * above)


def correlation(scores: FloatArray) -> FloatArray:
    """Lead-by-lead correlation of normal scores (rows = origins, columns = lead days).

    Pairwise over the rows where both leads are known, shrunk to a valid (positive definite)
    correlation matrix; pairs with fewer than 10 rows count as uncorrelated.
    """
    leads = scores.shape[1]
    matrix = np.eye(leads)
    for i in range(leads):
        for j in range(i + 1, leads):
            both = ~np.isnan(scores[:, i]) & ~np.isnan(scores[:, j])
            if both.sum() >= 10:
                value = float(np.corrcoef(scores[both, i], scores[both, j])[0, 1])
                matrix[i, j] = matrix[j, i] = value if np.isfinite(value) else 0.0
    return nearest_correlation(matrix)


def nearest_correlation(matrix: FloatArray, floor: float = 1e-4) -> FloatArray:
    """A symmetric positive-definite correlation matrix near ``matrix`` (eigenvalues clipped)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    fixed = (vectors * np.maximum(values, floor)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    result: FloatArray = fixed / np.outer(scale, scale)
    return result


def joint_scores(
    correlation_matrix: FloatArray, samples: int, rng: np.random.Generator
) -> FloatArray:
    """``samples`` draws of correlated standard-normal scores, shape (samples, leads).

    A matrix that is not positive definite (e.g. days taken as perfectly correlated) is first
    moved to the nearest one that is (:func:`nearest_correlation`).
    """
    factor = np.linalg.cholesky(nearest_correlation(correlation_matrix))
    draws = rng.standard_normal((samples, correlation_matrix.shape[0]))
    result: FloatArray = draws @ factor.T
    return result
