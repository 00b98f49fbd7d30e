"""The criterion vocabulary: what a plan says must be forecast for a warning level to start.

A criterion is one of three shapes, and nothing else (``docs/plan-schema.md``)::

    {metric: aqi, op: ">", threshold: 200, duration: {hours: 48},
     primary_pollutant: PM2.5, regional: {min_contiguous_counties: 3, statistic: mean}}
    {any_of: [criterion, ...]}      # one of them holds
    {all_of: [criterion, ...]}      # every one holds (e.g. > 200 for 96 h and > 300 for 48 h)

"AQI reaches 500" is ``{op: ">=", threshold: 500, duration: {hours: 24}}``. The warnings engine
(``hazeguard.warnings``) evaluates these against a forecast; this module only holds them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from hazeguard.plans.build import Builder
from hazeguard.plans.tree import Item

Metric = Literal["aqi"]
Operator = Literal[">", ">="]  # "大于" and "达到"; a warning starts on high values only
PrimaryPollutant = Literal["PM2.5", "O3", "any"]
Statistic = Literal["mean"]


@dataclass(frozen=True)
class Regional:
    """The condition is judged on a group of contiguous counties, not on one place.

    Kashgar 001 §3.4: "3个及以上连片县（市）平均日AQI达到…预警分级标准".
    """

    min_contiguous_counties: int
    statistic: Statistic = "mean"

    def __post_init__(self) -> None:
        if self.min_contiguous_counties < 2:
            raise ValueError("min_contiguous_counties must be at least 2")


@dataclass(frozen=True)
class Condition:
    """The forecast ``metric`` stays ``op threshold`` for at least ``duration``.

    Attributes
    ----------
    metric
        ``aqi``: the daily AQI as a rolling 24 h mean (may cross calendar days). [-]
    op
        Comparison of the metric with ``threshold``.
    threshold
        AQI value compared with. [-]
    duration
        Shortest continuous time the comparison must hold, a whole number of 24 h periods;
        ``{hours: 24}`` is one daily mean.
    primary_pollutant
        Only when this pollutant is the primary pollutant (``any``: whatever it is).
    regional
        Judge the mean of a group of contiguous counties instead of the jurisdiction.
    """

    op: Operator
    threshold: int
    duration: dt.timedelta
    metric: Metric = "aqi"
    primary_pollutant: PrimaryPollutant = "any"
    regional: Regional | None = None

    def __post_init__(self) -> None:
        days, rest = divmod(self.duration, dt.timedelta(days=1))
        if rest or days < 1:
            # each period is one daily (rolling 24 h) mean: "持续48小时" is two of them
            raise ValueError("a criterion's duration is a whole number of days (24 h periods)")
        if not 0 <= self.threshold <= 500:
            raise ValueError("an AQI threshold lies between 0 and 500")

    def describe(self) -> str:
        """A one-line reading, e.g. ``AQI > 200 for ≥ 48 h``."""
        hours = self.duration.total_seconds() / 3600
        text = f"AQI {self.op} {self.threshold} for ≥ {hours:g} h"
        if self.primary_pollutant != "any":
            text += f" ({self.primary_pollutant} primary)"
        if self.regional is not None:
            text += (
                f" [{self.regional.statistic} of ≥ {self.regional.min_contiguous_counties}"
                " contiguous counties]"
            )
        return text


@dataclass(frozen=True)
class AnyOf:
    """At least one of ``any_of`` holds."""

    any_of: tuple[Criterion, ...]

    def describe(self) -> str:
        """``(a) or (b)``."""
        return " or ".join(f"({part.describe()})" for part in self.any_of)


@dataclass(frozen=True)
class AllOf:
    """Every one of ``all_of`` holds."""

    all_of: tuple[Criterion, ...]

    def describe(self) -> str:
        """``(a) and (b)``."""
        return " and ".join(f"({part.describe()})" for part in self.all_of)


Criterion = Condition | AnyOf | AllOf

SHAPES: dict[str, type[Condition] | type[AnyOf] | type[AllOf]] = {
    "any_of": AnyOf,
    "all_of": AllOf,
    "op": Condition,
}


def build_criterion(builder: Builder, item: Item, path: str, key: str) -> Criterion:
    """Pick the criterion's shape from its keys, then build it strictly."""
    values = builder.mapping(item, path, key)
    shapes = [shape for marker, shape in SHAPES.items() if marker in values]
    if len(shapes) != 1:
        raise builder.error(
            item, key, f"a criterion at {path} has exactly one of 'op', 'any_of', 'all_of'"
        )
    built: Any = builder.dataclass(shapes[0], item, path)
    parts = getattr(built, "any_of", None) or getattr(built, "all_of", None)
    if parts is not None and len(parts) < 2:
        raise builder.error(item, key, f"any_of/all_of at {path} needs at least two criteria")
    result: Criterion = built
    return result


def conditions(criterion: Criterion) -> list[Condition]:
    """Every :class:`Condition` inside ``criterion``, depth first."""
    if isinstance(criterion, Condition):
        return [criterion]
    parts = criterion.any_of if isinstance(criterion, AnyOf) else criterion.all_of
    return [leaf for part in parts for leaf in conditions(part)]
