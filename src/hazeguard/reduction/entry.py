"""Validation of one entered record per entity, shared by manual entry and the Excel import.

Each ``*_from_fields`` function takes the raw values of one form or one spreadsheet row (field
name -> value as typed: text, number, bool or None) and returns the model object, or raises
:class:`EntryError` listing *every* field that is wrong, each with its reason. The Excel import
(:mod:`hazeguard.reduction.io_excel`) maps the field names to sheet columns; a web form maps them
to its inputs (STYLE.md rule 14: imports reuse the entry schemas).

Enumerations accept the Chinese label shown in dropdowns or the English value used in code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TypeVar, cast

from hazeguard.reduction.model import (
    Emissions,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    EssentialBasis,
    Grade,
    Measure,
    MeasureKind,
    ProductionUnit,
    SourceClass,
    TruckTrips,
    UnitStatus,
    WarningLevel,
)
from hazeguard.reduction.parser import ParsedKind, ParsedMeasure, parse_measure
from hazeguard.reduction.uscc import CreditCodeError, credit_code_problem

E = TypeVar("E", bound=StrEnum)
Raw = Mapping[str, object]

LABELS_ZH: dict[type[StrEnum], dict[str, str]] = {
    Grade: {g.value: g.label_zh for g in Grade},
    WarningLevel: {w.value: w.label_zh for w in WarningLevel},
    EnterpriseCategory: {
        "key": "重点企业",
        "small_micro": "小微涉气企业",
        "essential": "保障类企业",
        "other": "其他企业",
    },
    EssentialBasis: {
        "heating": "居民供暖",
        "power_supply": "居民供电",
        "waste_co_processing": "协同处置",
        "epidemic_supplies": "疫情防控物资",
        "military_or_government": "涉军涉政",
        "export": "外贸出口",
        "strategic": "战略性新兴产业",
        "textbook_printing": "教学用书印刷",
        "pharma_pesticide": "民生农药医药",
        "major_project": "重点保障工程",
    },
    UnitStatus: {
        "operating": "正常生产",
        "long_idle": "长期停产",
        "off_peak_stopped": "错峰停产",
        "under_retrofit": "停产改造",
    },
    MeasureKind: {
        "stop": "停产",
        "limit": "限产",
        "stop_lines": "停产（以生产线计）",
        "feed_cap": "投料量限制",
        "extend_coking": "延长结焦时间",
        "rotate": "轮流停产",
        "truck_ban": "停用重型货车",
        "load_cap": "以热（量）定产",
        "voluntary": "自主减排",
        "exempt": "豁免",
    },
    EmissionStage: {s.value: f"国{'一二三四五六'[s.rank - 1]}" for s in EmissionStage},
    SourceClass: {"industrial": "工业源", "mobile": "移动源", "dust": "扬尘源", "other": "其他源"},
}
"""The Chinese label of every enumeration value, as the template's dropdowns show it."""

YES, NO = "是", "否"


@dataclass(frozen=True)
class FieldError:
    """One wrong field: its name and why."""

    field: str
    reason: str


class EntryError(ValueError):
    """A record with one or more wrong fields; ``errors`` lists them all."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in self.errors))


class _Reader:
    """Reads typed values out of a raw record, collecting errors instead of stopping at one."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.errors: list[FieldError] = []

    def fail(self, field: str, reason: str) -> None:
        self.errors.append(FieldError(field, reason))

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.raw.get(field)
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))  # a code typed as a number comes back as 4.0e3
        if required and not text:
            self.fail(field, "required")
        return text

    def number(self, field: str, *, required: bool = True, default: float = 0.0) -> float | None:
        value = self.raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "required")
            return None if not required else default
        try:
            number = float(str(value).strip().rstrip("%％"))
        except ValueError:
            self.fail(field, f"not a number: {value!r}")
            return default
        if not number >= 0.0:
            self.fail(field, f"must be a number >= 0, got {value!r}")
            return default
        return number

    def integer(self, field: str) -> int | None:
        number = self.number(field, required=False)
        if number is None:
            return None
        if not float(number).is_integer():
            self.fail(field, f"must be a whole number, got {number!r}")
            return None
        return int(number)

    def choice(self, field: str, enum: type[E], *, required: bool = True) -> E | None:
        text = self.text(field, required=required)
        if not text:
            return None
        try:
            return parse_enum(enum, text)
        except ValueError as error:
            self.fail(field, str(error))
            return None

    def flag(self, field: str) -> bool:
        value = self.raw.get(field)
        if value in (None, "", NO, False, 0, "no", "false", "False"):
            return False
        if value in (YES, True, 1, "yes", "true", "True"):
            return True
        self.fail(field, f"must be {YES} or {NO}, got {value!r}")
        return False

    def items(self, field: str) -> tuple[str, ...]:
        return tuple(
            p.strip() for p in re.split(r"[;；,，]", self.text(field, required=False)) if p.strip()
        )

    def done(self) -> None:
        if self.errors:
            raise EntryError(self.errors)


