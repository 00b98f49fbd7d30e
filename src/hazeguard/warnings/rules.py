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
from typing import TYPE_CHECKING, Any, Literal

from hazeguard.vocabulary import LEVEL_ORDER, rank
from hazeguard.warnings.criteria import Criterion, lowest_threshold

if TYPE_CHECKING:
    from hazeguard.plans.measure_condition import MeasureCondition
    from hazeguard.plans.workflow import LeadTimeFacts, Workflow
    from hazeguard.warnings.messages import Message

Bound = Literal["upper", "lower"]

# PM2.5/PM10 below this on a PM10-primary day reads as mineral dust. Dust aerosol is coarse:
# PM2.5/PM10 ratios of dust-type pollution are the lowest of all types in China (Fan et al. 2021,
# Front. Environ. Sci. 9:692440, doi:10.3389/fenvs.2021.692440), while winter haze in the North
# China Plain runs at 0.5-0.8. 0.3 is this project's choice inside that gap; docs/warnings.md
# shows how it splits the real Kashgar and Beijing days. Plans may set their own.
DEFAULT_DUST_RATIO = 0.3


@dataclass(frozen=True)
class MeasureRef:
    """A measure that takes effect at a level: its category, clause and text.

    ``condition`` is the plan's condition on it (a pollutant, a season, an AQI, no frost); a
    decision evaluates it and sets ``active`` and ``reason`` (why it is, or is not, in force).
    """

    category: str
    clause: str
    text: str
    condition: MeasureCondition | None = None
    active: bool = True
    reason: Message | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form; ``active`` and ``condition`` (zh/en, clause) when conditional."""
        data: dict[str, Any] = {"category": self.category, "clause": self.clause, "text": self.text}
        if self.condition is not None:
            data["active"] = self.active
            data["condition"] = {
                "clause": self.condition.clause,
                "text_zh": self.condition.text_zh,
                "part_zh": self.condition.part_zh,
                **(self.reason.explained() if self.reason is not None else {}),
            }
        return data


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
    lead
        The plan's lead time as the workflow states it ("原则上应提前24小时以上发布，特殊情况下
        至少提前12小时", seed 001 §3.5), or its recorded silence; None: no lead time is judged.
    lifting_hours
        Improvement must be forecast to last this long before a downgrade or lifting, and two
        episodes closer than this are one (seed 001 §3.7.1, seed 003 §3.3.2). [h]
    lifting_max_aqi
        Lift only at or below this AQI ("改善到轻度污染及以下", seed 003 §3.3.2: 150); None means
        "below the level's criteria" (seed 001 §3.7.1). [index]
    merging_hours
        Two polluted periods closer than this are one episode (seed 003 §3.3.2: 36; seed
        001 §3.7.1 "间隔时间未达到解除预警条件": its 36 h lifting time); None: the plan has no
        merge rule and periods are not merged (the plan file records the silence). [h]
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
    workflow
        The plan's workflow (who proposes, reviews, agrees, approves each action); None for rules
        built without a plan.
    excluded
        Causes the plan leaves out (``typhoon``, flagged on forecast rows) -> clause.
    clauses
        Clauses for the lifecycle rules: keys ``lifting``, ``merging``, ``upgrade``, ``dust``.
    """

    plan_id: str
    levels: tuple[Level, ...]
    advisory: tuple[Criterion, ...] = ()
    advisory_clause: str = ""
    lead: LeadTimeFacts | None = None
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
    workflow: Workflow | None = None
    excluded: Mapping[str, str] = field(default_factory=dict)
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
        """Quiet time that separates two episodes; 0 where the plan does not merge. [h]"""
        return 0.0 if self.merging_hours is None else self.merging_hours

    def clause(self, key: str) -> str:
        """The clause of a lifecycle rule, or an empty string when the plan gives none."""
        return self.clauses.get(key, "")


__all__ = ["LEVEL_ORDER", "Level", "MeasureRef", "WarningRules", "rank"]
