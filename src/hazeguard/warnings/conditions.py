"""Whether each conditional measure is in force, and why: the plan's conditions evaluated.

A measure's condition (:class:`hazeguard.plans.measure_condition.MeasureCondition`) names the
primary pollutant it needs ("因臭氧污染启动本预案时", 000 §4.2.1.3(8)), a season ("每年3月15日至
11月15日", 000 §4.2.1.3(4)), an AQI ("AQI日均值达到500时", 003 §4.4.4.1(7)) or no frost ("非冰冻
条件下", 003 §4.4.2.3). Every stated part must hold; the reason given is the first part that does
not, else the parts that do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from hazeguard.plans.measure_condition import MeasureCondition
from hazeguard.warnings.messages import Message, Param, number
from hazeguard.warnings.rules import MeasureRef


@dataclass(frozen=True)
class ConditionInputs:
    """What the conditions are judged on.

    Parameters
    ----------
    day
        The first day the measures would be in force (local date).
    primaries
        Primary pollutants of the episode (``PM2.5``, ``O3``...); empty when not known.
    forecast_max, observed_max
        Highest daily AQI forecast for the episode, and observed; NaN when not known. [index]
    """

    day: date
    primaries: frozenset[str] = frozenset()
    forecast_max: float = math.nan
    observed_max: float = math.nan


def evaluate(condition: MeasureCondition, inputs: ConditionInputs) -> tuple[bool, Message]:
    """``(active, reason)`` for one condition."""
    met: list[Message] = []
    if condition.primary_pollutant:
        params: dict[str, Param] = {"pollutants": list(condition.primary_pollutant)}
        if not inputs.primaries & set(condition.primary_pollutant):
            return False, Message("measure.pollutant.no", params)
        met.append(Message("measure.pollutant.yes", params))
    if condition.season is not None:
        season: dict[str, Param] = {"season": [condition.season.start, condition.season.end]}
        if not condition.season.contains(inputs.day.month, inputs.day.day):
            return False, Message("measure.season.no", season)
        met.append(Message("measure.season.yes", season))
    if condition.aqi_at_least is not None:
        highest = _highest(condition, inputs)
        threshold: dict[str, Param] = {"threshold": condition.aqi_at_least}
        if math.isnan(highest) or highest < condition.aqi_at_least:
            shown = "—" if math.isnan(highest) else number(highest)
            return False, Message("measure.aqi.no", {**threshold, "highest": shown})
        met.append(Message("measure.aqi.yes", threshold))
    if condition.non_freezing:
        # No temperature reaches the engine: the plan's condition is shown for people to check.
        met.append(Message("measure.non_freezing"))
    return True, met[0]


def evaluate_measures(
    measures: Iterable[MeasureRef], inputs: ConditionInputs
) -> tuple[MeasureRef, ...]:
    """The measures with ``active`` and ``reason`` set where they carry a condition."""
    out = []
    for measure in measures:
        if measure.condition is None:
            out.append(measure)
            continue
        active, reason = evaluate(measure.condition, inputs)
        out.append(replace(measure, active=active, reason=reason))
    return tuple(out)


def _highest(condition: MeasureCondition, inputs: ConditionInputs) -> float:
    values = {
        "forecast": [inputs.forecast_max],
        "observed": [inputs.observed_max],
        "either": [inputs.forecast_max, inputs.observed_max],
    }[condition.basis]
    known = [value for value in values if not math.isnan(value)]
    return max(known) if known else math.nan
