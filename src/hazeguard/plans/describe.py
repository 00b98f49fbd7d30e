"""Plans as text a person reads: ``hazeguard plan show`` and ``hazeguard plan diff``.

A plan is flattened into ordered facts (``"yellow criteria" -> "AQI > 200 for ≥ 48 h"``, with
the clause it comes from); show prints them, diff compares two plans fact by fact (values only,
so a clause renumbered between versions is not reported as a change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hazeguard.plans.model import Plan
from hazeguard.plans.organisation import Deadline
from hazeguard.plans.parts import Level, Measure, ReductionTarget

Fact = tuple[str, str, str]  # key, value, clause ("" when the fact is not a rule)


def _hours(value: dt.timedelta | None) -> str:
    return "-" if value is None else f"{value.total_seconds() / 3600:g} h"


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _target(target: ReductionTarget) -> str:
    parts = [f"{name} {_percent(value)}" for name, value in target.pollutants.items()]
    if target.so2_nox_sum is not None:
        parts.append(f"SO2+NOx ≥ {_percent(target.so2_nox_sum)}")
    if target.key_enterprise is not None:
        parts.append(f"key enterprises {_percent(target.key_enterprise)}")
    return ", ".join(parts)


def _measure(measure: Measure, width: int | None) -> str:
    text = measure.text_zh
    if width is not None and len(text) > width:
        text = text[:width] + "…"
    kind = measure.category + (f"/{measure.source_class}" if measure.source_class else "")
    units = f" ({', '.join(measure.responsible_units)})" if measure.responsible_units else ""
    return f"[{kind}] {text}{units}"


def _level_facts(level: Level) -> Iterator[Fact]:
    name = level.name
    yield f"{name} criteria", level.criteria.describe(), level.clause
    source = level.response_source.clause if level.response_source else ""
    yield f"{name} response", level.response, source
    if level.approval is not None:
        approval = level.approval
        reviewers, agreeing = ", ".join(approval.reviewed_by), ", ".join(approval.agreed_by)
        via = f" (reviewed by {reviewers})" if reviewers else ""
        via += f" (agreed by {agreeing})" if agreeing else ""
        also = "".join(f" or {role}" for role in approval.or_approved_by)
        yield f"{name} approver", f"{approval.approver}{also}{via}", approval.clause
    if level.reduction_target is not None:
        target = level.reduction_target
        yield f"{name} reduction target", _target(target), target.clause


def _parent(plan: Plan) -> str:
    """``大连市 Dalian (dalian)``; the code alone when the plan does not name the parent."""
    parent = plan.parent
    if parent is None:
        return "-"
    return f"{parent.name_zh} {parent.name_en} ({parent.code})" if parent.named else parent.code


def facts(plan: Plan) -> list[Fact]:
    """The plan as ordered ``(key, value, clause)`` facts: identity, levels, timing, deadlines."""
    found: list[Fact] = [
        ("title", f"{plan.title_zh} ({plan.year})", ""),
        ("jurisdiction", f"{plan.jurisdiction.name_zh} {plan.jurisdiction.name_en}", ""),
        ("parent", _parent(plan), ""),
        ("completeness", plan.completeness, ""),
        ("counties", ", ".join(county.name_zh for county in plan.counties) or "-", ""),
    ]
    if plan.scope is not None:
        found.append(("scope", f"daily AQI > {plan.scope.aqi_above}", plan.scope.clause))
    exclusions = ", ".join(e.cause for e in plan.exclusions) or "-"
    found.append(("exclusions", exclusions, plan.exclusions[0].clause if plan.exclusions else ""))
    if plan.advisory is not None:
        found.append(("advisory", plan.advisory.criteria.describe(), plan.advisory.clause))
    for level in plan.levels:
        found.extend(_level_facts(level))
    if plan.lead_time is not None:
        usual, minimum = _hours(plan.lead_time.usual), _hours(plan.lead_time.minimum)
        found.append(("lead time", f"usual {usual}, minimum {minimum}", plan.lead_time.clause))
    source = plan.measures_cumulative_source
    cumulative = "cumulative" if plan.measures_cumulative else "restated per level"
    found.append(("measures", cumulative, source.clause if source else ""))
    for number, rule in enumerate(plan.rules):
        figure = _hours(rule.duration) if rule.duration is not None else "-"
        aqi = f" to AQI ≤ {rule.aqi_at_most}" if rule.aqi_at_most is not None else ""
        # a kind may repeat (Xigang cites two clauses for its regional floor): keep both facts
        again = sum(other.kind == rule.kind for other in plan.rules[:number])
        key = f"rule {rule.kind}" + (f" ({again + 1})" if again else "")
        found.append((key, f"{figure}{aqi}", rule.clause))
    for deadline in plan.deadlines:
        found.append((f"deadline {deadline.kind}", _deadline(deadline), deadline.clause))
    for department in plan.department_plans:
        for deadline in department.deadlines:
            key = f"{department.id} deadline {deadline.kind}"
            found.append((key, _deadline(deadline), deadline.clause))
    return found


def _deadline(deadline: Deadline) -> str:
    covers = f", covering the {deadline.covers.replace('_', ' ')}" if deadline.covers else ""
    return (
        f"{deadline.describe()} after {deadline.after.replace('_', ' ')}{covers}: "
        f"{deadline.reporter_zh} → {deadline.recipient_zh}"
    )


def _cited(value: str, clause: str) -> str:
    return f"{value}  [{clause}]" if clause else value


def show(plan: Plan, width: int | None = 60) -> str:
    """The plan as text: its facts, then every level's measures (cut to ``width`` characters)."""
    lines = [f"{plan.id}  {plan.title_zh}", f"source: {plan.source}"]
    lines += [f"  {key}: {_cited(value, clause)}" for key, value, clause in facts(plan)]
    for level in plan.levels:
        measures = plan.measures_for(level.name)
        if not measures:
            continue
        lines.append(f"measures at {level.name} ({len(measures)}):")
        lines += [f"  - {_measure(measure, width)}" for measure in measures]
    for department in plan.department_plans:
        lines.append(f"department plan {department.id}: {department.title_zh}")
        for task in department.tasks:
            lines.append(f"  - [{task.phase}] {task.name_zh}  [{task.clause}]")
    if plan.provisions:
        lines.append(f"provisions ({len(plan.provisions)}):")
        for provision in plan.provisions:
            lines.append(f"  - [{provision.topic}] {provision.title_zh}  [{provision.clause}]")
    if plan.notes:
        lines.append(f"notes: {plan.notes}")
    return "\n".join(lines)


def diff(old: Plan, new: Plan) -> str:
    """What differs from ``old`` to ``new``: changed, removed and added facts, then measures."""
    before = {key: (value, clause) for key, value, clause in facts(old)}
    after = {key: (value, clause) for key, value, clause in facts(new)}
    lines = [f"--- {old.id}", f"+++ {new.id}"]
    for key in list(before) + [key for key in after if key not in before]:
        if key in before and key in after and before[key][0] == after[key][0]:
            continue
        if key in before:
            lines.append(f"- {key}: {_cited(*before[key])}")
        if key in after:
            lines.append(f"+ {key}: {_cited(*after[key])}")
    for name in dict.fromkeys(old.level_names + new.level_names):
        was = _texts(old, name)
        now = _texts(new, name)
        lines += [f"- measure at {name}: {text}" for text in was if text not in now]
        lines += [f"+ measure at {name}: {text}" for text in now if text not in was]
    return "\n".join(lines) if len(lines) > 2 else "\n".join([*lines, "(no differences)"])


def _texts(plan: Plan, level: str) -> list[str]:
    if level not in plan.level_names:
        return []
    return [_measure(measure, None) for measure in plan.measures_for(level)]