def parse_enum(enum: type[E], text: str) -> E:
    """An enumeration member from its Chinese label or its English value."""
    found = _lookup(enum).get(text)
    if found is not None:
        return cast(E, found)
    if enum is Grade:
        return Grade.parse(text)  # type: ignore[return-value]  # "B级 " and other spellings
    allowed = "、".join(LABELS_ZH[enum].values())
    raise ValueError(f"unknown value {text!r}; allowed: {allowed}")


@cache
def _lookup(enum: type[StrEnum]) -> dict[str, StrEnum]:
    """Value and Chinese label -> member, built once per enumeration (imports read 10^5 rows)."""
    labels = LABELS_ZH[enum]
    table = {member.value: member for member in enum}
    table.update({labels[member.value]: member for member in enum})
    return table


def label(member: StrEnum) -> str:
    """The Chinese label of an enumeration member."""
    return LABELS_ZH[type(member)][member.value]


def enterprise_from_fields(
    raw: Raw, units: Sequence[ProductionUnit] = (), measures: Sequence[Measure] = ()
) -> Enterprise:
    """One enterprise (企业) from its entered fields, with its units and measures."""
    r = _Reader(raw)
    code = r.text("credit_code")
    name, county = r.text("name"), r.text("county")
    industry_code = r.text("industry_code")
    key_industry = r.text("key_industry", required=False) or None
    grade = r.choice("grade", Grade)
    category = r.choice("category", EnterpriseCategory)
    basis = r.choice("essential_basis", EssentialBasis, required=False)
    if category is EnterpriseCategory.ESSENTIAL and basis is None:
        r.fail("essential_basis", "required for an essential (保障类) enterprise")
    trips = _truck_trips(r)
    coal, toxic = r.flag("coal_or_oil_fired"), r.flag("toxic_pollutants")
    meters = r.items("power_meters")
    if r.errors and code and (problem := credit_code_problem(code)):
        r.fail("credit_code", problem)  # report it with the others; else Enterprise checks it
    r.done()
    assert grade is not None
    assert category is not None
    try:
        return Enterprise(
            credit_code=code,
            name=name,
            county=county,
            industry_code=industry_code,
            key_industry=key_industry,
            grade=grade,
            category=category,
            units=tuple(units),
            measures=tuple(measures),
            essential_basis=basis,
            truck_trips=trips,
            power_meters=meters,
            coal_or_oil_fired=coal,
            toxic_pollutants=toxic,
        )
    except CreditCodeError as error:
        raise EntryError([FieldError("credit_code", str(error))]) from None


def _truck_trips(r: _Reader) -> tuple[TruckTrips, ...]:
    """'国四:12; 国五:30' -> trips per stage [trips/d]."""
    out = []
    for item in r.items("truck_trips"):
        stage_text, _, trips_text = item.replace("：", ":").partition(":")
        try:
            stage = parse_enum(EmissionStage, stage_text.strip())
            trips = float(trips_text)
        except ValueError:
            r.fail("truck_trips", f"expected 'stage:trips per day', got {item!r}")
            continue
        out.append(TruckTrips(stage, trips))
    return tuple(out)


def emissions_from_fields(r: _Reader) -> Emissions:
    """The four pollutant fields so2, nox, pm, vocs [t/d]; blank means 0."""
    values = [r.number(p, required=False) or 0.0 for p in ("so2", "nox", "pm", "vocs")]
    return Emissions(*values)


def unit_from_fields(raw: Raw) -> tuple[str, ProductionUnit]:
    """One production unit (生产单元) -> (credit code of its enterprise, unit)."""
    r = _Reader(raw)
    code = r.text("credit_code")
    unit_id, name = r.text("unit_id"), r.text("name")
    process = r.text("process", required=False)
    capacity = r.number("capacity")
    capacity_unit = r.text("capacity_unit", required=False) or "t/d"
    baseline = emissions_from_fields(r)
    status = r.choice("status", UnitStatus, required=False) or UnitStatus.OPERATING
    r.done()
    assert capacity is not None
    return code, ProductionUnit(unit_id, name, process, capacity, baseline, status, capacity_unit)


