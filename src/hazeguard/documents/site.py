"""The site sign (公示牌) and the site plan (一厂一策) of one enterprise, as .docx.

Contents follow emission-list.md §6.3 (sign: name, grade and category, the measures per warning
level, responsible person and supervision phone) and §6.2 (plan: basic information, units and
baseline, measures per level and unit, transport measures, reduction calculation, response
procedure). Everything printed comes from the structured list; nothing is typed twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from hazeguard.documents.measure_text import describe
from hazeguard.reduction.accounting import enterprise_reductions
from hazeguard.reduction.entry import label
from hazeguard.reduction.model import LEVELS, Enterprise, Measure

_POLLUTANT_HEADERS = ("二氧化硫", "氮氧化物", "颗粒物", "挥发性有机物")


@dataclass(frozen=True)
class Contacts:
    """Who answers for the measures (seed 003 §2: 直接责任人) and where to report."""

    responsible_person: str = ""
    phone: str = ""
    supervision_phone: str = ""  # 监督电话 on the sign


def _measure_lines(enterprise: Enterprise, measures: Sequence[Measure]) -> list[str]:
    return [describe(m, enterprise) for m in measures] or ["无（未列减排措施）"]


def _table(document: object, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _title(document: object, text: str) -> None:
    heading = document.add_heading(text, level=0)  # type: ignore[attr-defined]
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _identity_rows(enterprise: Enterprise) -> list[tuple[str, str]]:
    rows = [
        ("企业名称", enterprise.name),
        ("统一社会信用代码", enterprise.credit_code),
        ("所在县（市、区）", enterprise.county),
        ("绩效分级", label(enterprise.grade)),
        ("企业类别", label(enterprise.category)),
    ]
    if enterprise.essential_basis is not None:
        rows.append(("保障类依据", label(enterprise.essential_basis)))
    return rows


def write_site_sign(enterprise: Enterprise, path: Path, contacts: Contacts | None = None) -> None:
    """Write the public sign (公示牌) for the factory gate."""
    contacts = contacts or Contacts()
    document = Document()
    document.styles["Normal"].font.size = Pt(14)
    _title(document, "重污染天气应急减排公示牌")
    _table(document, ("项目", "内容"), _identity_rows(enterprise))
    document.add_paragraph()
    rows = [
        (
            f"{level.label_zh}预警",
            "；".join(_measure_lines(enterprise, enterprise.measures_at(level))),
        )
        for level in LEVELS
    ]
    _table(document, ("预警级别", "应急减排措施"), rows)
    document.add_paragraph()
    _table(
        document,
        ("项目", "内容"),
        [
            ("企业责任人", contacts.responsible_person or "（待填）"),
            ("联系电话", contacts.phone or "（待填）"),
            ("监督电话", contacts.supervision_phone or "12369"),  # national environment hotline
        ],
    )
    document.save(str(path))


def write_site_plan(enterprise: Enterprise, path: Path, contacts: Contacts | None = None) -> None:
    """Write the site plan (一厂一策, 重污染天气应急响应操作方案) of one enterprise."""
    contacts = contacts or Contacts()
    document = Document()
    _title(document, f"{enterprise.name}重污染天气应急减排“一厂一策”实施方案")
    document.add_heading("一、企业基本情况", level=1)
    _table(document, ("项目", "内容"), _identity_rows(enterprise))
    document.add_heading("二、生产单元及基准排放", level=1)
    document.add_paragraph("基准排放为同期（秋冬季）正常生产日均排放量，单位：吨/天。")
    _table(
        document,
        ("编号", "名称", "工序", "产能基数", "状态", *_POLLUTANT_HEADERS),
        [
            (
                u.unit_id,
                u.name,
                u.process,
                f"{u.capacity:g} {u.capacity_unit}",
                label(u.status),
                *(f"{v:.4g}" for v in u.baseline.as_tuple()),
            )
            for u in enterprise.units
        ],
    )
    document.add_heading("三、各级预警应急减排措施", level=1)
    for level in LEVELS:
        document.add_heading(f"{level.label_zh}预警", level=2)
        for line in _measure_lines(enterprise, enterprise.measures_at(level)):
            document.add_paragraph(line, style="List Bullet")
    document.add_heading("四、运输管控", level=1)
    trips = "；".join(
        f"{label(t.stage)} {t.trips_per_day:g} 车次/天" for t in enterprise.truck_trips
    )
    document.add_paragraph(f"重型载货车辆日进出：{trips or '无'}。")
    document.add_heading("五、减排量核算", level=1)
    industrial, mobile = enterprise_reductions(enterprise)
    baseline = enterprise.baseline().as_tuple()
    rows = []
    for level in LEVELS:
        cells = []
        for p, base in enumerate(baseline):
            cut = industrial[level.rank, p]
            share = f"（{cut / base:.0%}）" if base > 0 else ""
            cells.append(f"{cut:.4g}{share}")
        rows.append((f"{level.label_zh}预警", *cells, f"{mobile[level.rank].sum():.4g}"))
    _table(document, ("预警级别", *_POLLUTANT_HEADERS, "运输减排（合计）"), rows)
    document.add_paragraph("单位：吨/天；括号内为占企业基准排放的比例。")
    document.add_heading("六、应急响应程序", level=1)
    document.add_paragraph(
        "接到预警指令后按本方案落实相应级别减排措施，落实情况按要求报送；"
        "停产工序的废气治理设施在停产后继续运行三小时以上。"  # seed 003 §4.4.1.1
    )
    document.add_paragraph(
        f"直接责任人：{contacts.responsible_person or '（待填）'}；"
        f"联系电话：{contacts.phone or '（待填）'}。"
    )
    document.save(str(path))
