"""Rolling-origin backtest of the forecast against history, beside two baselines.

For every issue day ``o`` from ``start`` to ``end`` the model forecasts ``o + 1`` … ``o + 7``
from the AQI observed up to ``o``. The model is retrained on the first day of each month, on the
days before it only (targets and inputs alike), so no forecast has seen its own future. Beside it,
in the same run:

* **persistence**: every forecast day = the issue day's AQI;
* **climatology**: the median AQI of the same calendar fortnight (target day ± 7 days) in the
  earlier years of the history; for the plan's levels, the share of those earlier issue days whose
  observed days met each level.

With weather, the *observed* weather of the target days stands in for the weather forecast
("perfect prognosis"): the scores are those of a model fed a perfect weather forecast, an upper
bound of what a real weather forecast allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.forecast.features import DAY
from hazeguard.forecast.metrics import brier, outcome_brier, point_scores, reliability
from hazeguard.forecast.model import MAX_LEAD, ModelSettings, train
from hazeguard.forecast.predict import quantiles, trajectories
from hazeguard.forecast.probability import (
    decided_ranks,
    observed_ranks,
    one_hot,
    outcomes,
    rank_shares,
)
from hazeguard.warnings.rules import WarningRules

FloatArray = npt.NDArray[np.float64]
METHODS = ("model", "persistence", "climatology")
#: Half-width of the climatology's calendar window. [days]
FORTNIGHT_HALF = 7
#: Earlier years only: climatology days lie at least this long before the target day. [days]
EARLIER_YEARS = 350


@dataclass(frozen=True)
class Verification:
    """What a backtest found; :meth:`to_dict` is the ``--json`` document.

    Parameters
    ----------
    scores
        lead day → method → score name → value (``brier`` only with a plan).
    reliability
        level → the model's reliability table (:func:`hazeguard.forecast.metrics.reliability`),
        pooled over the lead days.
    level_brier
        method → level → Brier score of that level alone
        (:func:`hazeguard.forecast.metrics.outcome_brier`), pooled over the lead days.
    issues
        Issue days scored.
    retrained
        The days the model was retrained on (each uses the days before it).
    uses_weather, plan_id, start, end
        The run's settings.
    """

    scores: dict[int, dict[str, dict[str, float]]]
    reliability: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    level_brier: dict[str, dict[str, float]] = field(default_factory=dict)
    issues: int = 0
    retrained: tuple[pd.Timestamp, ...] = ()
    uses_weather: bool = False
    plan_id: str = ""
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``lead_days`` → ``{model, persistence, climatology}`` → scores."""
        return {
            "lead_days": {
                str(lead): {
                    method: {name: _json(value) for name, value in values.items()}
                    for method, values in methods.items()
                }
                for lead, methods in self.scores.items()
            },
            "reliability": self.reliability,
            "level_brier": {
                method: {level: _json(value) for level, value in levels.items()}
                for method, levels in self.level_brier.items()
            },
            "plan": self.plan_id or None,
            "weather": self.uses_weather,
            "start": None if self.start is None else f"{self.start:%Y-%m-%d}",
            "end": None if self.end is None else f"{self.end:%Y-%m-%d}",
            "issue_days": self.issues,
            "retrained": [f"{day:%Y-%m-%d}" for day in self.retrained],
        }


def _json(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 4)


