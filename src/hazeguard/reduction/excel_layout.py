"""The layout of the list workbook: its four sheets, their columns, headers and dropdowns.

Row 1 carries the Chinese header, row 2 the English field name; data start on row 3. Each
column's ``field`` is the name the entry functions (:mod:`hazeguard.reduction.entry`) read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hazeguard.reduction.model import (
    EmissionStage,
    EnterpriseCategory,
    EssentialBasis,
    Grade,
    MeasureKind,
    SourceClass,
    UnitStatus,
    WarningLevel,
)

FIRST_DATA_ROW = 3
BOOL = "bool"  # a 是/否 column


@dataclass(frozen=True)
class Column:
    """One column: the entry field it fills, its Chinese and English headers, its dropdown."""

    field: str
    zh: str
    en: str
    choices: type[StrEnum] | str | None = None


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook."""

    title: str
    columns: tuple[Column, ...]


_POLLUTANT_COLUMNS = (
    Column("so2", "二氧化硫 [吨/天]", "SO2 [t/d]"),
    Column("nox", "氮氧化物 [吨/天]", "NOx [t/d]"),
    Column("pm", "颗粒物 [吨/天]", "PM [t/d]"),
    Column("vocs", "挥发性有机物 [吨/天]", "VOCs [t/d]"),
)
ENTERPRISES = SheetSpec(
    "企业",
    (
        Column("credit_code", "统一社会信用代码", "credit_code"),
        Column("name", "企业名称", "name"),
        Column("county", "县（市、区）", "county"),
        Column("industry_code", "国民经济行业代码", "industry_code (GB/T 4754)"),
        Column("key_industry", "重点行业（规则表）", "key_industry (rule table)"),
        Column("grade", "绩效分级", "grade", Grade),
        Column("category", "企业类别", "category", EnterpriseCategory),
        Column("essential_basis", "保障类依据", "essential_basis", EssentialBasis),
        Column("coal_or_oil_fired", "燃煤燃油", "coal_or_oil_fired", BOOL),
        Column("toxic_pollutants", "有毒有害物质", "toxic_pollutants", BOOL),
        Column("power_meters", "电表编号（分号分隔）", "power_meters (; separated)"),
        Column("truck_trips", "重型货车日进出（阶段:车次）", "truck_trips (stage:trips/d; ...)"),
    ),
)
UNITS = SheetSpec(
    "生产单元",
    (
        Column("credit_code", "统一社会信用代码", "credit_code"),
        Column("unit_id", "单元编号", "unit_id"),
        Column("name", "生产线/工序/设备名称", "name"),
        Column("process", "工序类别", "process"),
        Column("capacity", "产能基数 [单位/天]", "capacity [unit/d]"),
        Column("capacity_unit", "产能单位", "capacity_unit"),
        *_POLLUTANT_COLUMNS,
        Column("status", "运行状态", "status", UnitStatus),
        Column("output_value", "日产值 [元/天]", "output_value [yuan/d]"),
        Column("price", "单价 [元/产能单位]", "price [yuan/unit] (if output value blank)"),
    ),
)
MEASURES = SheetSpec(
    "减排措施",
    (
        Column("credit_code", "统一社会信用代码", "credit_code"),
        Column("level", "预警级别", "level", WarningLevel),
        Column("kind", "措施类型（空则解析原文）", "kind (blank: parse text)", MeasureKind),
        Column("unit_ids", "单元编号（分号分隔，空为全厂）", "unit_ids (; separated, blank = all)"),
        Column("fraction_pct", "比例 [%]", "fraction [%]"),
        Column("amount", "限值（投料/负荷/结焦小时）", "amount (cap or coking hours)"),
        Column("base_amount", "原值", "base_amount"),
        Column("batch", "批次", "batch"),
        Column("batches", "批次数", "batches"),
        Column(
            "truck_stage", "停用车辆排放阶段（及以下）", "truck_stage (and older)", EmissionStage
        ),
        Column("reason", "说明/豁免原因", "reason"),
        Column("text", "措施原文", "text"),
        Column("rule_ref", "规则依据", "rule_ref"),
    ),
)
INVENTORY = SheetSpec(
    "排放清单",
    (
        Column("jurisdiction", "辖区", "jurisdiction"),
        Column("source_class", "源类别", "source_class", SourceClass),
        *_POLLUTANT_COLUMNS,
    ),
)
SHEETS = (ENTERPRISES, UNITS, MEASURES, INVENTORY)
