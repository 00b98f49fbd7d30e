"""Warning decisions: criteria evaluation, the decision with its explanation, lifecycle, replay.

The platform calls :func:`decide`; :mod:`hazeguard.warnings.replay` runs a plan over a history.
"""

from hazeguard.warnings.criteria import AllOf, AnyOf, Criterion, Persistence, Series, evaluate
from hazeguard.warnings.decision import (
    AppliedRule,
    Decision,
    MatchedCriterion,
    WarningInForce,
    as_rules,
    decide,
    decide_on_order,
)
from hazeguard.warnings.dust import DustPeriod
from hazeguard.warnings.forecast import DailyForecast, Forecast, HourlyForecast, daily, hourly
from hazeguard.warnings.rules import LEVEL_ORDER, Level, MeasureRef, WarningRules

__all__ = [
    "LEVEL_ORDER",
    "AllOf",
    "AnyOf",
    "AppliedRule",
    "Criterion",
    "DailyForecast",
    "Decision",
    "DustPeriod",
    "Forecast",
    "HourlyForecast",
    "Level",
    "MatchedCriterion",
    "MeasureRef",
    "Persistence",
    "Series",
    "WarningInForce",
    "WarningRules",
    "as_rules",
    "daily",
    "decide",
    "decide_on_order",
    "evaluate",
    "hourly",
]
