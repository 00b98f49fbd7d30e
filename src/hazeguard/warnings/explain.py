"""Why a decision is what it is: matched criteria, lead time and the lifecycle rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from hazeguard.plans.workflow import LeadJudgement
from hazeguard.warnings.assess import Assessment
from hazeguard.warnings.conditions import ConditionInputs
from hazeguard.warnings.criteria import Criterion, Match, Series, evaluate
from hazeguard.warnings.dust import DustPeriod
from hazeguard.warnings.episodes import polluted_mask
from hazeguard.warnings.forecast import Forecast
from hazeguard.warnings.lifecycle import Step, effective_from
from hazeguard.warnings.messages import Message, Param, number
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
        text = Message("criterion.regional_floor", {"floor": regional_floor})
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
    message = match.criterion.message()
    if ctx.groups and source == "forecast":
        counties = tuple(ctx.groups[i] for i in match.steps)
    if ctx.groups:
        # "3个及以上连片县（市）平均日AQI达到…预警分级标准" (seed 001 §3.4): the criterion was
        # judged on the mean of a group of contiguous counties, not on one place.
        size = ctx.rules.min_contiguous_counties
        params: dict[str, Param] = {"min_contiguous_counties": size, "criterion": message.to_dict()}
        # Every county of the matched groups, in order (the group may change from day to day).
        members = list(dict.fromkeys(code for group in counties for code in group))
        names = [ctx.rules.county_names.get(code, (code, code)) for code in members]
        if names:
            params["counties_zh"] = [zh for zh, _ in names]
            params["counties_en"] = [en for _, en in names]
        message = Message("criterion.regional", params)
    return MatchedCriterion(
        name,
        message,
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
    return effective_from(step, at=ctx.at, onset=onset(ctx), first_period=ctx.forecast.period(0)[0])


def condition_inputs(ctx: DecisionContext, start: datetime | None) -> ConditionInputs:
    """What conditional measures are judged on: the first day in force, the first forecast
    episode's primary pollutants and highest AQI, the highest observed AQI."""
    first, stop = int(ctx.found.episode_start), int(ctx.found.episode_stop)
    episode = ctx.series.values[first:stop]
    primaries = {
        name
        for text in (ctx.forecast.primary[first:stop] if ctx.forecast.primary else ())
        for name in text.split("+")
        if name
    }
    observed = ctx.observed_series.values if ctx.observed_series is not None else np.empty(0)
    return ConditionInputs(
        day=(start or ctx.at).date(),
        primaries=frozenset(primaries),
        forecast_max=_nanmax(episode),
        observed_max=_nanmax(observed),
    )


def _nanmax(values: np.ndarray[tuple[int], np.dtype[np.float64]]) -> float:
    known = values[~np.isnan(values)] if values.size else values
    return float(known.max()) if known.size else float("nan")


def lead_judgement(ctx: DecisionContext, step: Step) -> LeadJudgement | None:
    """How the release stands against the plan's lead time (None when no warning is released).

    Forecast-driven issues and upgrades are judged; observation- and floor-driven ones are exempt
    where the plan says so (001 §3.7.1, 003 §3.3.1), and a plan without a lead time judges none.
    """
    lead = ctx.rules.lead
    if lead is None or step.action not in ("issue", "upgrade") or step.rank <= rank("advisory"):
        return None
    begins = onset(ctx)
    ahead = 0.0 if begins is None else (begins - ctx.at) / HOUR
    if step.driver != "forecast" and lead.exemption(step.driver) is None and not lead.silent:
        # Not judged: the plan exempts no such driver, and none is forecast-driven.
        return None
    return lead.judge(ahead, step.driver)


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
    lifting: dict[str, Param] = {"hours": number(rules.lifting_hours)}
    judged = lead_judgement(ctx, step)
    begins = onset(ctx)
    facts = rules.lead
    if (
        judged is not None
        and facts is not None
        and judged.status in ("usual", "minimum", "late")
        and begins is not None
        and facts.usual_hours is not None
    ):
        # Below the minimum is late; a plan that states only the usual time (003 §3.3.1) has it
        # as its minimum too.
        floor = facts.minimum_hours if facts.minimum_hours is not None else facts.usual_hours
        lead: dict[str, Param] = {
            "onset": f"{begins:%Y-%m-%d %H:%M}",
            "ahead": number(judged.ahead_hours),
            "usual": number(facts.usual_hours),
            "minimum": number(floor),
        }
        message = Message(f"rule.lead_time.{judged.status}", lead)
        out.append(AppliedRule("lead time", judged.clause, message))
    start, stop = int(ctx.found.episode_start), int(ctx.found.episode_stop)
    inside = polluted_mask(ctx.series.values[start:stop], rules.pollution_threshold)
    if step.rank > 0 and inside.size and not inside.all():
        message = Message("rule.merging", lifting)
        out.append(AppliedRule("merging", rules.clause("merging"), message))
    if step.driver == "observed":
        window = {"level": step.level, "hours": number(rules.upgrade_window_hours)}
        message = Message("rule.upgrade_on_observation", window)
        out.append(AppliedRule("upgrade on observation", rules.clause("upgrade"), message))
    if step.driver == "regional floor":
        message = Message("rule.regional_floor")
        out.append(AppliedRule("regional floor", rules.floor_clause, message))
    if step.action in ("lift", "downgrade"):
        current = in_force.level if in_force else "none"
        message = Message("rule.improvement", {"current": current, **lifting})
        out.append(AppliedRule(step.action, rules.clause("lifting"), message))
    if step.driver == "no lasting improvement":
        message = Message("rule.no_lasting_improvement", lifting)
        out.append(AppliedRule("lifting", rules.clause("lifting"), message))
    dusty = [period for period in dust if period.source != "typhoon"]
    if dusty:
        message = Message("rule.dust", {"count": len(dusty)})
        out.append(AppliedRule("dust exclusion", rules.clause("dust"), message))
    typhoon = len(dust) - len(dusty)
    if typhoon:
        message = Message("rule.typhoon", {"count": typhoon})
        out.append(AppliedRule("typhoon exclusion", rules.excluded["typhoon"], message))
    return tuple(out)
