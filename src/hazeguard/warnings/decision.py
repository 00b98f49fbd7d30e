"""The decision: from a plan, a forecast and what is in force, the warning to issue and why.

>>> from hazeguard.warnings import decide, daily
>>> forecast = daily("2016-12-16", [320, 350, 380, 260])
>>> decision = decide(plan, forecast, at=datetime(2016, 12, 15, 15))  # doctest: +SKIP
>>> decision.level, decision.response, decision.action  # doctest: +SKIP
('red', 'I', 'issue')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from hazeguard.warnings.assess import Assessment, assess
from hazeguard.warnings.criteria import BoolArray, Match, Series, evaluate
from hazeguard.warnings.dust import DustPeriod, exclude_dust
from hazeguard.warnings.episodes import steps_for
from hazeguard.warnings.forecast import Forecast
from hazeguard.warnings.lifecycle import Action, Step, next_step
from hazeguard.warnings.regional import regional_forecast
from hazeguard.warnings.rules import LEVEL_ORDER, Level, MeasureRef, WarningRules, rank

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class WarningInForce:
    """The warning currently in force locally.

    Parameters
    ----------
    level
        ``blue``, ``yellow``, ``orange`` or ``red``.
    start
        When it took effect (None when unknown).
    """

    level: str
    start: datetime | None = None


@dataclass(frozen=True)
class MatchedCriterion:
    """One criterion that matched, with where and why.

    Parameters
    ----------
    level
        The level (or ``advisory``) the criterion belongs to.
    description
        The criterion in words, e.g. ``AQI > 200 for 2 days``.
    clause
        Seed file and section it comes from.
    periods
        The matched dates (daily) or window end hours (hourly), ISO text.
    source
        ``forecast``, ``observed+forecast`` or ``regional floor``.
    counties
        For regional criteria: the contiguous counties whose mean met it on each matched period.
    """

    level: str
    description: str
    clause: str
    periods: tuple[str, ...]
    source: str = "forecast"
    counties: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        result: dict[str, Any] = {
            "level": self.level,
            "criterion": self.description,
            "clause": self.clause,
            "periods": list(self.periods),
            "source": self.source,
        }
        if self.counties:
            result["counties"] = [list(group) for group in self.counties]
        return result


@dataclass(frozen=True)
class AppliedRule:
    """A lifecycle rule the decision used (lead time, lifting, merging, upgrade, floor, dust)."""

    rule: str
    clause: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready form."""
        return {"rule": self.rule, "clause": self.clause, "detail": self.detail}


