"""Render the summary report's sections as Markdown or as a Word document."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from hazeguard.documents.summary_sections import Section, Table

TITLE_ZH = "重污染天气应急响应总结报告"
TITLE_EN = "Heavy-pollution episode: summary report"
CHART_CAPTION = "图 预报与实测日均 AQI（Figure: forecast vs observed daily AQI）"
CHINESE_FONT = "SimSun"  # 宋体, the usual body face of Chinese official documents


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_table(table: Table) -> list[str]:
    header = "| " + " | ".join(f"{zh} {en}" for zh, en in table.headers) + " |"
    rule = "|" + "---|" * len(table.headers)
    body = ["| " + " | ".join(_cell(value) for value in row) + " |" for row in table.rows]
    return [header, rule, *body] if body else ["（无数据 / no data）"]


def render_markdown(sections: tuple[Section, ...]) -> str:
    """Markdown: ``#`` title, ``##`` per section with its English subtitle, pipe tables."""
    lines = [f"# {TITLE_ZH}", "", f"*{TITLE_EN}*", ""]
    for section in sections:
        lines += [f"## {section.title_zh}", "", f"*{section.title_en}*", ""]
        lines += [line for paragraph in section.paragraphs for line in (paragraph, "")]
        if section.table is not None:
            lines += [*_markdown_table(section.table), ""]
        if section.chart:
            lines += [f"![{CHART_CAPTION}](aqi.png)", ""]
    return "\n".join(lines).rstrip() + "\n"


def _east_asian_font(style: Any) -> None:
    """Give a style a Chinese face: Word picks w:eastAsia for CJK characters."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), CHINESE_FONT)


def _subtitle(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(9)


def render_docx(
    sections: tuple[Section, ...],
    chart_png: bytes | None,
    *,
    title_zh: str = TITLE_ZH,
    title_en: str = TITLE_EN,
) -> bytes:
    """A .docx: title, one Heading 1 per section (Chinese), an italic English subtitle, paragraphs,
    a table with a two-line header (中文 / English), and the chart where a section asks for it.
    The title defaults to the summary report's (the evaluation reports give theirs)."""
    document = Document()
    for name in ("Normal", "Title", "Heading 1"):
        _east_asian_font(document.styles[name])
    document.add_heading(title_zh, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _subtitle(document, title_en)
    for section in sections:
        document.add_heading(section.title_zh, level=1)
        _subtitle(document, section.title_en)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table is not None:
            _docx_table(document, section.table)
        if section.chart and chart_png is not None:
            document.add_picture(io.BytesIO(chart_png), width=Cm(15))
            document.add_paragraph(CHART_CAPTION).alignment = WD_ALIGN_PARAGRAPH.CENTER
        if section.picture is not None:
            document.add_picture(io.BytesIO(section.picture), width=Cm(15))
            document.add_paragraph(section.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document: Any, table: Table) -> None:
    if not table.rows:
        document.add_paragraph("（无数据 / no data）")
        return
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, (zh, en) in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = zh
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        english = cell.add_paragraph().add_run(en)
        english.italic = True
        english.font.size = Pt(8)
    for row in table.rows:
        # add_row().cells once per row: Table.cell(r, c) walks the whole grid on every call,
        # which made a 100-enterprise report take 40 s.
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = value
