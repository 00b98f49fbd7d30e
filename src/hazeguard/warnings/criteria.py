"""Warning criteria and their pure evaluation on daily or hourly AQI series.

A criterion is a rule such as "预测日AQI>200持续48小时及以上" (forecast daily AQI > 200
for 48 hours or more). The same rule is evaluated on two kinds of input:

* daily values (one AQI per calendar day): a duration of *n* days (or *24·n* hours) means *n*
  consecutive days over the threshold;
* hourly rolling 24-h values (the AQI of the 24 hours ending at each hour,
  "连续24小时（可跨自然日）", seed 000 §3.1, seed 001 §3.3, seed 003 §3.1): a duration
  of *n* days means *n* consecutive, non-overlapping 24-hour windows, each over the threshold,
  starting at any hour.

Both are the same computation on a series with a *stride*: 1 step per day for daily values, 24 steps
for hourly ones. Values are ``float`` arrays; NaN (missing, or excluded as dust) never exceeds a
threshold.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from hazeguard.warnings.messages import Message, Param, number

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

Operator = Literal[">", ">="]
PollutantCondition = Literal["PM2.5", "O3", "PM10", "any"]

_OPERATORS: dict[str, Callable[[FloatArray, float], BoolArray]] = {
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Persistence:
    """ "AQI *op* threshold for *days* consecutive 24-h periods", optionally with a stricter part.

    Parameters
    ----------
    threshold
        AQI the values must exceed (``op=">"``) or reach (``op=">="``, "达到"). [index]
    days
        Consecutive 24-h periods required ("持续48小时" = 2). [days]
    op
        ``">"`` for "大于/>", ``">="`` for "达到/reaches".
    primary_pollutant
        Only periods whose primary pollutant is this one count (seed 000 §3.1: PM2.5- and
        O3-primary yellow criteria); ``"any"`` counts every period.
    at_least_days_over
        ``(threshold, days)``: within the persistent run, at least ``days`` periods must also be
        over this second threshold ("且日AQI>300持续24小时及以上", seed 000 §3.1 red). [index, days]
    clause
        Where the rule comes from (seed file and section).
    """

    threshold: float
    days: int
    op: Operator = ">"
    primary_pollutant: PollutantCondition = "any"
    at_least_days_over: tuple[float, int] | None = None
    clause: str = ""

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"a duration must be at least 1 day, got {self.days}")
        if self.op not in _OPERATORS:
            raise ValueError(f"unknown operator {self.op!r}: use one of {sorted(_OPERATORS)}")
        if self.at_least_days_over is not None and not 1 <= self.at_least_days_over[1] <= self.days:
            raise ValueError("at_least_days_over days must lie between 1 and the duration")

    def message(self) -> Message:
        """The criterion as an explanation (``criterion.persistence``, see ``messages``)."""
        params: dict[str, Param] = {
            "op": self.op,
            "threshold": number(self.threshold),
            "days": self.days,
        }
        if self.primary_pollutant != "any":
            params["primary_pollutant"] = self.primary_pollutant
        if self.at_least_days_over is not None:
            over, count = self.at_least_days_over
            params["at_least_days_over"] = [number(over), count]
        return Message("criterion.persistence", params)

    def describe(self) -> str:
        """A one-line English rendering, e.g. ``AQI > 200 for 2 days``."""
        return self.message().en


@dataclass(frozen=True)
class AnyOf:
    """At least one of the parts matches ("或", "or")."""

    parts: tuple[Criterion, ...]
    clause: str = ""

    def message(self) -> Message:
        """The criterion as an explanation (``criterion.any_of``)."""
        return Message("criterion.any_of", {"parts": [p.message().to_dict() for p in self.parts]})

    def describe(self) -> str:
        """A one-line English rendering."""
        return self.message().en


@dataclass(frozen=True)
class AllOf:
    """Every part matches within the same episode ("且", "and")."""

    parts: tuple[Criterion, ...]
    clause: str = ""

    def message(self) -> Message:
        """The criterion as an explanation (``criterion.all_of``)."""
        return Message("criterion.all_of", {"parts": [p.message().to_dict() for p in self.parts]})

    def describe(self) -> str:
        """A one-line English rendering."""
        return self.message().en


Criterion: TypeAlias = Persistence | AnyOf | AllOf


@dataclass(frozen=True, eq=False)
class Series:
    """AQI values ready for evaluation, one row or many (rows = decision times).

    Parameters
    ----------
    values
        AQI per step along the last axis; NaN where missing or excluded. [index]
    primary
        Primary pollutant per step (1-D series only; ``""`` when unknown: an unknown pollutant
        satisfies any pollutant condition, since a forecast without it cannot tell them apart).
    stride
        Steps per 24 hours: 1 for daily values, 24 for hourly rolling 24-h values.
    pollutant_masks
        Precomputed masks per pollutant (same shape as ``values``), used instead of ``primary``.
    """

    values: FloatArray
    primary: tuple[str, ...] = field(default=())
    stride: int = 1
    pollutant_masks: dict[str, BoolArray] | None = None

    def __post_init__(self) -> None:
        if self.primary and len(self.primary) != self.values.shape[-1]:
            raise ValueError("primary pollutants and values differ in length")
        if self.stride not in (1, 24):
            raise ValueError(f"stride must be 1 (daily) or 24 (hourly), got {self.stride}")

    def __len__(self) -> int:
        return int(self.values.shape[-1])

    def pollutant_mask(self, pollutant: PollutantCondition) -> BoolArray:
        """Steps whose primary pollutant satisfies ``pollutant`` (all when ``"any"``)."""
        if pollutant == "any":
            return np.ones(self.values.shape, dtype=bool)
        if self.pollutant_masks is not None:
            return self.pollutant_masks[pollutant]
        if not self.primary:
            return np.ones(self.values.shape, dtype=bool)
        return pollutant_mask(self.primary, pollutant)


def pollutant_mask(primary: Sequence[str], pollutant: str) -> BoolArray:
    """Steps whose primary pollutant (``"PM2.5"``, ``"PM2.5+PM10"``, ``""``) includes it."""
    wanted = pollutant.upper()
    return np.array([p == "" or wanted in p.upper().split("+") for p in primary], dtype=bool)


@dataclass(frozen=True)
class Match:
    """Where a criterion matched: the first qualifying chain of 24-h periods.

    ``steps`` are the indices (into the series) of the *n* periods of the first chain; on daily data
    they are consecutive days, on hourly data they are the end hours of non-overlapping windows.
    """

    criterion: Criterion
    steps: tuple[int, ...]


def exceeds(values: FloatArray, op: Operator, threshold: float) -> BoolArray:
    """Boolean mask of ``values op threshold``; NaN never exceeds. [index]"""
    with np.errstate(invalid="ignore"):
        return _OPERATORS[op](values, threshold)


def chain_counts(mask: BoolArray, periods: int, stride: int) -> npt.NDArray[np.int64]:
    """For each start step, how many of the *periods* chained steps satisfy ``mask``.

    Works along the last axis; starts whose chain would run past the end count 0.
    """
    n = mask.shape[-1]
    span = (periods - 1) * stride
    counts = np.zeros(mask.shape, dtype=np.int64)
    if n <= span:
        return counts
    for k in range(periods):
        counts[..., : n - span] += mask[..., k * stride : k * stride + n - span]
    return counts


def chain_starts(mask: BoolArray, periods: int, stride: int) -> BoolArray:
    """Start steps ``i`` where ``mask[i + k·stride]`` holds for every ``k < periods``.

    On daily data (``stride=1``) these are the starts of *periods* consecutive days; on hourly
    rolling data (``stride=24``) the ends of the first of *periods* back-to-back 24-h windows.
    Works along the last axis; the result has the shape of ``mask``.
    """
    return np.asarray(chain_counts(mask, periods, stride) == periods, dtype=bool)


def persistence_starts(criterion: Persistence, series: Series) -> BoolArray:
    """Start steps of every chain that satisfies a :class:`Persistence` criterion."""
    over = exceeds(series.values, criterion.op, criterion.threshold)
    over &= series.pollutant_mask(criterion.primary_pollutant)
    starts = chain_starts(over, criterion.days, series.stride)
    if criterion.at_least_days_over is not None:
        high, count = criterion.at_least_days_over
        high_mask = exceeds(series.values, criterion.op, high)
        starts &= chain_counts(high_mask, criterion.days, series.stride) >= count
    return starts


def matches_within(
    criterion: Criterion,
    series: Series,
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    reach: int | None = None,
) -> BoolArray:
    """Per row: does the criterion have a qualifying chain starting at a step in ``[low, high)``?

    ``low`` and ``high`` hold one bound per row (shape ``values.shape[:-1]``). Chains never cross a
    quiet step, so bounding the starts to an episode bounds the whole chain to it. With ``reach``,
    a chain must also end at or after that step (e.g. reach into the forecast).
    """
    if isinstance(criterion, Persistence):
        steps = np.arange(series.values.shape[-1])
        first = low
        if reach is not None:
            first = np.maximum(low, reach - (criterion.days - 1) * series.stride)
        inside = (steps >= first[..., None]) & (steps < high[..., None])
        return np.asarray((persistence_starts(criterion, series) & inside).any(axis=-1))
    parts = [matches_within(part, series, low, high, reach) for part in criterion.parts]
    if isinstance(criterion, AnyOf):
        return np.asarray(np.logical_or.reduce(parts), dtype=bool)
    return np.asarray(np.logical_and.reduce(parts), dtype=bool)


def evaluate(
    criterion: Criterion, series: Series, low: int = 0, high: int | None = None
) -> tuple[Match, ...]:
    """Evaluate a criterion on a 1-D series; returns the matched leaves (empty if no match).

    Only chains starting in ``[low, high)`` count. A :class:`Persistence` leaf reports its first
    qualifying chain; :class:`AnyOf` every matching part; :class:`AllOf` all parts or nothing.
    """
    stop = len(series) if high is None else high
    if isinstance(criterion, Persistence):
        starts = np.flatnonzero(persistence_starts(criterion, series)[low:stop])
        if starts.size == 0:
            return ()
        first = low + int(starts[0])
        steps = tuple(first + k * series.stride for k in range(criterion.days))
        return (Match(criterion, steps),)
    if isinstance(criterion, AnyOf):
        return tuple(m for part in criterion.parts for m in evaluate(part, series, low, stop))
    matches: list[Match] = []
    for part in criterion.parts:
        found = evaluate(part, series, low, stop)
        if not found:
            return ()
        matches.extend(found)
    return tuple(matches)


def leaves(criterion: Criterion) -> tuple[Persistence, ...]:
    """Every :class:`Persistence` inside a criterion."""
    if isinstance(criterion, Persistence):
        return (criterion,)
    return tuple(leaf for part in criterion.parts for leaf in leaves(part))


def lowest_threshold(criteria: Sequence[Criterion]) -> float:
    """The smallest AQI threshold among the criteria: what starts a polluted period. [index]"""
    values = [leaf.threshold for c in criteria for leaf in leaves(c)]
    if not values:
        raise ValueError("no criteria given")
    return min(values)
