"""How well each source forecast the plan's levels (issue 11 §2 and §3): per level, the Brier
score and the reliability table of the forecast probability against the level observed, and per
lead day the multi-category Brier score of the CLI (``hazeguard forecast verify``).

The observed level of lead day *k* is the one the core's warning engine gives the observed days
from the forecast's first day to day *k* (:func:`hazeguard.forecast.probability.observed_ranks`),
as the model's probabilities are cumulative over the days. A source that gives no probability
(a person's forecast, persistence) is scored as 0 or 1: the level the engine gives its point
forecasts counts as certain. A model forecast made under a plan with other levels than today's
is left out of these scores. The scores themselves are the core's
(:mod:`hazeguard.forecast.metrics`); nothing is computed here but the arrays they take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from hazeguard.warnings.rules import WarningRules
    from hazeguard_platform.forecasts.models import ForecastDay
    from hazeguard_platform.jurisdictions.models import Jurisdiction

    FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LevelScore:
    """One level of the plan: forecasts scored, Brier score (``None`` when none), and the
    reliability table (rows: ``from``, ``to``, ``count``, ``forecast``, ``observed``)."""

    level: str
    pairs: int
    brier: float | None
    reliability: list[dict[str, float]]


@dataclass
class LevelPairs:
    """One source's forecast and observed outcome rows (shape: outcomes), per lead day."""

    probabilistic: bool = False
    rows: dict[int, list[tuple[FloatArray, FloatArray]]] = field(default_factory=dict)

    def add(self, lead: int, forecast: FloatArray, happened: FloatArray) -> None:
        self.rows.setdefault(lead, []).append((forecast, happened))


def plan_rules(jurisdiction: Jurisdiction) -> tuple[WarningRules, str] | None:
    """The warning rules of the jurisdiction's plan (its own or its city's) and the plan's title
    in the active language, or None without a plan."""
    from hazeguard.warnings.adapter import rules_from_plan
    from hazeguard_platform.core import plan_from_snapshot
    from hazeguard_platform.jurisdictions.selectors import plan_version_for
    from hazeguard_platform.pages import page_language

    version = plan_version_for(jurisdiction)
    if version is None:
        return None
    plan = plan_from_snapshot(version.snapshot)
    english = page_language() == "en" and plan.title_en
    return rules_from_plan(plan), plan.title_en if english else plan.title_zh


def add_forecast(
    pairs: LevelPairs,
    rules: WarningRules,
    issue_day: date,
    days: list[ForecastDay],
    probabilities: dict[str, Any],
    observed: dict[date, int],
    lead_days: tuple[int, ...],
) -> None:
    """Add one stored forecast's days (sorted) to ``pairs``: its probabilities where it gives
    them for the plan's levels, else 0 or 1 from its point forecasts."""
    import numpy as np

    from hazeguard.forecast.probability import outcomes

    names = outcomes(rules)
    if probabilities.get("days"):
        if tuple(probabilities.get("levels", ())) != names:
            return
        pairs.probabilistic = True
        forecast = np.array(probabilities["days"], dtype=np.float64)
    else:
        forecast = _sure(rules, [day.aqi_point for day in days], names)
    seen = np.array([observed.get(day.day, np.nan) for day in days], dtype=np.float64)
    happened = _happened(rules, seen, names)
    for position, day in enumerate(days[: len(forecast)]):
        lead = (day.day - issue_day).days
        if lead in lead_days:
            pairs.add(lead, forecast[position], happened[position])


def add_persistence(
    pairs: LevelPairs,
    rules: WarningRules,
    issue_day: date,
    before: float,
    observed: dict[date, int],
    lead_days: list[int],
) -> None:
    """Add persistence from ``issue_day`` at ``lead_days``: every day at ``before`` (the day
    before's AQI), the prefixes running from the day of issue."""
    from datetime import timedelta

    import numpy as np

    from hazeguard.forecast.probability import outcomes

    names = outcomes(rules)
    window = range(max(lead_days) + 1)
    forecast = _sure(rules, [before] * len(window), names)
    seen = np.array(
        [observed.get(issue_day + timedelta(days=lead), np.nan) for lead in window],
        dtype=np.float64,
    )
    happened = _happened(rules, seen, names)
    for lead in lead_days:
        pairs.add(lead, forecast[lead], happened[lead])


def _sure(rules: WarningRules, points: list[float], names: tuple[str, ...]) -> FloatArray:
    """Probability 1 for the level the engine gives the point forecasts of each prefix."""
    import numpy as np

    from hazeguard.forecast.probability import decided_ranks, one_hot

    return one_hot(decided_ranks(rules, np.array([points], dtype=np.float64))[0], names)


def _happened(rules: WarningRules, seen: FloatArray, names: tuple[str, ...]) -> FloatArray:
    from hazeguard.forecast.probability import observed_ranks, one_hot

    return one_hot(observed_ranks(rules, seen[None, :])[0], names)


def brier_by_lead(pairs: LevelPairs, lead: int) -> float | None:
    """The multi-category Brier score of lead day ``lead`` (0 perfect, 2 worst). [-]"""
    import numpy as np

    from hazeguard.forecast.metrics import brier

    rows = pairs.rows.get(lead, [])
    if not rows:
        return None
    value = brier(np.array([f for f, _ in rows]), np.array([h for _, h in rows]))
    return None if np.isnan(value) else round(value, 3)


def level_scores(pairs: LevelPairs, rules: WarningRules) -> list[LevelScore]:
    """Per level of the plan (low to high, no-warning left out), pooled over the lead days."""
    import numpy as np

    from hazeguard.forecast.metrics import outcome_brier, reliability
    from hazeguard.forecast.probability import outcomes

    rows = [row for lead_rows in pairs.rows.values() for row in lead_rows]
    if not rows:
        return []
    forecast = np.array([f for f, _ in rows])
    happened = np.array([h for _, h in rows])
    scores = []
    for position, name in enumerate(outcomes(rules)):
        if name == "none":
            continue
        p, o = forecast[:, position], happened[:, position]
        known = int((np.isfinite(p) & np.isfinite(o)).sum())
        value = outcome_brier(p, o)
        scores.append(
            LevelScore(
                level=name,
                pairs=known,
                brier=None if np.isnan(value) else round(value, 3),
                reliability=[
                    {key: round(number, 3) for key, number in row.items()}
                    for row in reliability(p, o)
                ],
            )
        )
    return scores
