"""Enumerations of the emission-reduction list: pollutants, levels, grades, categories, kinds.

Values are English identifiers; the interface shows the Chinese term (``label_zh`` where given).
"""

from __future__ import annotations

from enum import StrEnum

from hazeguard.vocabulary import LEVELS as LEVELS_TERMS

__all__ = [
    "LEVELS",
    "POLLUTANTS",
    "EmissionStage",
    "EnterpriseCategory",
    "EssentialBasis",
    "Grade",
    "MeasureKind",
    "Pollutant",
    "Severity",
    "SourceClass",
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
        return LEVELS_TERMS[self.value].colour_zh


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
    def label_en(self) -> str:
        """The English name shown in the interface's English mode."""
        return _GRADE_EN.get(self, self.value)

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


_GRADE_EN = {
    Grade.LEADING: "Leading",
    Grade.NON_LEADING: "Non-leading",
    Grade.ADVANCED: "Advanced",
    Grade.UNGRADED: "Ungraded",
}


class EnterpriseCategory(StrEnum):
    """List category of an enterprise (seed 001 §4.3.1.1)."""

    KEY = "key"  # 重点企业
    SMALL_MICRO = "small_micro"  # 小微涉气企业
    ESSENTIAL = "essential"  # 保障类企业
    OTHER = "other"  # 其他企业

    @property
    def label_zh(self) -> str:
        """The Chinese name shown in the interface."""
        return _CATEGORY_ZH[self]

    @property
    def label_en(self) -> str:
        """The English name shown in the interface's English mode."""
        return _CATEGORY_EN[self]


_CATEGORY_ZH = {
    EnterpriseCategory.KEY: "重点企业",
    EnterpriseCategory.SMALL_MICRO: "小微涉气企业",
    EnterpriseCategory.ESSENTIAL: "保障类企业",
    EnterpriseCategory.OTHER: "其他企业",
}
_CATEGORY_EN = {
    EnterpriseCategory.KEY: "Key enterprise",
    EnterpriseCategory.SMALL_MICRO: "Small or micro emitter",
    EnterpriseCategory.ESSENTIAL: "Essential supply enterprise",
    EnterpriseCategory.OTHER: "Other enterprise",
}


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
    ROTATE = "rotate"  # 轮流停产: batch ``batch`` of ``batches`` (at most 3, seed 003 §2.2)
    TRUCK_BAN = "truck_ban"  # 停用国四及以下重型货车: heavy trucks up to ``truck_stage``
    LOAD_CAP = "load_cap"  # 以热定产/以量定产: approved maximum load ``amount``
    VOLUNTARY = "voluntary"  # 自主减排 (A grade and leading): optional ``fraction``
    EXEMPT = "exempt"  # explicit exemption at this level; ``reason`` is required


# Which numeric fields each kind needs; checked when a Measure is built.


class Severity(StrEnum):
    """How serious a finding is: errors break a rule, warnings need a look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
