"""The parts a plan is made of. Every part that states a rule carries ``clause`` and ``text_zh``.

``clause`` names where the rule comes from: ``"003 §3.1"`` is section 3.1 of seed 003 (the seed
files in ``../shared/seeds``); ``"beijing-README §2016"`` is a row of the Beijing criteria README.
``text_zh`` is the original Chinese text, so the software can always say *why*.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from hazeguard.plans.criteria import Criterion
from hazeguard.plans.measure_condition import MeasureCondition
from hazeguard.vocabulary import WARNING_LEVELS, WarningLevelName

if TYPE_CHECKING:
    from hazeguard.plans.build import Builder
    from hazeguard.plans.tree import Item

LevelName = WarningLevelName
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
Completeness = Literal["complete", "partial", "criteria_only"]

LEVEL_ORDER: tuple[LevelName, ...] = WARNING_LEVELS
"""The warning levels a plan may have, low to high (:data:`hazeguard.vocabulary.WARNING_LEVELS`)."""
CLAUSE = re.compile(r"(?:\d{3}|beijing-README) §\S+")


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
class Parent:
    """The jurisdiction above the plan's (a province, region or city), named as the pages show it.

    Written ``parent: {code: dalian, name_zh: 大连市, name_en: Dalian, kind: city}``. The code
    alone (``parent: dalian``, as older files and stored snapshots have it) still reads: the
    parent is then known by its code only.
    """

    code: str
    name_zh: str = ""
    name_en: str = ""
    kind: JurisdictionKind | None = None

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("a parent has a code")
        if bool(self.name_zh) != bool(self.name_en):
            raise ValueError("a parent is named in Chinese and English: name_zh and name_en")

    @property
    def named(self) -> bool:
        """Whether the plan names the parent (else only its code is known)."""
        return bool(self.name_zh)


def build_parent(builder: Builder, item: Item, path: str, key: str) -> Parent:
    """A :class:`Parent` from its mapping, or from its code alone (older files, snapshots)."""
    if isinstance(item.value, dict):
        return builder.dataclass(Parent, item, path)
    code: str = builder.build(str, item, path, key)
    return Parent(code)


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
    """Who approves issuing a level, and who reviews and agrees on the way, in order.

    Kashgar's red: "由指挥部办公室主任审核，经指挥部副指挥长同意后，报请指挥长批准后发布"
    (001 §3.5) is ``reviewed_by: [office_director]``, ``agreed_by: [deputy_commander]``,
    ``approver: commander``. ``or_approved_by`` names roles that may approve as well as
    ``approver`` (Xigang: "指挥长…副指挥长…负责批准本预案相应预警", 000 §2.1).
    """

    approver: Approver
    clause: str
    text_zh: str
    reviewed_by: tuple[Approver, ...] = ()
    agreed_by: tuple[Approver, ...] = ()
    or_approved_by: tuple[Approver, ...] = ()

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Measure:
    """One measure of a level, with the member units (codes) that carry it out.

    ``condition``: when the plan limits the measure (a pollutant, a season, an AQI, no frost).
    """

    category: MeasureCategory
    clause: str
    text_zh: str
    responsible_units: tuple[str, ...] = ()
    source_class: SourceClass | None = None
    summary: str = ""
    condition: MeasureCondition | None = None

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
    air quality must improve to (``lift``: 150 = light pollution or better); ``None`` means
    below the current level's own criteria. ``approver`` is who approves the step when the plan
    names someone other than the level's own approver (``lift``: Liaocheng's office director,
    003 §3.3.2; ``lift_on_schedule``: Kashgar's command office, 001 §3.7.2).
    """

    kind: RuleKind
    clause: str
    text_zh: str
    duration: dt.timedelta | None = None
    aqi_at_most: int | None = None
    approver: Approver | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)