def verify(
    history: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    weather: pd.DataFrame | None = None,
    rules: WarningRules | None = None,
    settings: ModelSettings | None = None,
    samples: int = 500,
    seed: int = 0,
    on_retrain: Callable[[pd.Timestamp], None] | None = None,
) -> Verification:
    """Backtest the forecast for issue days ``start`` … ``end`` (see the module docstring).

    Parameters
    ----------
    history
        Daily history (:func:`hazeguard.io.daily.read_daily_history`) covering the training years
        and the test period with 7 days after it.
    weather
        Daily weather of the same days (observed: perfect prognosis), or None.
    rules
        A plan's warning rules: adds the Brier score and the reliability table of its levels.
    samples
        Trajectories per issue day for the level probabilities.
    on_retrain
        Called with each retraining day (progress).
    """
    chosen = settings or ModelSettings()
    leads = chosen.leads
    aqi = history["aqi"]
    issue_days = pd.date_range(start, end, freq="D")
    issue_days = issue_days[np.isfinite(aqi.reindex(issue_days).to_numpy())]
    if issue_days.empty:
        raise ValueError(f"no observed AQI between {start:%Y-%m-%d} and {end:%Y-%m-%d}")
    observed = _windows(aqi, issue_days, leads)
    median = np.full(observed.shape, np.nan)
    names = outcomes(rules) if rules is not None else ()
    probabilities = np.full((len(issue_days), leads, len(names)), np.nan)
    rng = np.random.default_rng(seed)
    months = issue_days.to_period("M")
    retrained = []
    for month in months.unique():
        first = month.start_time
        retrained.append(first)
        if on_retrain is not None:
            on_retrain(first)
        model = train(history, weather, before=first, settings=chosen)
        inside = np.flatnonzero(months == month)
        band = quantiles(model, history, issue_days[inside], weather)
        median[inside] = band.median
        if rules is not None:
            sampled = trajectories(model.correlation, band, samples, rng, leads)
            probabilities[inside] = rank_shares(decided_ranks(rules, sampled), names)
    persistence = np.repeat(aqi.reindex(issue_days).to_numpy()[:, None], leads, axis=1)
    climatology = _climatology(aqi, issue_days, leads)
    forecasts = {"model": median, "persistence": persistence, "climatology": climatology}
    scores = {
        lead + 1: {m: point_scores(forecasts[m][:, lead], observed[:, lead]) for m in METHODS}
        for lead in range(leads)
    }
    table: dict[str, list[dict[str, float]]] = {}
    level_brier: dict[str, dict[str, float]] = {}
    if rules is not None:
        happened = one_hot(observed_ranks(rules, observed), names)
        others = {
            "model": probabilities,
            "persistence": one_hot(decided_ranks(rules, persistence), names),
            "climatology": _climatology_levels(rules, aqi, issue_days, leads, names),
        }
        for lead in range(leads):
            for method in METHODS:
                scores[lead + 1][method]["brier"] = brier(
                    others[method][:, lead], happened[:, lead]
                )
        levels = [(position, name) for position, name in enumerate(names) if name != "none"]
        for position, name in levels:
            table[name] = reliability(
                probabilities[..., position].ravel(), happened[..., position].ravel()
            )
        for method in METHODS:
            level_brier[method] = {
                name: outcome_brier(
                    others[method][..., position].ravel(), happened[..., position].ravel()
                )
                for position, name in levels
            }
    return Verification(
        scores=scores,
        reliability=table,
        level_brier=level_brier,
        issues=len(issue_days),
        retrained=tuple(retrained),
        uses_weather=weather is not None,
        plan_id=rules.plan_id if rules is not None else "",
        start=pd.Timestamp(start),
        end=pd.Timestamp(end),
    )


def _windows(aqi: pd.Series, issue_days: pd.DatetimeIndex, leads: int) -> FloatArray:
    """Observed AQI of the days after each issue day, shape (issue days, leads). [index]"""
    columns = [aqi.reindex(issue_days + (k + 1) * DAY).to_numpy() for k in range(leads)]
    return np.column_stack(columns).astype(np.float64)


def _same_fortnight(days: pd.DatetimeIndex, targets: pd.DatetimeIndex) -> npt.NDArray[np.bool_]:
    """Shape (targets, days): the day lies in the target's calendar fortnight, in earlier years."""
    day_of_year = days.day_of_year.to_numpy()
    target_day = targets.day_of_year.to_numpy()
    distance = np.abs(day_of_year[None, :] - target_day[:, None])
    distance = np.minimum(distance, 365 - distance)
    earlier = days.to_numpy()[None, :] <= (targets - EARLIER_YEARS * DAY).to_numpy()[:, None]
    return np.asarray((distance <= FORTNIGHT_HALF) & earlier)


def _climatology(aqi: pd.Series, issue_days: pd.DatetimeIndex, leads: int) -> FloatArray:
    """Median AQI of the target's calendar fortnight in earlier years. [index]"""
    known = aqi.dropna()
    values = known.to_numpy()
    result = np.full((len(issue_days), leads), np.nan)
    for lead in range(leads):
        targets = issue_days + (lead + 1) * DAY
        mask = _same_fortnight(pd.DatetimeIndex(known.index), targets)
        chosen = np.where(mask, values[None, :], np.nan)
        counts = mask.sum(axis=1)
        with np.errstate(all="ignore"):
            medians = np.nanmedian(np.where(counts[:, None] > 0, chosen, 0.0), axis=1)
        result[:, lead] = np.where(counts > 0, medians, np.nan)
    return result


def _climatology_levels(
    rules: WarningRules,
    aqi: pd.Series,
    issue_days: pd.DatetimeIndex,
    leads: int,
    names: tuple[str, ...],
) -> FloatArray:
    """P(outcome) = share of earlier issue days in the same fortnight that met it."""
    all_days = pd.DatetimeIndex(aqi.index)
    ranks = observed_ranks(rules, _windows(aqi, all_days, leads))
    happened = one_hot(ranks, names)
    mask = _same_fortnight(all_days, issue_days)
    result = np.full((len(issue_days), leads, len(names)), np.nan)
    for lead in range(leads):
        known = ~np.isnan(ranks[:, lead])
        weights = (mask & known[None, :]).astype(np.float64)
        counts = weights.sum(axis=1)
        shares = weights @ np.nan_to_num(happened[:, lead, :])
        with np.errstate(all="ignore"):
            result[:, lead, :] = np.where(counts[:, None] > 0, shares / counts[:, None], np.nan)
    return result


__all__ = ["MAX_LEAD", "Verification", "verify"]
