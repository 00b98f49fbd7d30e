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
from enum import StrEnum

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


class Pollutant(StrEnum):
    """The four pollutants whose reduction ratios the plans set (seed 003 §4.3)."""

    SO2 = "SO2"
    NOX = "NOx"
    PM = "PM"  # 颗粒物, total particulate matter
    VOCS = "VOCs"


POLLUTANTS: tuple[Pollutant, ...] = tuple(Pollutant)
"""The pollutants in the fixed column order used by every array: SO2, NOx, PM, VOCs."""


class WarningLevel(StrEnum):
    """Warning level; yellow starts response III, orange II, red I (seed 003 §4.1)."""

    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def rank(self) -> int:
        """0 for yellow, 1 for orange, 2 for red: the index used by every level array."""
        return LEVELS.index(self)

    @property
    def label_zh(self) -> str:
        """The Chinese name shown in the interface."""
        return {"yellow": "黄色", "orange": "橙色", "red": "红色"}[self.value]


LEVELS: tuple[WarningLevel, ...] = (WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED)
"""The levels from the mildest to the strictest."""


class Grade(StrEnum):
    """Environmental performance grade (绩效分级), 2020 technical guide (环办大气函〔2020〕340号).

    Extend by adding a member here and a row to the rule tables; ``A+`` anticipates the grade
    reported for the 2026 revision (reference emission-list.md §1, confidence S).
    """

    A_PLUS = "A+"
    A = "A"
    B = "B"
    B_MINUS = "B-"
    C = "C"
    D = "D"
    LEADING = "leading"  # 绩效引领性
    NON_LEADING = "non_leading"  # 非引领性
    ADVANCED = "advanced"  # 绩效先进性 (Henan)
    UNGRADED = "ungraded"  # 未评级

    @classmethod
    def parse(cls, text: str) -> Grade:
        """Read a grade from its code or its Chinese name (``"B-"``, ``"引领性"``, ``"B级"``)."""
        cleaned = text.strip().replace("级", "").replace("－", "-").replace("＋", "+").upper()
        for grade in cls:
            if cleaned in {grade.value.upper(), _GRADE_ZH[grade].replace("级", "").upper()}:
                return grade
        raise ValueError(f"unknown performance grade {text!r}")

    @property
    def label_zh(self) -> str:
        """The Chinese name shown in the interface."""
        return _GRADE_ZH[self]

    @property
    def self_determined(self) -> bool:
        """True for grades that may choose their own measures: A+, A, leading, advanced.

        Seed 003 §4.4.1.1: A-grade and leading enterprises 可自主采取减排措施; Henan gives
        advanced (先进性) the same autonomy (reference emission-list.md §3.2, confidence V).
        """
        return self in {Grade.A_PLUS, Grade.A, Grade.LEADING, Grade.ADVANCED}


_GRADE_ZH = {
    Grade.A_PLUS: "A+级",
    Grade.A: "A级",
    Grade.B: "B级",
    Grade.B_MINUS: "B-级",
    Grade.C: "C级",
    Grade.D: "D级",
    Grade.LEADING: "引领性",
    Grade.NON_LEADING: "非引领性",
    Grade.ADVANCED: "先进性",
    Grade.UNGRADED: "未评级",
}


class EnterpriseCategory(StrEnum):
    """List category of an enterprise (seed 001 §4.3.1.1)."""

    KEY = "key"  # 重点企业
    SMALL_MICRO = "small_micro"  # 小微涉气企业
    ESSENTIAL = "essential"  # 保障类企业
    OTHER = "other"  # 其他企业


class EssentialBasis(StrEnum):
    """Why an enterprise is essential (保障类), seed 003 §4.4.1.2 and §4.6."""

    HEATING = "heating"  # 居民供暖 (以热定产)
    POWER_SUPPLY = "power_supply"  # 居民供电
    WASTE_CO_PROCESSING = "waste_co_processing"  # 协同处置生活垃圾或危险废物 (以量定产)
    EPIDEMIC_SUPPLIES = "epidemic_supplies"  # 重大疫情防控物资生产
    MILITARY_OR_GOVERNMENT = "military_or_government"  # 涉军、涉政
    EXPORT = "export"  # 外贸出口
    STRATEGIC = "strategic"  # 战略性产业、新兴产业
    TEXTBOOK_PRINTING = "textbook_printing"  # 教学用书印刷
    PHARMA_PESTICIDE = "pharma_pesticide"  # 民生需求的农药、医药
    MAJOR_PROJECT = "major_project"  # 重点保障性建设工程


class UnitStatus(StrEnum):
    """Operating state of a production unit before the warning.

    Only operating units earn reduction credit: lines stopped before the warning stay stopped and
    are not emergency reductions (reference emission-list.md §2.2, 德州 2022, confidence V).
    """

    OPERATING = "operating"
    LONG_IDLE = "long_idle"  # 长期停产
    OFF_PEAK_STOPPED = "off_peak_stopped"  # 错峰停产
    UNDER_RETROFIT = "under_retrofit"  # 停产改造


class SourceClass(StrEnum):
    """Source class of the emission inventory (seed 003 §4.3: 工业源、移动源、扬尘源)."""

    INDUSTRIAL = "industrial"
    MOBILE = "mobile"
    DUST = "dust"
    OTHER = "other"


class EmissionStage(StrEnum):
    """China vehicle emission stage (国I–国VI), ordered from the oldest."""

    CHINA_1 = "China I"
    CHINA_2 = "China II"
    CHINA_3 = "China III"
    CHINA_4 = "China IV"
    CHINA_5 = "China V"
    CHINA_6 = "China VI"

    @property
    def rank(self) -> int:
        """1 for China I up to 6 for China VI."""
        return _STAGE_RANK[self]


_STAGE_RANK = {stage: rank for rank, stage in enumerate(EmissionStage, start=1)}


class MeasureKind(StrEnum):
    """What a measure does; each kind has one formula in :mod:`hazeguard.reduction.formulas`."""

    STOP = "stop"  # 停产: the covered units stop
    LIMIT = "limit"  # 限产 x%: activity cut by ``fraction``
    STOP_LINES = "stop_lines"  # 停产x%以生产线计: listed units stop, >= ``fraction`` of capacity
    FEED_CAP = "feed_cap"  # 投料量由 A 降低到 B: activity capped at ``amount`` from ``base_amount``
    EXTEND_COKING = "extend_coking"  # 延长结焦时间 t0 -> t1 [h]: ``base_amount`` -> ``amount``
    ROTATE = "rotate"  # 轮流停产: batch ``batch`` of ``batches`` (at most 3, seed 003 §2)
    TRUCK_BAN = "truck_ban"  # 停用国四及以下重型货车: heavy trucks up to ``truck_stage``
    LOAD_CAP = "load_cap"  # 以热定产/以量定产: approved maximum load ``amount``
    VOLUNTARY = "voluntary"  # 自主减排 (A grade and leading): optional ``fraction``
    EXEMPT = "exempt"  # explicit exemption at this level; ``reason`` is required


# Which numeric fields each kind needs; checked when a Measure is built.
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
        if len(set(unit_ids)) != len(unit_ids):
            raise ValueError(f"{self.credit_code}: unit ids repeat: {unit_ids}")
        known = set(unit_ids)
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
    source: str = ""  # e.g. "seed 003 §4.3, §4.4.2.3"


class Severity(StrEnum):
    """How serious a finding is: errors break a rule, warnings need a look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


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
