"""What the warning engine needs from a plan, as one frozen value.

The plan model (``hazeguard.plans``) describes a whole plan; the engine reads only the warning part.
:class:`WarningRules` is that part, with the defaults the plans leave unsaid written down here,
each with the clause that justifies it. :func:`hazeguard.warnings.adapter.rules_from_plan` builds
one from a loaded plan; tests and callers may also build one directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from hazeguard.vocabulary import LEVEL_ORDER, rank
from hazeguard.warnings.criteria import Criterion, lowest_threshold

Bound = Literal["upper", "lower"]

# PM2.5/PM10 below this on a PM10-primary day reads as mineral dust. Dust aerosol is coarse:
# PM2.5/PM10 ratios of dust-type pollution are the lowest of all types in China (Fan et al. 2021,
# Front. Environ. Sci. 9:692440, doi:10.3389/fenvs.2021.692440), while winter haze in the North
# China Plain runs at 0.5-0.8. 0.3 is this project's choice inside that gap; docs/warnings.md
# shows how it splits the real Kashgar and Beijing days. Plans may set their own.
DEFAULT_DUST_RATIO = 0.3


@dataclass(frozen=True)
class MeasureRef:
    """A measure that takes effect at a level: its category, clause and text."""

    category: str
    clause: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready form."""
        return {"category": self.category, "clause": self.clause, "text": self.text}


@dataclass(frozen=True)
class Level:
    """One warning level of a plan.

    Parameters
    ----------
    name
        ``blue``, ``yellow``, ``orange`` or ``red``.
    response
        The response it starts: ``III``, ``II`` or ``I`` (``IV`` for old blue levels), or None.
    criteria
        Any of these starts the level (each carries its clause).
    approver
        Who approves issuing it (e.g. ``office director``, seed 001 §3.5).
    measures
        The measures that take effect at this level (all of them, cumulative or not).
    clause
        Where the level is defined.
    """

    name: str
    response: str | None
    criteria: tuple[Criterion, ...]
    approver: str = ""
    measures: tuple[MeasureRef, ...] = ()
    clause: str = ""


@dataclass(frozen=True)
class WarningRules:
    """The warning part of one plan, with every default explicit.

    Parameters
    ----------
    plan_id
        The plan's identifier, e.g. ``liaocheng-2020``.
    levels
        Warning levels ordered low to high.
    advisory
        Criteria for an advisory notice below the lowest level (seed 003 §3.1), or empty.
    advisory_clause
        Where the advisory notice is defined.
    lead_time_usual, lead_time_minimum
        Issue the warning this long before the pollution starts, "原则上应提前24小时以上发布，
        特殊情况下至少提前12小时" (seed 001 §3.5). [h]
    lifting_hours
        Improvement must be forecast to last this long before a downgrade or lifting, and two
        episodes closer than this are one (seed 001 §3.7.1, seed 003 §3.3.2). [h]
    lifting_max_aqi
        Lift only at or below this AQI ("改善到轻度污染及以下", seed 003 §3.3.2: 150); None means
        "below the level's criteria" (seed 001 §3.7.1). [index]
    merging_hours
        Two polluted periods closer than this are one episode (seed 003 §3.3.2: 36); None means
        the lifting time, since "间隔时间未达到解除预警条件" (seed 001 §3.7.1). [h]
    upgrade_window_hours
        An observed higher level upgrades the warning when no clear improvement is forecast within
        this many hours (seed 001 §3.7.1: 24; seed 003 §3.3.1: 12). [h]
    range_bound
        Which bound of an AQI range forecast is compared with the thresholds.
    dust_ratio
        PM2.5/PM10 below which a PM10-primary period is treated as dust. [ratio]
    min_contiguous_counties
        Regional trigger: this many adjacent counties meeting a level start it (seed 001 §3.4).
    adjacency
        County -> neighbouring counties, for the regional trigger.
    county_names
        County -> its (Chinese, English) name, so that explanations name the counties.
    floor_clause
        Where "not lower than the regional warning" is written.
    lift_approver
        Who lifts a warning, when not its issuer: "预警按期解除，不再另行报批，由指挥部办公室直接
        发布解除指令" (seed 001 §3.7.2). None: the approver of the level in force.
    clauses
        Clauses for the lifecycle rules: keys ``lifting``, ``merging``, ``upgrade``, ``lead_time``,
        ``dust``.
    """

    plan_id: str
    levels: tuple[Level, ...]
    advisory: tuple[Criterion, ...] = ()
    advisory_clause: str = ""
    lead_time_usual: float = 24.0
    lead_time_minimum: float = 12.0
    lifting_hours: float = 36.0
    lifting_max_aqi: float | None = None
    merging_hours: float | None = None
    upgrade_window_hours: float = 24.0
    range_bound: Bound = "upper"
    dust_ratio: float = DEFAULT_DUST_RATIO
    min_contiguous_counties: int | None = None
    adjacency: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    county_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    floor_clause: str = ""
    lift_approver: str | None = None
    clauses: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.levels:
            raise ValueError(f"plan {self.plan_id}: no warning levels")
        ranks = [rank(level.name) for level in self.levels]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError(f"plan {self.plan_id}: levels must be ordered low to high, once each")

    def level(self, name: str) -> Level:
        """The level called ``name``; KeyError names the plan's levels when absent."""
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(f"plan {self.plan_id} has no level {name!r}: {self.level_names}")

    @property
    def level_names(self) -> tuple[str, ...]:
        """The plan's level names, low to high."""
        return tuple(level.name for level in self.levels)

    @cached_property
    def pollution_threshold(self) -> float:
        """Lowest AQI any criterion looks at: above it a period counts as polluted. [index]"""
        return lowest_threshold(
            [c for level in self.levels for c in level.criteria] + list(self.advisory)
        )

    @cached_property
    def quiet_threshold(self) -> float:
        """At or below this AQI a period counts towards lifting and separates episodes. [index]"""
        if self.lifting_max_aqi is not None:
            return self.lifting_max_aqi
        return self.pollution_threshold

    @property
    def merging_gap_hours(self) -> float:
        """Quiet time that separates two episodes. [h]"""
        return self.lifting_hours if self.merging_hours is None else self.merging_hours

    def clause(self, key: str) -> str:
        """The clause of a lifecycle rule, or an empty string when the plan gives none."""
        return self.clauses.get(key, "")


__all__ = ["LEVEL_ORDER", "Level", "MeasureRef", "WarningRules", "rank"]
