"""The parts a plan is made of. Every part that states a rule carries ``clause`` and ``text_zh``.

``clause`` names where the rule comes from: ``"003 §3.1"`` is section 3.1 of seed 003 (the seed
files in ``../shared/seeds``); ``"beijing-README §2016"`` is a row of the Beijing criteria README.
``text_zh`` is the original Chinese text, so the software can always say *why*.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from hazeguard.plans.criteria import Criterion

LevelName = Literal["blue", "yellow", "orange", "red"]
ResponseLevel = Literal["none", "IV", "III", "II", "I"]
Approver = Literal["office_director", "deputy_commander", "commander"]
MeasureCategory = Literal["health_protection", "voluntary", "mandatory", "guidance"]
SourceClass = Literal["industrial", "mobile", "dust", "other"]
JurisdictionKind = Literal[
    "province", "prefecture", "city", "county", "district", "development_zone"
]
ExclusionCause = Literal["dust_storm", "dust_weather", "typhoon"]
RuleKind = Literal[
    "issue_on_observed",
    "adjust",
    "upgrade",
    "downgrade",
    "lift",
    "lift_on_schedule",
    "merge",
    "regional_floor",
    "response_ends_on_lift",
]
DeadlineKind = Literal[
    "notify_counties",
    "notify_units",
    "public_notice",
    "daily_report",
    "summary",
    "evaluation",
    "list_update",
]
DeadlineEvent = Literal[
    "warning_issued", "warning_received", "response_day", "response_ended", "year_end"
]
ReportPeriod = Literal["same_day", "previous_day"]
TaskPhase = Literal["preparation", "response", "summary", "support"]
ProvisionTopic = Literal[
    "preparation",
    "forecasting",
    "procedure",
    "enterprise_control",
    "essential_enterprises",
    "small_micro_enterprises",
    "key_projects",
    "source_control",
    "regional_linkage",
    "publicity",
    "organisation",
    "reporting",
    "supervision",
    "accountability",
    "evaluation",
    "drills",
    "support",
    "plan_management",
]
Completeness = Literal["complete", "partial", "criteria_only"]

LEVEL_ORDER: tuple[LevelName, ...] = ("blue", "yellow", "orange", "red")
CLAUSE = re.compile(r"(?:\d{3}|beijing-README) §\S+")
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")  # 24:00 = the end of the day


def check_clause(clause: str) -> None:
    """Raise ``ValueError`` unless ``clause`` reads ``"<seed> §<section>"``."""
    if not CLAUSE.fullmatch(clause):
        raise ValueError(f"clause {clause!r} must read like '003 §3.1'")


@dataclass(frozen=True)
class Citation:
    """Where a single value (a flag, a response level) comes from."""

    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Jurisdiction:
    """The area a plan governs. ``code`` is its pinyin code (``liaocheng``, ``dalian-xigang``)."""

    code: str
    name_zh: str
    name_en: str
    kind: JurisdictionKind


@dataclass(frozen=True)
class County:
    """A county, county-level city, district or development zone inside the jurisdiction."""

    code: str
    name_zh: str
    name_en: str
    kind: JurisdictionKind
    note: str = ""


@dataclass(frozen=True)
class Adjacency:
    """Two counties share a border; ``note`` says how that is known (geography, not the seed)."""

    between: tuple[str, ...]
    note: str

    def __post_init__(self) -> None:
        if len(self.between) != 2 or self.between[0] == self.between[1]:
            raise ValueError("an adjacency names two different counties")


@dataclass(frozen=True)
class Scope:
    """Where and when the plan applies: heavy pollution is daily AQI above ``aqi_above``."""

    area_zh: str
    aqi_above: int
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Exclusion:
    """Pollution from this cause is outside the plan (dust storms, typhoons)."""

    cause: ExclusionCause
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Approval:
    """Who approves issuing a level, and who reviews the request on its way."""

    approver: Approver
    clause: str
    text_zh: str
    reviewed_by: tuple[Approver, ...] = ()

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Measure:
    """One measure of a level, with the member units (codes) that carry it out."""

    category: MeasureCategory
    clause: str
    text_zh: str
    responsible_units: tuple[str, ...] = ()
    source_class: SourceClass | None = None
    summary: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class ReductionTarget:
    """Share of total emissions a level must cut. [fraction, 0.1 = 10 %]

    ``so2_nox_sum`` is the floor on SO2 + NOx when the two may be traded against each other;
    ``key_enterprise`` is the cut each key industrial enterprise must reach.
    """

    clause: str
    text_zh: str
    so2: float | None = None
    nox: float | None = None
    pm: float | None = None
    vocs: float | None = None
    so2_nox_sum: float | None = None
    key_enterprise: float | None = None
    key_enterprise_clause: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)
        if self.key_enterprise_clause:
            check_clause(self.key_enterprise_clause)
        for name in ("so2", "nox", "pm", "vocs", "so2_nox_sum", "key_enterprise"):
            value = getattr(self, name)
            if value is not None and not 0 < value <= 1:
                raise ValueError(f"{name} is a fraction in (0, 1], got {value}")

    @property
    def pollutants(self) -> dict[str, float]:
        """Pollutant (``SO2``, ``NOx``, ``PM``, ``VOCs``) -> fraction, for those stated."""
        pairs = {"SO2": self.so2, "NOx": self.nox, "PM": self.pm, "VOCs": self.vocs}
        return {name: value for name, value in pairs.items() if value is not None}


@dataclass(frozen=True)
class Level:
    """A warning level: its criteria, the response it starts, who approves it, its measures."""

    name: LevelName
    response: ResponseLevel
    criteria: Criterion
    clause: str
    text_zh: str
    response_source: Citation | None = None
    approval: Approval | None = None
    measures: tuple[Measure, ...] = ()
    reduction_target: ReductionTarget | None = None
    note: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)

    @property
    def approver(self) -> Approver | None:
        """The role that approves issuing this level, if the plan says."""
        return self.approval.approver if self.approval is not None else None


@dataclass(frozen=True)
class Advisory:
    """The public advisory notice below the lowest level (Liaocheng 003 §3.1)."""

    criteria: Criterion
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class LeadTime:
    """How far ahead a warning is issued: usually ``usual``, never less than ``minimum``."""

    usual: dt.timedelta
    clause: str
    text_zh: str
    minimum: dt.timedelta | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)
        if self.minimum is not None and self.minimum > self.usual:
            raise ValueError("the minimum lead time exceeds the usual one")


@dataclass(frozen=True)
class Rule:
    """A lifecycle rule: issuing on observation, adjusting, lifting, merging episodes.

    ``duration`` is the rule's time figure: how long improvement must be forecast to last
    (``lift``), the longest gap that still makes one episode (``merge``), or how long no
    improvement is expected (``issue_on_observed``, ``upgrade``). ``aqi_at_most`` is the AQI
    air quality must improve to (``lift``: 200 = light pollution or better); ``None`` means
    below the current level's own criteria.
    """

    kind: RuleKind
    clause: str
    text_zh: str
    duration: dt.timedelta | None = None
    aqi_at_most: int | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class MemberUnit:
    """A member unit (成员单位) and its duties (``text_zh``)."""

    code: str
    name_zh: str
    name_en: str
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Deadline:
    """A notice, report or summary due after an event.

    Exactly one of: ``within`` (a duration after the event), ``at`` (a clock time ``HH:MM``,
    ``days_after`` days after the event's day), ``working_days`` (working days after the event).
    ``covers`` says which day a daily report is about.
    """

    kind: DeadlineKind
    after: DeadlineEvent
    reporter_zh: str
    recipient_zh: str
    clause: str
    text_zh: str
    within: dt.timedelta | None = None
    at: str | None = None
    days_after: int = 0
    working_days: int | None = None
    covers: ReportPeriod | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)
        given = [self.within is not None, self.at is not None, self.working_days is not None]
        if sum(given) != 1:
            raise ValueError("a deadline has exactly one of 'within', 'at', 'working_days'")
        if self.at is not None and not CLOCK.fullmatch(self.at):
            raise ValueError(f"'at' is a clock time HH:MM, got {self.at!r}")

    def due(self, event: dt.datetime) -> dt.datetime:
        """When the notice or report is due, for an event at ``event`` (local time).

        Working days are Monday to Friday; China's public holidays and their make-up working days
        are not known here, so a deadline that spans a holiday comes out early (never late).
        """
        if self.within is not None:
            return event + self.within
        if self.at is not None:
            hour, minute = (int(part) for part in self.at.split(":"))
            midnight = dt.datetime.combine(event.date(), dt.time(), event.tzinfo)
            return midnight + dt.timedelta(days=self.days_after, hours=hour, minutes=minute)
        assert self.working_days is not None
        day, left = event, self.working_days
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day

    def describe(self) -> str:
        """A short English reading, e.g. ``17:00 the same day``."""
        if self.within is not None:
            return f"within {self.within.total_seconds() / 3600:g} h"
        if self.working_days is not None:
            return f"within {self.working_days} working days"
        day = {0: "the same day", 1: "the next day"}.get(self.days_after, f"+{self.days_after} d")
        return f"{self.at} {day}"


@dataclass(frozen=True)
class Provision:
    """A rule of the plan that the software does not act on by itself but must show and keep:
    how enterprises are managed, who supervises, drills, filing. ``title_zh`` is the section's
    heading."""

    topic: ProvisionTopic
    title_zh: str
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Task:
    """A task of a department plan, with lead, responsible and supporting units (Chinese)."""

    phase: TaskPhase
    name_zh: str
    clause: str
    text_zh: str
    lead_zh: tuple[str, ...] = ()
    responsible_zh: tuple[str, ...] = ()
    support_zh: tuple[str, ...] = ()
    level: LevelName | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Assignment:
    """A department section that supervises one county (seed 004 annex 1)."""

    county: str
    unit_zh: str
    clause: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class DepartmentPlan:
    """A member unit's implementation plan (专项实施方案) under the jurisdiction's plan."""

    id: str
    unit: str
    title_zh: str
    source: str
    clause: str
    text_zh: str
    issued: dt.date | None = None
    tasks: tuple[Task, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    provisions: tuple[Provision, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)
