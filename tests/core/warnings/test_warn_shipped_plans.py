"""Every criterion of every shipped plan, on daily and hourly input, at its thresholds."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from hazeguard.plans import load_plan, plan_ids
from hazeguard.warnings import daily, decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.criteria import (
    AllOf,
    AnyOf,
    Criterion,
    Persistence,
    Series,
    evaluate,
    leaves,
)
from hazeguard.warnings.rules import rank

CASES = [
    pytest.param(plan_id, level.name, index, leaf, id=f"{plan_id}-{level.name}-{index}")
    for plan_id in plan_ids()
    for level in rules_from_plan(load_plan(plan_id)).levels
    for criterion in level.criteria
    for index, leaf in enumerate(leaves(criterion))
]


def just_over(leaf: Persistence) -> float:
    return leaf.threshold + 1 if leaf.op == ">" else leaf.threshold


def just_under(leaf: Persistence) -> float:
    return leaf.threshold if leaf.op == ">" else leaf.threshold - 1


def primary(leaf: Persistence, steps: int) -> tuple[str, ...]:
    return (leaf.primary_pollutant if leaf.primary_pollutant != "any" else "PM2.5",) * steps


def test_every_shipped_plan_converts() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("plan_id", "level", "index", "leaf"), CASES)
def test_each_criterion_on_daily_values_at_its_threshold_and_duration(
    plan_id: str, level: str, index: int, leaf: Persistence
) -> None:
    days = leaf.days
    padded = [100.0] + [just_over(leaf)] * days + [100.0]
    assert evaluate(leaf, Series(np.array(padded), primary(leaf, days + 2), 1)) != ()
    at_threshold = [100.0] + [just_under(leaf)] * days + [100.0]
    assert evaluate(leaf, Series(np.array(at_threshold), primary(leaf, days + 2), 1)) == ()
    one_day_short = [100.0] + [just_over(leaf)] * (days - 1) + [100.0]
    assert evaluate(leaf, Series(np.array(one_day_short), primary(leaf, days + 1), 1)) == ()


@pytest.mark.parametrize(("plan_id", "level", "index", "leaf"), CASES)
def test_each_criterion_on_hourly_rolling_values_at_its_threshold_and_duration(
    plan_id: str, level: str, index: int, leaf: Persistence
) -> None:
    hours = 24 * leaf.days  # rolling rows over the threshold span 23 h + one hour each
    full = [100.0] * 5 + [just_over(leaf)] * (hours - 23) + [100.0] * 5
    assert evaluate(leaf, Series(np.array(full), primary(leaf, len(full)), 24)) != ()
    short = [100.0] * 5 + [just_over(leaf)] * (hours - 24) + [100.0] * 5
    assert evaluate(leaf, Series(np.array(short), primary(leaf, len(short)), 24)) == ()
    under = [100.0] * 5 + [just_under(leaf)] * (hours - 23) + [100.0] * 5
    assert evaluate(leaf, Series(np.array(under), primary(leaf, len(under)), 24)) == ()


def minimal_days(criterion: Criterion) -> list[float]:
    """The shortest daily series that meets a criterion (parts of all_of overlaid from day 1)."""
    if isinstance(criterion, Persistence):
        return [just_over(criterion)] * criterion.days
    if isinstance(criterion, AnyOf):
        return minimal_days(criterion.parts[0])
    assert isinstance(criterion, AllOf)
    parts = [minimal_days(part) for part in criterion.parts]
    length = max(len(p) for p in parts)
    return [max(p[k] if k < len(p) else 0.0 for p in parts) for k in range(length)]


LEVELS = [
    pytest.param(plan_id, level.name, id=f"{plan_id}-{level.name}")
    for plan_id in plan_ids()
    if rules_from_plan(load_plan(plan_id)).min_contiguous_counties is None
    for level in rules_from_plan(load_plan(plan_id)).levels
]


@pytest.mark.parametrize(("plan_id", "level"), LEVELS)
def test_each_level_is_issued_by_its_own_criteria(plan_id: str, level: str) -> None:
    rules = rules_from_plan(load_plan(plan_id))
    values = [*minimal_days(rules.level(level).criteria[0]), 50.0, 50.0]
    leaf = leaves(rules.level(level).criteria[0])[0]
    forecast = daily("2020-01-02", values, primary=list(primary(leaf, len(values))))
    decision = decide(load_plan(plan_id), forecast, at=datetime(2020, 1, 1, 16))
    assert rank(decision.level) >= rank(level)
    assert decision.action == "issue"
    if decision.level == level:
        assert decision.criteria
        assert all(c.clause for c in decision.criteria)
        assert decision.response == rules.level(level).response
