"""The emission-reduction list (应急减排清单) as enums and frozen dataclasses.

This object model is for entry, import and checks. Accounting over large lists uses the columnar
form in :mod:`hazeguard.reduction.accounting`, built from these objects.

Units: baseline emissions are same-season daily means in tonnes per day [t/d]; capacities and
caps are daily activities in the unit's ``capacity_unit`` (e.g. clinker [t/d]); fractions are
plain shares in [0, 1] (0.2 means 20 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from hazeguard.reduction.enums import (
    LEVELS,
    POLLUTANTS,
    EmissionStage,
    EnterpriseCategory,
    EssentialBasis,
    Grade,
    MeasureKind,
    Pollutant,
    Severity,
    SourceClass,
    UnitStatus,
    WarningLevel,
)
from hazeguard.reduction.uscc import validate_credit_code

__all__ = [
    "LEVELS",
    "POLLUTANTS",
    "EmissionList",
    "EmissionStage",
    "Emissions",
    "Enterprise",
    "EnterpriseCategory",
    "EssentialBasis",
    "Finding",
    "Grade",
    "Inventory",
    "LevelTargets",
    "Measure",
    "MeasureKind",
    "Pollutant",
    "ProductionUnit",
    "ReductionTargets",
    "Severity",
    "SourceClass",
    "TruckTrips",
    "UnitStatus",
    "WarningLevel",
]


_REQUIRED_FIELDS: dict[MeasureKind, tuple[str, ...]] = {
    MeasureKind.STOP: (),
    MeasureKind.LIMIT: ("fraction",),
    MeasureKind.STOP_LINES: ("fraction",),
    MeasureKind.FEED_CAP: ("amount",),
    MeasureKind.EXTEND_COKING: ("base_amount", "amount"),
    MeasureKind.ROTATE: ("batch", "batches"),
    MeasureKind.TRUCK_BAN: ("truck_stage",),
    MeasureKind.LOAD_CAP: ("amount",),
    MeasureKind.VOLUNTARY: (),
    MeasureKind.EXEMPT: ("reason",),
}


@dataclass(frozen=True, slots=True)
class Emissions:
    """Daily emissions of the four pollutants. [t/d]"""

    so2: float = 0.0
    nox: float = 0.0
    pm: float = 0.0
    vocs: float = 0.0

    def __post_init__(self) -> None:
        # One chained test first: lists of a million units build this object millions of times.
        if self.so2 >= 0.0 and self.nox >= 0.0 and self.pm >= 0.0 and self.vocs >= 0.0:
            return
        for name in ("so2", "nox", "pm", "vocs"):
            value = getattr(self, name)
            if not value >= 0.0:  # also rejects NaN
                raise ValueError(f"emissions.{name} must be a number >= 0 [t/d], got {value!r}")

    def get(self, pollutant: Pollutant) -> float:
        """Emission of one pollutant. [t/d]"""
        return float(getattr(self, _FIELD[pollutant]))

    def as_tuple(self) -> tuple[float, float, float, float]:
        """(SO2, NOx, PM, VOCs) in the order of :data:`POLLUTANTS`. [t/d]"""
        return (self.so2, self.nox, self.pm, self.vocs)

    @classmethod
    def from_mapping(cls, values: Mapping[Pollutant, float]) -> Emissions:
        """Build from a pollutant mapping; missing pollutants are 0. [t/d]"""
        return cls(**{_FIELD[p]: float(v) for p, v in values.items()})

    def __add__(self, other: Emissions) -> Emissions:
        return Emissions(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def scaled(self, factor: float) -> Emissions:
        """These emissions multiplied by a non-negative factor. [t/d]"""
        return Emissions(*(value * factor for value in self.as_tuple()))


_FIELD = {Pollutant.SO2: "so2", Pollutant.NOX: "nox", Pollutant.PM: "pm", Pollutant.VOCS: "vocs"}


@dataclass(frozen=True, slots=True)
class ProductionUnit:
    """A production line, process or device (生产线/工序/设备) of an enterprise.

    ``capacity`` is the base for percentage limits: the smallest of the daily averages of the
    EIA-approved capacity, the permitted capacity and last year's output (2020 guide, cement;
    reference emission-list.md §7.1, confidence V), in ``capacity_unit`` per day.
    """

    unit_id: str
    name: str
    process: str  # process tag used by rule tables: "kiln", "grinding", "printing", ...
    capacity: float  # [capacity_unit/d]
    baseline: Emissions  # same-season daily baseline [t/d]
    status: UnitStatus = UnitStatus.OPERATING
    capacity_unit: str = "t/d"

    def __post_init__(self) -> None:
        if not self.unit_id:
            raise ValueError("unit_id must not be empty")
        if not self.capacity >= 0.0:
            raise ValueError(f"unit {self.unit_id}: capacity must be >= 0, got {self.capacity!r}")

    @property
    def operating(self) -> bool:
        """True when the unit runs before the warning and so can earn reduction credit."""
        return self.status is UnitStatus.OPERATING


@dataclass(frozen=True, slots=True)
class Measure:
    """One cell of the site plan (一厂一策): what some units of an enterprise do at one level.

    An empty ``unit_ids`` means every unit of the enterprise. The numeric fields a kind needs
    are listed on :class:`MeasureKind`; others stay None.
    """

    level: WarningLevel
    kind: MeasureKind
    unit_ids: tuple[str, ...] = ()
    fraction: float | None = None  # LIMIT cut, STOP_LINES capacity share, VOLUNTARY cut [0-1]
    amount: float | None = None  # FEED_CAP/LOAD_CAP cap [capacity_unit/d]; EXTEND_COKING t1 [h]
    base_amount: float | None = None  # FEED_CAP activity before [capacity_unit/d]; coking t0 [h]
    batch: int | None = None  # ROTATE: this enterprise's batch, 1..batches
    batches: int | None = None  # ROTATE: number of batches
    truck_stage: EmissionStage | None = None  # TRUCK_BAN: newest banned stage (inclusive)
    reason: str = ""  # EXEMPT: why; otherwise an optional note
    text: str = ""  # the original Chinese wording, if the measure came from free text
    rule_ref: str | None = None  # the rule-table row that produced or validates it

    def __post_init__(self) -> None:
        for name in _REQUIRED_FIELDS[self.kind]:
            if getattr(self, name) in (None, ""):
                raise ValueError(f"a {self.kind.value} measure needs {name}")
        if self.fraction is not None and not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"fraction must be in [0, 1], got {self.fraction!r}")
        for name in ("amount", "base_amount"):
            value = getattr(self, name)
            if value is not None and not value >= 0.0:
                raise ValueError(f"{name} must be >= 0, got {value!r}")
        if self.batches is not None and self.batches < 1:
            raise ValueError(f"batches must be >= 1, got {self.batches}")
        if self.batch is not None and not 1 <= self.batch <= (self.batches or self.batch):
            raise ValueError(f"batch must be in 1..{self.batches}, got {self.batch}")


@dataclass(frozen=True, slots=True)
class TruckTrips:
    """Daily heavy-truck trips (重型载货车辆进出) of one emission stage. [trips/d]"""

    stage: EmissionStage
    trips_per_day: float


_UNIT_IDS_OF = attrgetter("unit_ids")


@dataclass(frozen=True, slots=True)
class Enterprise:
    """An emitter on the list, with its units and its site plan (一厂一策).

    ``key_industry`` names the rule table of one of the 39 key industries (e.g.
    ``"cement_clinker"``); None means a non-key industry, handled by the city default table.
    """

    credit_code: str  # 统一社会信用代码, checked against GB 32100
    name: str
    county: str
    industry_code: str  # 国民经济行业代码, GB/T 4754
    key_industry: str | None
    grade: Grade
    category: EnterpriseCategory
    units: tuple[ProductionUnit, ...]
    measures: tuple[Measure, ...] = ()
    essential_basis: EssentialBasis | None = None
    truck_trips: tuple[TruckTrips, ...] = ()
    power_meters: tuple[str, ...] = ()  # 电力局总表编号 and sub-meters
    coal_or_oil_fired: bool = False  # for the small-micro test (seed 001 §4.3.1.1)
    toxic_pollutants: bool = False  # 有毒有害物质 in its air emissions

    def __post_init__(self) -> None:
        validate_credit_code(self.credit_code)
        if self.category is EnterpriseCategory.ESSENTIAL and self.essential_basis is None:
            raise ValueError(f"{self.credit_code}: an essential enterprise needs essential_basis")
        unit_ids = [unit.unit_id for unit in self.units]
        known = set(unit_ids)
        if len(known) != len(unit_ids):
            raise ValueError(f"{self.credit_code}: unit ids repeat: {unit_ids}")
        # One pass over every measure's units (the common case); the loop only names a culprit.
        if known.issuperset(chain.from_iterable(map(_UNIT_IDS_OF, self.measures))):
            return
        for measure in self.measures:
            unknown = [u for u in measure.unit_ids if u not in known]
            if unknown:
                raise ValueError(
                    f"{self.credit_code}: {measure.level.value} {measure.kind.value} measure "
                    f"names unknown units {unknown}"
                )

    @property
    def is_key_industry(self) -> bool:
        """True when the enterprise belongs to one of the key industries with a rule table."""
        return self.key_industry is not None

    def unit(self, unit_id: str) -> ProductionUnit:
        """The unit with this id (KeyError if absent)."""
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise KeyError(f"{self.credit_code} has no unit {unit_id!r}")

    def measures_at(self, level: WarningLevel) -> tuple[Measure, ...]:
        """The site-plan measures in force at one level."""
        return tuple(m for m in self.measures if m.level is level)

    def baseline(self, operating_only: bool = True) -> Emissions:
        """Sum of the units' baselines, by default of operating units only. [t/d]"""
        total = Emissions()
        for unit in self.units:
            if unit.operating or not operating_only:
                total = total + unit.baseline
        return total


