"""The :class:`Plan`: one version of a jurisdiction's heavy-pollution-weather emergency plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hazeguard.plans.organisation import (
    Deadline,
    DepartmentPlan,
    MemberUnit,
    Provision,
)
from hazeguard.plans.parts import (
    Adjacency,
    Advisory,
    Approver,
    Citation,
    Completeness,
    County,
    Exclusion,
    Jurisdiction,
    LeadTime,
    Level,
    LevelName,
    Measure,
    MeasureCategory,
    Parent,
    ReductionTarget,
    ResponseLevel,
    Rule,
    RuleKind,
    Scope,
)
from hazeguard.plans.pollution_process import PollutionProcess
from hazeguard.plans.procedure import PlanProcedure
from hazeguard.vocabulary import rank


@dataclass(frozen=True)
class Plan:
    """A plan version as data. Build one with :func:`hazeguard.plans.load_plan`.

    ``levels`` run from the lowest to the highest level. ``measures_cumulative`` says whether
    a level's measures add to the lower level's (Kashgar 001 §4.3.3) or restate them in full
    (Xigang 000 §4.2, Liaocheng 003 §4.4).
    """

    id: str
    year: int
    title_zh: str
    source: str
    jurisdiction: Jurisdiction
    levels: tuple[Level, ...]
    completeness: Completeness = "complete"
    title_en: str = ""
    issued: dt.date | None = None
    parent: Parent | None = None
    scope: Scope | None = None
    exclusions: tuple[Exclusion, ...] = ()
    counties: tuple[County, ...] = ()
    adjacency: tuple[Adjacency, ...] = ()
    advisory: Advisory | None = None
    pollution_process: PollutionProcess | None = None
    lead_time: LeadTime | None = None
    rules: tuple[Rule, ...] = ()
    measures_cumulative: bool = False
    measures_cumulative_source: Citation | None = None
    member_units: tuple[MemberUnit, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    department_plans: tuple[DepartmentPlan, ...] = ()
    provisions: tuple[Provision, ...] = ()
    workflow: PlanProcedure | None = None
    notes: str = ""

    @property
    def version(self) -> int:
        """The plan's version: the year of its ID."""
        return self.year

    def level(self, name: str) -> Level:
        """The level called ``name`` (``yellow``...); ``KeyError`` if the plan has none."""
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(f"plan {self.id} has no level {name!r}")

    @property
    def level_names(self) -> tuple[LevelName, ...]:
        """The plan's level names from the lowest to the highest."""
        return tuple(level.name for level in self.levels)

    def approver_for(self, level: str) -> Approver | None:
        """The role that approves issuing ``level`` (``None`` if the plan does not say)."""
        return self.level(level).approver

    def response_for(self, level: str) -> ResponseLevel:
        """The response level (``III``, ``II``, ``I``...) that ``level`` starts."""
        return self.level(level).response

    def measures_for(self, level: str, category: MeasureCategory | None = None) -> list[Measure]:
        """The measures in force at ``level``, lower levels' first when they are cumulative."""
        index = self.level_names.index(self.level(level).name)
        first = 0 if self.measures_cumulative else index
        chosen = self.levels[first : index + 1]
        return [
            measure
            for lower in chosen
            for measure in lower.measures
            if category is None or measure.category == category
        ]

    @property
    def reduction_targets(self) -> dict[LevelName, ReductionTarget]:
        """Level name -> its reduction target, for the levels that state one."""
        return {
            level.name: level.reduction_target
            for level in self.levels
            if level.reduction_target is not None
        }

    def rule(self, kind: RuleKind) -> Rule | None:
        """The plan's first rule of ``kind`` (``lift``, ``merge``...), if any."""
        return next((rule for rule in self.rules if rule.kind == kind), None)

    @property
    def lifting(self) -> Rule | None:
        """The rule for lifting a warning (how long improvement must be forecast to last)."""
        return self.rule("lift")

    @property
    def merging(self) -> Rule | None:
        """The rule that merges two episodes separated by less than ``duration``."""
        return self.rule("merge")

    def neighbours(self, county: str) -> tuple[str, ...]:
        """Codes of the counties that share a border with ``county``."""
        return tuple(
            sorted(
                other
                for pair in self.adjacency
                if county in pair.between
                for other in pair.between
                if other != county
            )
        )

    def member_unit(self, code: str) -> MemberUnit:
        """The member unit with ``code``; ``KeyError`` if there is none."""
        for unit in self.member_units:
            if unit.code == code:
                return unit
        raise KeyError(f"plan {self.id} has no member unit {code!r}")

    def department_plan(self, plan_id: str) -> DepartmentPlan:
        """The department plan with ``plan_id``; ``KeyError`` if there is none."""
        for department in self.department_plans:
            if department.id == plan_id:
                return department
        raise KeyError(f"plan {self.id} has no department plan {plan_id!r}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot; :meth:`from_dict` reads it back to an equal plan."""
        from hazeguard.plans.build import to_plain

        snapshot: dict[str, Any] = to_plain(self)
        return snapshot

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """The plan a snapshot describes, validated like a file (errors name ``<snapshot>``)."""
        from hazeguard.plans.loader import plan_from_plain

        return plan_from_plain(data)


__all__ = ["Plan", "rank"]
