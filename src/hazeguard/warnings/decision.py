"""The decision: from a plan, a forecast and what is in force, the warning to issue and why.

>>> from hazeguard.warnings import decide, daily
>>> forecast = daily("2016-12-16", [320, 350, 380, 260])
>>> decision = decide(plan, forecast, at=datetime(2016, 12, 15, 15))  # doctest: +SKIP
>>> decision.level, decision.response, decision.action  # doctest: +SKIP
('red', 'I', 'issue')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from hazeguard.warnings.assess import assess
from hazeguard.warnings.criteria import BoolArray, Series
from hazeguard.warnings.dust import DustPeriod, exclude_dust
from hazeguard.warnings.episodes import steps_for
from hazeguard.warnings.explain import (
    DecisionContext,
    applied_rules,
    earliest_start,
    expected_end,
    matched,
)
from hazeguard.warnings.forecast import Forecast
from hazeguard.warnings.lifecycle import Step, next_step
from hazeguard.warnings.regional import regional_forecast
from hazeguard.warnings.results import (
    AppliedRule,
    Decision,
    MatchedCriterion,
    WarningInForce,
)
from hazeguard.warnings.rules import LEVEL_ORDER, Level, WarningRules, rank

if TYPE_CHECKING:
    from hazeguard.plans import Plan


def as_rules(plan: Plan | WarningRules) -> WarningRules:
    """The warning rules of a plan (a :class:`WarningRules` passes through unchanged)."""
    if isinstance(plan, WarningRules):
        return plan
    from hazeguard.warnings.adapter import rules_from_plan

    return rules_from_plan(plan)


def decide(
    plan: Plan | WarningRules,
    forecast: Forecast | Mapping[str, Forecast],
    *,
    at: datetime,
    regional_floor: str | None = None,
    current: WarningInForce | str | None = None,
    observed: Forecast | Mapping[str, Forecast] | None = None,
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
        Observed recent values up to ``at``, same kind (daily/hourly) as the forecast (county
        observations, as a mapping, for a regional plan).
    """
    rules = as_rules(plan)
    groups: tuple[tuple[str, ...], ...] = ()
    if isinstance(forecast, Mapping):
        forecast, groups = regional_forecast(rules, forecast)
        if isinstance(observed, Mapping):
            observed, _ = regional_forecast(rules, observed)
    elif rules.min_contiguous_counties is not None or isinstance(observed, Mapping):
        raise ValueError(
            f"plan {rules.plan_id}: a plan with a regional trigger takes county forecasts "
            "(a mapping); other plans take one forecast, and observations of the same kind"
        )
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
    context = DecisionContext(rules, forecast, series, found, observed, observed_series, groups, at)
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


def _explain(
    ctx: DecisionContext,
    step: Step,
    in_force: WarningInForce | None,
    regional_floor: str | None,
    dust: tuple[DustPeriod, ...],
) -> Decision:
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
    if step.action == "lift" and rules.lift_approver is not None:
        return rules.lift_approver
    if step.action in ("downgrade", "lift") and in_force is not None:
        return rules.level(in_force.level).approver or None
    return None


__all__ = [
    "AppliedRule",
    "Decision",
    "MatchedCriterion",
    "WarningInForce",
    "as_rules",
    "decide",
]