@dataclass(frozen=True, slots=True)
class Inventory:
    """A jurisdiction's society-wide emission inventory (全社会排放量) by source class. [t/d]"""

    by_source: Mapping[SourceClass, Emissions]

    def total(self) -> Emissions:
        """Society-wide daily emissions, the denominator of every reduction ratio. [t/d]"""
        total = Emissions()
        for emissions in self.by_source.values():
            total = total + emissions
        return total

    def source(self, source_class: SourceClass) -> Emissions:
        """Emissions of one source class (zero if not entered). [t/d]"""
        return self.by_source.get(source_class, Emissions())


@dataclass(frozen=True, slots=True)
class EmissionList:
    """A jurisdiction's emission-reduction list (应急减排清单): its emitters and its inventory."""

    jurisdiction: str
    enterprises: tuple[Enterprise, ...]
    inventory: Inventory

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for enterprise in self.enterprises:
            if enterprise.credit_code in seen:
                raise ValueError(f"credit code {enterprise.credit_code} appears twice on the list")
            seen.add(enterprise.credit_code)


@dataclass(frozen=True, slots=True)
class LevelTargets:
    """Reduction targets at one level, as shares of the society-wide totals [0-1].

    ``pollutants`` maps each pollutant to its minimum share; ``so2_nox_sum`` is the minimum of
    the SO2 and NOx shares added (seed 003 §4.4.2: 可内部调整…二者之和不应低于20%);
    ``key_enterprise`` is the minimum share each key enterprise cuts of its own emissions
    (seed 000 §6.5: 15/20/30 %). None means the plan sets no such target.
    """

    pollutants: Mapping[Pollutant, float]
    so2_nox_sum: float | None = None
    key_enterprise: float | None = None


@dataclass(frozen=True, slots=True)
class ReductionTargets:
    """A plan's reduction targets per level, with the clause they come from."""

    levels: Mapping[WarningLevel, LevelTargets]
    source: str = ""  # e.g. "seed 003 §4.3, §4.4.2"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a check, naming where it applies and the rule behind it."""

    severity: Severity
    check: str  # e.g. "grade_floor", "monotone", "coverage", "target"
    message: str
    rule: str  # the clause or rule-table row, e.g. "cement_clinker.yaml:24 grades.C.yellow"
    credit_code: str | None = None
    unit_id: str | None = None
    level: WarningLevel | None = None
    pollutant: Pollutant | None = None
    gap: float | None = None  # shortfall, in the unit the check names (t/d for targets)
