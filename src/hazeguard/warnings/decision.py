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

from hazeguard.plans.workflow import Chain
from hazeguard.warnings.assess import assess
from hazeguard.warnings.conditions import ConditionInputs, evaluate_measures
from hazeguard.warnings.criteria import BoolArray, Series
from hazeguard.warnings.dust import DustPeriod, exclude_dust, exclude_typhoon
from hazeguard.warnings.episodes import steps_for
from hazeguard.warnings.explain import (
    DecisionContext,
    applied_rules,
    condition_inputs,
    earliest_start,
    expected_end,
    lead_judgement,
    matched,
)
from hazeguard.warnings.forecast import Forecast
from hazeguard.warnings.lifecycle import Action, Step, next_step
from hazeguard.warnings.messages import Message, Param
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
    drill: bool = False,
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
    drill
        An exercise: the decision is made as for real and marked as a drill throughout.
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
    if "typhoon" in rules.excluded:
        values, dust = exclude_typhoon(forecast, values, dust)
    excluded = _excluded_mask(forecast, dust)
    series = Series(values, forecast.primary, forecast.stride)
    observed_series, observed_excluded = None, None
    if observed is not None:
        observed_values, observed_dust = exclude_dust(
            observed, observed.aqi(rules.range_bound), rules.dust_ratio, rules.pollution_threshold
        )
        if "typhoon" in rules.excluded:
            observed_values, observed_dust = exclude_typhoon(
                observed, observed_values, observed_dust
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
    return _explain(context, step, in_force, regional_floor, dust, drill)


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
    drill: bool,
) -> Decision:
    level: Level | None = None
    if step.rank >= rank(ctx.rules.levels[0].name):
        level = ctx.rules.level(LEVEL_ORDER[step.rank])
    criteria = matched(ctx, step, regional_floor)
    start = earliest_start(ctx, step)
    chain = _chain(ctx.rules, step, in_force)
    measures = evaluate_measures(level.measures if level else (), condition_inputs(ctx, start))
    return Decision(
        plan_id=ctx.rules.plan_id,
        at=ctx.at,
        level=step.level,
        response=level.response if level else None,
        action=step.action,
        criteria=criteria,
        earliest_start=start,
        expected_end=expected_end(ctx, step),
        approver=_approver(ctx.rules, step, level, in_force, chain),
        measures=measures,
        dust_excluded=dust,
        rules=applied_rules(ctx, step, in_force, dust),
        chain=chain,
        lead=lead_judgement(ctx, step),
        drill=drill,
    )


def _chain(rules: WarningRules, step: Step, in_force: WarningInForce | None) -> Chain | None:
    """The plan's chain for the step: issuing by the level's own chain, adjusting by the chain of
    the higher of the two levels (003 §3.3.2, 001 §3.7.1), lifting by the lift procedure of the
    level in force; the engine's lifting is the lifting at the forecast end ("按期解除",
    001 §3.7.2)."""
    workflow = rules.workflow
    if workflow is None or step.action in ("none", "keep"):
        return None
    if step.action == "issue":
        return workflow.chain("issue", step.level)
    if in_force is None:
        return None
    if step.action == "lift":
        return workflow.chain("lift", in_force.level, on_schedule=True)
    return workflow.adjust_chain(in_force.level, step.level)


def _approver(
    rules: WarningRules,
    step: Step,
    level: Level | None,
    in_force: WarningInForce | None,
    chain: Chain | None,
) -> str | None:
    """The first role that gives the final approval (the chain's when the plan has one)."""
    if chain is not None:
        return chain.approvers[0] if chain.approvers else None
    if step.action in ("issue", "upgrade") and level is not None:
        return level.approver or None
    if step.action in ("downgrade", "lift") and in_force is not None:
        return rules.level(in_force.level).approver or None
    return None


def decide_on_order(
    plan: Plan | WarningRules,
    level: str,
    *,
    at: datetime,
    current: WarningInForce | str | None = None,
    primary: tuple[str, ...] = (),
    drill: bool = False,
) -> Decision:
    """The decision of a jurisdiction that issues the level its parent orders (Xigang on Dalian's
    order: "根据大连市应急指挥部下达…发布西岗区重污染天气相应预警", 000 §3.2.1).

    No forecast is assessed: the order is the level (``none`` lifts). ``primary`` names the
    episode's primary pollutants when known, for conditional measures. ``ValueError`` when the
    plan does not act on a parent's order or has no such level.
    """
    rules = as_rules(plan)
    workflow = rules.workflow
    order = workflow.follows_parent_order if workflow is not None else None
    if workflow is None or order is None or not order.applies:
        raise ValueError(f"plan {rules.plan_id} decides its own level: use decide()")
    wanted, lowest = rank(level), rank(rules.levels[0].name)
    if level != "none" and level not in rules.level_names:
        raise ValueError(f"plan {rules.plan_id} has no level {level!r}: {rules.level_names}")
    in_force = WarningInForce(current) if isinstance(current, str) else current
    now = rank(in_force.level) if in_force is not None else 0
    action: Action = "keep" if wanted == now else "upgrade" if wanted > now else "downgrade"
    if now < lowest:
        action = "none" if wanted < lowest else "issue"
    elif wanted < lowest:
        action = "lift"
    step = Step(action, wanted if action != "lift" else 0, "regional floor")
    target = rules.level(level) if wanted >= lowest else None
    chain = _chain(rules, step, in_force)
    parent = workflow.plan.parent
    params: dict[str, Param] = {
        "level": level,
        "parent_zh": parent.name_zh if parent and parent.named else "上级",
        "parent_en": parent.name_en if parent and parent.named else "the higher jurisdiction",
    }
    inputs = ConditionInputs(at.date(), frozenset(p for text in primary for p in text.split("+")))
    return Decision(
        plan_id=rules.plan_id,
        at=at,
        level=step.level,
        response=target.response if target else None,
        action=action,
        criteria=(),
        earliest_start=None if action in ("none", "keep") else at,
        expected_end=None,
        approver=_approver(rules, step, target, in_force, chain),
        measures=evaluate_measures(target.measures if target else (), inputs),
        rules=(AppliedRule("parent order", order.clause, Message("rule.parent_order", params)),),
        chain=chain,
        drill=drill,
    )


__all__ = [
    "AppliedRule",
    "Decision",
    "MatchedCriterion",
    "WarningInForce",
    "as_rules",
    "decide",
    "decide_on_order",
]
