"""Scores of daily AQI forecasts against observations.

* MAE and RMSE of the daily AQI. [index]
* Category accuracy: share of days whose forecast AQI falls in the observed AQI category
  (HJ 633-2012 Table 2: 0-50, 51-100, 101-150, 151-200, 201-300, > 300). [-]
* POD, FAR and CSI of heavy-pollution days (AQI > 200, GLOSSARY.md), from the contingency table
  of hits *a*, false alarms *b* and misses *c*: POD = a / (a + c), FAR = b / (a + b),
  CSI = a / (a + b + c) (Wilks, *Statistical Methods in the Atmospheric Sciences*, §9.2). [-]
* Brier score of the plan's levels: the multi-category form, the mean over forecasts of
  Σₖ (pₖ − oₖ)² over the outcomes (0 perfect, 2 worst; Brier 1950); and of each level alone,
  the mean of (p − o)² (0 perfect, 1 worst; Wilks §9.4.2). [-]
* Reliability table of one level: per probability tenth, the forecasts in it, their mean
  probability and how often the level was observed (Wilks §9.4.4). [-]

A score that cannot be computed (no heavy day forecast or observed, no pair) is NaN.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from hazeguard.aqi.levels import level_of

FloatArray = npt.NDArray[np.float64]
HEAVY_ABOVE: Final = 200.0  # GLOSSARY.md: heavy pollution = daily AQI > 200
RELIABILITY_BINS: Final = 10


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 else float("nan")


def point_scores(forecast: FloatArray, observed: FloatArray) -> dict[str, float]:
    """MAE, RMSE, category accuracy, POD, FAR and CSI over the pairs where both are known."""
    both = np.isfinite(forecast) & np.isfinite(observed)
    f, o = np.round(forecast[both]), observed[both]
    if f.size == 0:
        nan = float("nan")
        return dict.fromkeys(("mae", "rmse", "category_accuracy", "pod", "far", "csi"), nan)
    error = f - o
    predicted, happened = f > HEAVY_ABOVE, o > HEAVY_ABOVE
    hits = float(np.sum(predicted & happened))
    false_alarms = float(np.sum(predicted & ~happened))
    misses = float(np.sum(~predicted & happened))
    return {
        "mae": float(np.mean(np.abs(error))),
        "rmse": float(np.sqrt(np.mean(error**2))),
        "category_accuracy": float(np.mean(level_of(f) == level_of(o))),
        "pod": _ratio(hits, hits + misses),
        "far": _ratio(false_alarms, hits + false_alarms),
        "csi": _ratio(hits, hits + misses + false_alarms),
    }


def brier(probabilities: FloatArray, observed: FloatArray) -> float:
    """Multi-category Brier score; rows with any NaN are left out.

    Parameters
    ----------
    probabilities
        Shape (forecasts, outcomes), rows summing to 1. [-]
    observed
        One-hot outcomes, same shape. [-]
    """
    known = np.isfinite(probabilities).all(axis=1) & np.isfinite(observed).all(axis=1)
    if not known.any():
        return float("nan")
    return float(np.mean(np.sum((probabilities[known] - observed[known]) ** 2, axis=1)))


def outcome_brier(probabilities: FloatArray, happened: FloatArray) -> float:
    """Brier score of one outcome: the mean of (p − o)² over the forecasts where both are known;
    the arguments are those of :func:`reliability`. [-]"""
    known = np.isfinite(probabilities) & np.isfinite(happened)
    if not known.any():
        return float("nan")
    return float(np.mean((probabilities[known] - happened[known]) ** 2))


def reliability(probabilities: FloatArray, happened: FloatArray) -> list[dict[str, float]]:
    """Reliability table of one outcome: per probability bin (tenths), count, mean forecast
    probability and observed frequency; empty bins are left out.

    Parameters
    ----------
    probabilities
        Forecast probabilities of the outcome. [-]
    happened
        1.0 where it happened, 0.0 where not, NaN where unknown.
    """
    known = np.isfinite(probabilities) & np.isfinite(happened)
    p, o = probabilities[known], happened[known]
    bins = np.minimum((p * RELIABILITY_BINS).astype(int), RELIABILITY_BINS - 1)
    rows = []
    for k in range(RELIABILITY_BINS):
        inside = bins == k
        if inside.any():
            rows.append(
                {
                    "from": k / RELIABILITY_BINS,
                    "to": (k + 1) / RELIABILITY_BINS,
                    "count": float(inside.sum()),
                    "forecast": float(p[inside].mean()),
                    "observed": float(o[inside].mean()),
                }
            )
    return rows