def measures_from_fields(
    raw: Raw, units: Sequence[ProductionUnit]
) -> tuple[str, tuple[Measure, ...]]:
    """One measure row (减排措施) -> (credit code, measures).

    With ``kind`` given the row is one structured measure. With ``kind`` blank the free text in
    ``text`` is parsed (:func:`hazeguard.reduction.parser.parse_measure`); a text that needs review
    is an error naming the unclear clauses, so nothing ambiguous is booked.
    """
    r = _Reader(raw)
    code = r.text("credit_code")
    level = r.choice("level", WarningLevel)
    kind = r.choice("kind", MeasureKind, required=False)
    text = r.text("text", required=False)
    unit_ids = r.items("unit_ids")
    known = {u.unit_id for u in units}
    if unknown := [u for u in unit_ids if u not in known]:
        r.fail("unit_ids", f"units not on the units sheet for {code}: {', '.join(unknown)}")
    if kind is None and not text:
        r.fail("kind", "give a measure type or the measure text")
    fraction = r.number("fraction_pct", required=False)
    amount = r.number("amount", required=False)
    base_amount = r.number("base_amount", required=False)
    batch, batches = r.integer("batch"), r.integer("batches")
    stage = r.choice("truck_stage", EmissionStage, required=False)
    reason = r.text("reason", required=False)
    rule_ref = r.text("rule_ref", required=False) or None
    r.done()
    assert level is not None
    try:
        if kind is not None:
            measure = Measure(
                level,
                kind,
                unit_ids,
                fraction=None if fraction is None else fraction / 100.0,
                amount=amount,
                base_amount=base_amount,
                batch=batch,
                batches=batches,
                truck_stage=stage,
                reason=reason,
                text=text,
                rule_ref=rule_ref,
            )
            return code, (measure,)
        parsed = parse_measure(text)
        if parsed.needs_review:
            reasons = "; ".join(f"「{f.text}」{f.reason}" for f in parsed.flags)
            raise ValueError(f"needs review: {reasons}")
        return code, tuple(measure_from_parsed(m, level, units) for m in parsed.measures)
    except ValueError as error:
        raise EntryError([FieldError("kind" if kind else "text", str(error))]) from None


def measure_from_parsed(
    parsed: ParsedMeasure, level: WarningLevel, units: Sequence[ProductionUnit]
) -> Measure:
    """Map a parsed clause onto the model's measure, resolving its scope to unit ids by name."""
    scoped = tuple(u.unit_id for u in units if parsed.scope and _names(parsed.scope, u))
    text = parsed.text
    kind = parsed.kind
    share = None if parsed.value is None else parsed.value / 100.0
    if kind is ParsedKind.STOP:
        return Measure(level, MeasureKind.STOP, scoped, text=text)
    if kind in (ParsedKind.LIMIT_PCT, ParsedKind.STOP_PCT_BY_LINE, ParsedKind.LOAD_CAP):
        if parsed.by_line and scoped:
            return Measure(level, MeasureKind.STOP_LINES, scoped, fraction=share, text=text)
        # Lines not named: book the share as a limit on the scope (same tonnes, §7.2).
        return Measure(level, MeasureKind.LIMIT, scoped, fraction=share, text=text)
    if kind is ParsedKind.FEED_CAP:
        return Measure(
            level,
            MeasureKind.FEED_CAP,
            scoped,
            amount=parsed.value,
            base_amount=parsed.baseline,
            text=text,
        )
    if kind is ParsedKind.TRUCK_BAN:
        stage = (
            EmissionStage.CHINA_5
            if "国五" in text and "含国五" not in text
            else EmissionStage.CHINA_4
        )
        return Measure(level, MeasureKind.TRUCK_BAN, truck_stage=stage, text=text)
    if kind is ParsedKind.ROAD_TRANSPORT_BAN:
        # 停止公路运输 (emission-list.md §5.1 rule 5, D grade): no truck of any stage.
        return Measure(level, MeasureKind.TRUCK_BAN, truck_stage=EmissionStage.CHINA_6, text=text)
    if kind is ParsedKind.VOLUNTARY:
        return Measure(level, MeasureKind.VOLUNTARY, text=text)
    # COKING_HOURS needs the normal coking time and ROTATION the batch: neither is in the text.
    raise ValueError(
        f"「{text}」: {kind.value} needs fields the text does not give; enter it structured"
    )


def _names(scope: str, unit: ProductionUnit) -> bool:
    """True when a scope text names this unit (by name, id or process)."""
    return any(token and token in scope for token in (unit.name, unit.unit_id, unit.process))


def inventory_from_fields(raw: Raw) -> tuple[str, SourceClass, Emissions]:
    """One inventory row (排放清单) -> (jurisdiction, source class, daily emissions [t/d])."""
    r = _Reader(raw)
    jurisdiction = r.text("jurisdiction")
    source = r.choice("source_class", SourceClass)
    emissions = emissions_from_fields(r)
    r.done()
    assert source is not None
    return jurisdiction, source, emissions
