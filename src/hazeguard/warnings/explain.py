"""Why a decision is what it is: matched criteria, lead time and the lifecycle rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from hazeguard.warnings.assess import Assessment
from hazeguard.warnings.criteria import Criterion, Match, Series, evaluate
from hazeguard.warnings.dust import DustPeriod
from hazeguard.warnings.episodes import polluted_mask
from hazeguard.warnings.forecast import Forecast
from hazeguard.warnings.lifecycle import Step, effective_from
from hazeguard.warnings.results import AppliedRule, MatchedCriterion, WarningInForce
from hazeguard.warnings.rules import LEVEL_ORDER, WarningRules, rank

HOUR = timedelta(hours=1)


@dataclass(frozen=True, eq=False)
class DecisionContext:
    """Everything a decision was made from, for its explanation."""

    rules: WarningRules
    forecast: Forecast
    series: Series
    found: Assessment
    observed: Forecast | None
    observed_series: Series | None
    groups: tuple[tuple[str, ...], ...]
    at: datetime


def _criteria_of(ctx: DecisionContext, level_rank: int) -> tuple[tuple[Criterion, ...], str]:
    if level_rank == rank("advisory"):
        return ctx.rules.advisory, ctx.rules.advisory_clause
    level = ctx.rules.level(LEVEL_ORDER[level_rank])
    return level.criteria, level.clause


def matched(
    ctx: DecisionContext, step: Step, regional_floor: str | None
) -> tuple[MatchedCriterion, ...]:
    """The criteria behind the decided level, with their matched periods."""
    if step.rank == 0 or step.action == "lift":
        return ()
    name = LEVEL_ORDER[step.rank]
    if step.driver == "regional floor":
        text = f"a {regional_floor} warning from a higher jurisdiction: not lower than it"
        return (MatchedCriterion(name, text, ctx.rules.floor_clause, (), "regional floor"),)
    criteria, level_clause = _criteria_of(ctx, step.rank)
    if step.driver == "observed" and ctx.observed is not None and ctx.observed_series is not None:
        series, labels, low, source = _combined(ctx)
    else:
        series, low, source = ctx.series, int(ctx.found.episode_start), "forecast"
        labels = [ctx.forecast.label(i) for i in range(len(ctx.forecast))]
    high = len(series) if source != "forecast" else int(ctx.found.episode_stop)
    result: list[MatchedCriterion] = []
    for criterion in criteria:
        for match in evaluate(criterion, series, low, high):
            result.append(_entry(ctx, name, match, labels, level_clause, source))
    return tuple(result)


def _entry(
    ctx: DecisionContext,
    name: str,
    match: Match,
    labels: list[str],
    level_clause: str,
    source: str,
) -> MatchedCriterion:
    counties: tuple[tuple[str, ...], ...] = ()
    if ctx.groups and source == "forecast":
        counties = tuple(ctx.groups[i] for i in match.steps)
    return MatchedCriterion(
        name,
        match.criterion.describe(),
        match.criterion.clause or level_clause,
        tuple(labels[i] for i in match.steps),
        source,
        counties,
    )


def _combined(ctx: DecisionContext) -> tuple[Series, list[str], int, str]:
    assert ctx.observed is not None
    assert ctx.observed_series is not None
    known = len(ctx.observed)
    window = len(ctx.forecast)
    values = np.concatenate([ctx.observed_series.values, ctx.series.values[:window]])
    primary: tuple[str, ...] = ()
    if ctx.observed.primary or ctx.forecast.primary:
        primary = (ctx.observed.primary or ("",) * known) + (ctx.forecast.primary or ("",) * window)
    labels = [ctx.observed.label(i) for i in range(known)]
    labels += [ctx.forecast.label(i) for i in range(window)]
    return (
        Series(values, primary, ctx.forecast.stride),
        labels,
        int(ctx.found.observed_begin),
        "observed+forecast",
    )


def onset(ctx: DecisionContext) -> datetime | None:
    """Start of the first forecast episode (None when none is forecast)."""
    first = int(ctx.found.episode_start)
    return ctx.forecast.period(first)[0] if first < len(ctx.forecast) else None


def earliest_start(ctx: DecisionContext, step: Step) -> datetime | None:
    """Earliest time the action may take effect (see :func:`lifecycle.effective_from`)."""
    return effective_from(
        step,
        at=ctx.at,
        onset=onset(ctx),
        first_period=ctx.forecast.period(0)[0],
        minimum_lead_hours=ctx.rules.lead_time_minimum,
    )


def expected_end(ctx: DecisionContext, step: Step) -> datetime | None:
    """End of the first forecast episode, when one is forecast and a warning results."""
    stop = int(ctx.found.episode_stop)
    if step.rank == 0 or int(ctx.found.episode_start) >= len(ctx.forecast):
        return None
    return ctx.forecast.period(stop - 1)[1]


def applied_rules(
    ctx: DecisionContext, step: Step, in_force: WarningInForce | None, dust: tuple[DustPeriod, ...]
) -> tuple[AppliedRule, ...]:
    """The lifecycle rules the decision used, each with its clause and a one-line detail."""
    rules = ctx.rules
    out: list[AppliedRule] = []
    lifting = f"{rules.lifting_hours:g} h"
    if step.action in ("issue", "upgrade") and step.driver == "forecast":
        begins = onset(ctx)
        if begins is not None and step.rank > rank("advisory"):
            ahead = (begins - ctx.at) / HOUR
            if ahead >= rules.lead_time_usual:
                note = f"usual lead time ({rules.lead_time_usual:g} h) met"
            elif ahead >= rules.lead_time_minimum:
                note = f"only the minimum lead time ({rules.lead_time_minimum:g} h) met"
            else:
                minimum = f"{rules.lead_time_minimum:g} h"
                note = f"less than the minimum lead time ({minimum}): start delayed"
            detail = f"pollution forecast from {begins:%Y-%m-%d %H:%M}, {ahead:g} h ahead; {note}"
            out.append(AppliedRule("lead time", rules.clause("lead_time"), detail))
    start, stop = int(ctx.found.episode_start), int(ctx.found.episode_stop)
    inside = polluted_mask(ctx.series.values[start:stop], rules.pollution_threshold)
    if step.rank > 0 and inside.size and not inside.all():
        detail = (
            f"polluted periods less than {lifting} apart form one episode, at its highest level"
        )
        out.append(AppliedRule("merging", rules.clause("merging"), detail))
    if step.driver == "observed":
        detail = (
            f"observed air quality already meets {step.level}; no clear improvement forecast "
            f"within {rules.upgrade_window_hours:g} h"
        )
        out.append(AppliedRule("upgrade on observation", rules.clause("upgrade"), detail))
    if step.driver == "regional floor":
        out.append(
            AppliedRule("regional floor", rules.floor_clause, "not lower than the regional warning")
        )
    if step.action in ("lift", "downgrade"):
        current = in_force.level if in_force else "none"
        detail = f"{current} no longer met; improvement forecast to last at least {lifting}"
        out.append(AppliedRule(step.action, rules.clause("lifting"), detail))
    if step.driver == "no lasting improvement":
        detail = f"improvement not forecast to last {lifting}: the warning stays"
        out.append(AppliedRule("lifting", rules.clause("lifting"), detail))
    if dust:
        detail = f"{len(dust)} period(s) left out as sand and dust"
        out.append(AppliedRule("dust exclusion", rules.clause("dust"), detail))
    return tuple(out)
