"""From a loaded plan (``hazeguard.plans.Plan``) to the engine's :class:`WarningRules`.

The plan schema states durations in hours ("持续48小时"); the engine counts 24-h periods, so a
duration must be a whole number of days. A criterion with a ``regional`` part makes the plan
decide from county forecasts (seed 001 §3.4).
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from hazeguard.warnings.criteria import AllOf, AnyOf, Criterion, Persistence
from hazeguard.warnings.rules import Level, MeasureRef, WarningRules

if TYPE_CHECKING:
    from hazeguard.plans import Plan
    from hazeguard.plans import criteria as plan_criteria

DAY = timedelta(days=1)


def criterion_from_plan(criterion: plan_criteria.Criterion, clause: str, where: str) -> Criterion:
    """Convert one plan criterion; ValueError names the plan part when it cannot be evaluated."""
    from hazeguard.plans import AllOf as PlanAllOf
    from hazeguard.plans import AnyOf as PlanAnyOf

    if isinstance(criterion, PlanAnyOf):
        return AnyOf(tuple(criterion_from_plan(c, clause, where) for c in criterion.any_of), clause)
    if isinstance(criterion, PlanAllOf):
        return AllOf(tuple(criterion_from_plan(c, clause, where) for c in criterion.all_of), clause)
    days, rest = divmod(criterion.duration, DAY)
    if rest or days < 1:
        raise ValueError(f"{where}: duration {criterion.duration} is not a whole number of days")
    if criterion.op not in (">", ">="):
        raise ValueError(f"{where}: operator {criterion.op!r} cannot start a warning")
    return Persistence(
        threshold=float(criterion.threshold),
        days=days,
        op=">" if criterion.op == ">" else ">=",
        primary_pollutant=criterion.primary_pollutant,
        clause=clause,
    )


def _regional_size(plan: Plan) -> int | None:
    from hazeguard.plans import conditions

    sizes = {
        condition.regional.min_contiguous_counties
        for level in plan.levels
        for condition in conditions(level.criteria)
        if condition.regional is not None
    }
    if len(sizes) > 1:
        raise ValueError(f"plan {plan.id}: regional criteria disagree on the group size {sizes}")
    return sizes.pop() if sizes else None


def _hours(value: timedelta | None, default: float) -> float:
    return default if value is None else value / timedelta(hours=1)


@lru_cache(maxsize=64)
def rules_from_plan(plan: Plan) -> WarningRules:
    """The warning rules of ``plan`` (cached: plans are frozen)."""
    levels = []
    for level in plan.levels:
        where = f"plan {plan.id} level {level.name}"
        measures = tuple(
            MeasureRef(m.category, m.clause, m.summary or m.text_zh, m.condition)
            for m in plan.measures_for(level.name)
        )
        approval = level.approval
        levels.append(
            Level(
                name=level.name,
                response=level.response if level.response != "none" else None,
                criteria=(criterion_from_plan(level.criteria, level.clause, where),),
                approver=approval.approver if approval else "",
                measures=measures,
                clause=level.clause,
            )
        )
    from hazeguard.plans.workflow import Workflow

    workflow = Workflow.of(plan)
    advisory = plan.advisory
    lift, merging = plan.lifting, workflow.merging
    upgrade = plan.rule("issue_on_observed") or plan.rule("upgrade")
    floor = plan.rule("regional_floor")
    size = _regional_size(plan)
    clauses = {
        "lifting": lift.clause if lift else "",
        "merging": merging.clause,
        "upgrade": upgrade.clause if upgrade else "",
        "dust": plan.exclusions[0].clause if plan.exclusions else "",
    }
    lifting_hours = _hours(lift.duration if lift else None, 36.0)
    return WarningRules(
        plan_id=plan.id,
        levels=tuple(levels),
        advisory=(
            (criterion_from_plan(advisory.criteria, advisory.clause, f"plan {plan.id} advisory"),)
            if advisory
            else ()
        ),
        advisory_clause=advisory.clause if advisory else "",
        lead=workflow.lead_time,
        lifting_hours=lifting_hours,
        merging_hours=merging.gap_hours,
        lifting_max_aqi=float(lift.aqi_at_most) if lift and lift.aqi_at_most else None,
        upgrade_window_hours=_hours(upgrade.duration if upgrade else None, 24.0),
        min_contiguous_counties=size,
        adjacency={c.code: plan.neighbours(c.code) for c in plan.counties} if size else {},
        county_names={c.code: (c.name_zh, c.name_en) for c in plan.counties} if size else {},
        floor_clause=floor.clause if floor else "",
        workflow=workflow,
        excluded={e.cause: e.clause for e in plan.exclusions if e.cause == "typhoon"},
        clauses=clauses,
    )