@dataclass(frozen=True)
class Decision:
    """What to do, and why. Every field is plain data; :meth:`to_dict` gives JSON.

    Parameters
    ----------
    plan_id
        The plan decided under.
    at
        When the decision was taken (local time).
    level
        ``none``, ``advisory``, ``blue``, ``yellow``, ``orange`` or ``red``.
    response
        ``III``, ``II``, ``I`` (``IV`` for an old blue level) or None.
    action
        ``none``, ``issue``, ``upgrade``, ``downgrade``, ``lift`` or ``keep``.
    criteria
        The criteria that matched for ``level``, with clause and matched periods.
    earliest_start
        Earliest time the warning (or the lifting) may take effect, given the lead time; None for
        ``none`` and ``keep``.
    expected_end
        End of the forecast episode (None when nothing is forecast).
    approver
        Who approves the action (None when nothing is issued).
    measures
        The measures that take effect at ``level``.
    dust_excluded
        Forecast rows left out as dust, each with ``flag`` or ``inferred``.
    rules
        Lifecycle rules applied, each with its clause.
    """

    plan_id: str
    at: datetime
    level: str
    response: str | None
    action: Action
    criteria: tuple[MatchedCriterion, ...]
    earliest_start: datetime | None
    expected_end: datetime | None
    approver: str | None
    measures: tuple[MeasureRef, ...]
    dust_excluded: tuple[DustPeriod, ...] = ()
    rules: tuple[AppliedRule, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (times as ISO text)."""
        return {
            "plan": self.plan_id,
            "at": self.at.isoformat(timespec="minutes"),
            "level": self.level,
            "response": self.response,
            "action": self.action,
            "criteria": [c.to_dict() for c in self.criteria],
            "earliest_start": _iso(self.earliest_start),
            "expected_end": _iso(self.expected_end),
            "approver": self.approver,
            "measures": [m.to_dict() for m in self.measures],
            "dust_excluded": [d.to_dict() for d in self.dust_excluded],
            "rules": [r.to_dict() for r in self.rules],
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="minutes")


def as_rules(plan: object) -> WarningRules:
    """The warning rules of a plan (a :class:`WarningRules` passes through unchanged)."""
    if isinstance(plan, WarningRules):
        return plan
    from hazeguard.warnings.adapter import rules_from_plan

    return rules_from_plan(plan)


def decide(
    plan: object,
    forecast: Forecast | Mapping[str, Forecast],
    *,
    at: datetime,
    regional_floor: str | None = None,
    current: WarningInForce | str | None = None,
    observed: Forecast | None = None,
) -> Decision:
    """Decide the warning for one jurisdiction.

    Parameters
    ----------
    plan
        A :class:`hazeguard.plans.Plan` or :class:`~hazeguard.warnings.rules.WarningRules`.
    forecast
        The forecast from ``at`` on: daily or hourly. For a plan with a regional (contiguous
        counties) trigger, a mapping of county code to county forecast.
    at
        When the decision is taken (local time).
    regional_floor
        Level of a warning in force from a higher jurisdiction: the result is not lower.
    current
        The warning in force locally (a level name is enough).
    observed
        Observed recent values up to ``at``, same kind (daily/hourly) as the forecast.
    """
    rules = as_rules(plan)
    groups: tuple[tuple[str, ...], ...] = ()
    if isinstance(forecast, Mapping):
        forecast, groups = regional_forecast(rules, forecast)
    elif rules.min_contiguous_counties is not None:
        raise ValueError(f"plan {rules.plan_id} decides from county forecasts: pass a mapping")
    if len(forecast) == 0:
        raise ValueError("the forecast has no rows")
    in_force = WarningInForce(current) if isinstance(current, str) else current
    values, dust = exclude_dust(
        forecast, forecast.aqi(rules.range_bound), rules.dust_ratio, rules.pollution_threshold
    )
    excluded = _excluded_mask(forecast, dust)
    series = Series(values, forecast.primary, forecast.stride)
    observed_series, observed_excluded = None, None
    if observed is not None:
        observed_values, observed_dust = exclude_dust(
            observed, observed.aqi(rules.range_bound), rules.dust_ratio, rules.pollution_threshold
        )
        observed_series = Series(observed_values, observed.primary, observed.stride)
        observed_excluded = _excluded_mask(observed, observed_dust)
    found = assess(rules, series, excluded, observed_series, observed_excluded)
    floor = _floor_rank(rules, regional_floor)
    gap = steps_for(rules.lifting_hours, forecast.step_hours())
    step = next_step(
        current=rank(in_force.level) if in_force else 0,
        forecast=int(found.forecast_rank),
        observed=int(found.observed_rank),
        floor=floor,
        lowest=rank(rules.levels[0].name),
        leading_quiet=int(found.leading_quiet),
        horizon=len(forecast),
        gap=gap,
    )
    context = _Context(rules, forecast, series, found, observed, observed_series, groups, at)
    return _explain(context, step, in_force, regional_floor, dust)


def _excluded_mask(forecast: Forecast, dust: tuple[DustPeriod, ...]) -> BoolArray:
    labels = {d.label for d in dust}
    return np.array([forecast.label(i) in labels for i in range(len(forecast))], dtype=bool)


def _floor_rank(rules: WarningRules, regional_floor: str | None) -> int:
    """The plan level a higher jurisdiction's warning imposes.

    "不低于区域预警级别" (seed 001 §3.4): the lowest plan level at or above the regional one.
    """
    if regional_floor is None or regional_floor == "none":
        return 0
    wanted = rank(regional_floor)
    for level in rules.levels:
        if rank(level.name) >= wanted:
            return rank(level.name)
    return rank(rules.levels[-1].name)


@dataclass(frozen=True, eq=False)
class _Context:
    rules: WarningRules
    forecast: Forecast
    series: Series
    found: Assessment
    observed: Forecast | None
    observed_series: Series | None
    groups: tuple[tuple[str, ...], ...]
    at: datetime


def _explain(
    ctx: _Context,
    step: Step,
    in_force: WarningInForce | None,
    regional_floor: str | None,
    dust: tuple[DustPeriod, ...],
) -> Decision:
    from hazeguard.warnings.explain import applied_rules, earliest_start, expected_end, matched

    level: Level | None = None
    if step.rank >= rank(ctx.rules.levels[0].name):
        level = ctx.rules.level(LEVEL_ORDER[step.rank])
    criteria = matched(ctx, step, regional_floor)
    return Decision(
        plan_id=ctx.rules.plan_id,
        at=ctx.at,
        level=step.level,
        response=level.response if level else None,
        action=step.action,
        criteria=criteria,
        earliest_start=earliest_start(ctx, step),
        expected_end=expected_end(ctx, step),
        approver=_approver(ctx.rules, step, level, in_force),
        measures=level.measures if level else (),
        dust_excluded=dust,
        rules=applied_rules(ctx, step, in_force, dust),
    )


def _approver(
    rules: WarningRules, step: Step, level: Level | None, in_force: WarningInForce | None
) -> str | None:
    """Who approves: the level's approver to issue or upgrade; the approver of the level in force
    to downgrade or lift ("各级别的预警按照发布程序予以解除", seed 003 §3.3.2)."""
    if step.action in ("issue", "upgrade") and level is not None:
        return level.approver or None
    if step.action in ("downgrade", "lift") and in_force is not None:
        return rules.level(in_force.level).approver or None
    return None


__all__ = [
    "AppliedRule",
    "Decision",
    "Match",
    "MatchedCriterion",
    "WarningInForce",
    "decide",
    "evaluate",
]
