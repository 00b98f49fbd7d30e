"""Each source's verification over the season (001 §6.7, accuracy tracking): the CLI's scores
(:func:`hazeguard.forecast.metrics.point_scores`: MAE, RMSE, category accuracy, POD, FAR and CSI
of AQI > 200) of every provider's stored forecasts against the observed city days the platform
holds, per lead day, beside persistence computed on the same days.

Lead day *k* is the target day minus the day of issue (0: the day of issue itself). A source
that issued several forecasts on one day is scored on the last of them. The point forecast is the
median where the source gives one (the model), else the middle of its range. Persistence forecasts
every day as the last observed day before the issue (the day before it).

Where the jurisdiction has a plan, each source is also scored on the plan's levels: Brier score
and reliability table per level, multi-category Brier per lead day
(:mod:`hazeguard_platform.forecasts.level_scores`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.forecasts.level_scores import (
    LevelPairs,
    LevelScore,
    add_forecast,
    add_persistence,
    brier_by_lead,
    level_scores,
    plan_rules,
)
from hazeguard_platform.forecasts.models import Forecast, ForecastDay, Provider
from hazeguard_platform.forecasts.sources import PROVIDER_ORDER
from hazeguard_platform.jurisdictions.models import Jurisdiction

if TYPE_CHECKING:
    from hazeguard.warnings.rules import WarningRules

LEAD_DAYS = tuple(range(7))
SCORES = ("mae", "rmse", "category_accuracy", "pod", "far", "csi")
PERSISTENCE = "persistence"
PERSISTENCE_LABEL = _("Persistence (the day before the issue)")


@dataclass(frozen=True)
class SourceScores:
    """One source's scores per lead day (``None`` where it cannot be computed); with a plan,
    its level scores and whether it gave probabilities (else it is scored as 0 or 1)."""

    source: str
    label: str
    forecasts: int
    leads: list[dict[str, Any]]
    levels: list[LevelScore] = field(default_factory=list)
    probabilistic: bool = False
    plan_title: str = ""


def season_start(today: date) -> date:
    """The first day of the current heating season (1 October of this or last year)."""
    year = today.year if today.month >= 10 else today.year - 1
    return date(year, 10, 1)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)


def _pairs_by_lead(
    days: list[ForecastDay], issue_day: date, observed: dict[date, int]
) -> dict[int, tuple[float, float]]:
    pairs = {}
    for day in days:
        lead = (day.day - issue_day).days
        if lead in LEAD_DAYS and day.day in observed:
            pairs[lead] = (day.aqi_point, float(observed[day.day]))
    return pairs


def verification(jurisdiction: Jurisdiction, start: date, end: date) -> list[SourceScores]:
    """Every provider with forecasts issued from ``start`` to ``end`` (China dates), then
    persistence on the target days of all of them."""
    from hazeguard_platform.monitoring.models import CityDay

    observed: dict[date, int] = {
        day: aqi
        for day, aqi in CityDay.objects.filter(
            jurisdiction=jurisdiction,
            day__gte=start - timedelta(days=1),
            day__lte=end + timedelta(days=max(LEAD_DAYS)),
            aqi__isnull=False,
        ).values_list("day", "aqi")
        if aqi is not None
    }
    forecasts = (
        Forecast.objects.filter(jurisdiction=jurisdiction)
        .prefetch_related("days")
        .order_by("issued_at", "id")
    )
    last_of_day: dict[tuple[str, date], Forecast] = {}
    for forecast in forecasts:
        issue_day = timezone.localdate(forecast.issued_at)
        if start <= issue_day <= end:
            last_of_day[(forecast.provider, issue_day)] = forecast
    plan = plan_rules(jurisdiction)
    rules = plan[0] if plan else None
    results = []
    targets: dict[int, set[tuple[date, date]]] = {lead: set() for lead in LEAD_DAYS}
    for provider in PROVIDER_ORDER:
        chosen = [(d, f) for (p, d), f in last_of_day.items() if p == provider]
        if not chosen:
            continue
        by_lead: dict[int, list[tuple[float, float]]] = {lead: [] for lead in LEAD_DAYS}
        levels = LevelPairs()
        for issue_day, forecast in chosen:
            days = list(forecast.days.all())
            for lead, pair in _pairs_by_lead(days, issue_day, observed).items():
                by_lead[lead].append(pair)
                targets[lead].add((issue_day, issue_day + timedelta(days=lead)))
            if rules is not None:
                add_forecast(
                    levels, rules, issue_day, days, forecast.probabilities, observed, LEAD_DAYS
                )
        results.append(
            _source(provider, str(Provider(provider).label), len(chosen), by_lead, levels, plan)
        )
    if results:
        persistence: dict[int, list[tuple[float, float]]] = {lead: [] for lead in LEAD_DAYS}
        for lead, pairs in targets.items():
            for issue_day, target in sorted(pairs):
                before = observed.get(issue_day - timedelta(days=1))
                if before is not None and target in observed:
                    persistence[lead].append((float(before), float(observed[target])))
        issues = sorted({issue for pairs in targets.values() for issue, _ in pairs})
        levels = LevelPairs()
        for issue_day in issues:
            before = observed.get(issue_day - timedelta(days=1))
            leads = [lead for lead in LEAD_DAYS if any(i == issue_day for i, _ in targets[lead])]
            if rules is not None and before is not None:
                add_persistence(levels, rules, issue_day, float(before), observed, leads)
        results.append(
            _source(PERSISTENCE, str(PERSISTENCE_LABEL), len(issues), persistence, levels, plan)
        )
    return results


def _source(
    source: str,
    label: str,
    forecasts: int,
    by_lead: dict[int, list[tuple[float, float]]],
    levels: LevelPairs,
    plan: tuple[WarningRules, str] | None,
) -> SourceScores:
    import numpy as np

    from hazeguard.forecast.metrics import point_scores

    leads = [_scores(lead, by_lead[lead], point_scores, np) for lead in LEAD_DAYS]
    if plan is None:
        return SourceScores(source=source, label=label, forecasts=forecasts, leads=leads)
    rules, title = plan
    for lead in leads:
        lead["brier"] = brier_by_lead(levels, lead["lead"])
    return SourceScores(
        source=source,
        label=label,
        forecasts=forecasts,
        leads=leads,
        levels=level_scores(levels, rules),
        probabilistic=levels.probabilistic,
        plan_title=title,
    )


def _scores(
    lead: int, pairs: list[tuple[float, float]], point_scores: Any, np: Any
) -> dict[str, Any]:
    forecast = np.array([f for f, _ in pairs], dtype=np.float64)
    observed = np.array([o for _, o in pairs], dtype=np.float64)
    scores = point_scores(forecast, observed)
    return {"lead": lead, "pairs": len(pairs), **{k: _finite(scores[k]) for k in SCORES}}


def chart_data(results: list[SourceScores]) -> dict[str, Any]:
    """What the page's chart draws: MAE per lead day of each source. [index]"""
    return {
        "leads": list(LEAD_DAYS),
        "series": [
            {"name": r.label, "source": r.source, "mae": [lead["mae"] for lead in r.leads]}
            for r in results
        ],
    }
