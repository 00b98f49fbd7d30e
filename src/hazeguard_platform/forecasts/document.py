"""The consultation's conclusion as the 《会商意见》 Word document (.docx): the table of sources
with the engine's decision on each, the model's level probabilities, the engine's decision on the
source the conclusion rests on, and the conclusion. Written in the active language (Chinese by
default; English when the page is in English), never both mixed."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard.vocabulary import level_name
from hazeguard_platform.forecasts.models import Consultation, Forecast, Provider
from hazeguard_platform.forecasts.sources import earliest_start, ordered, probability_rows
from hazeguard_platform.pages import page_language

CHINESE_FONT = "SimSun"  # 宋体, the body face of Chinese official documents


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M}" if page_language() == "en" else f"{local:%Y年%m月%d日 %H:%M}"


def _level(level: str | None) -> str:
    return level_name(level or "none", page_language())


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(100 * share)} %"


def document_name(consultation: Consultation) -> str:
    """The file name: ``会商意见-<place>-<date>.docx`` (English: ``consultation-…``)."""
    day = timezone.localtime(consultation.held_at).strftime("%Y%m%d")
    stem = "consultation" if page_language() == "en" else "会商意见"
    from urllib.parse import quote

    return quote(f"{stem}-{consultation.jurisdiction.code}-{day}.docx")


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def _sources_table(document: Any, consultation: Consultation, forecasts: list[Forecast]) -> None:
    levels = {entry["forecast"]: entry.get("level") for entry in consultation.sources}
    days = sorted({d.day for f in forecasts for d in f.days.all()})[:7]
    header = [_("Source"), _("Engine's decision"), _("Issued at"), *[f"{d:%m-%d}" for d in days]]
    rows = []
    for forecast in forecasts:
        by_day = {d.day: d for d in forecast.days.all()}
        cells = [f"{by_day[d].aqi_low}–{by_day[d].aqi_high}" if d in by_day else "—" for d in days]
        level = levels.get(forecast.pk)
        decided = _level(level) if forecast.pk in levels else "—"
        label = str(Provider(forecast.provider).label)
        rows.append([label, decided, _when(forecast.issued_at), *cells])
    _table(document, header, rows)


def _probability_table(document: Any, model: Forecast) -> None:
    names = list(model.probabilities.get("levels", []))
    header = [_("Day"), _("AQI 10–90 %"), _("Median"), "P(AQI>200)"]
    header += [f"P({_level(name)})" for name in names]
    rows = [
        [
            f"{row.day.day:%m-%d}",
            f"{row.day.aqi_low}–{row.day.aqi_high}",
            str(row.day.aqi_median if row.day.aqi_median is not None else "—"),
            _percent(row.p_heavy),
            *[_percent(share) for share in row.levels],
        ]
        for row in probability_rows(model)
    ]
    _table(document, header, rows)


def consultation_document(consultation: Consultation) -> bytes:
    """The 《会商意见》 of a recorded consultation, as .docx bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document()
    fonts = document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), CHINESE_FONT)
    english = page_language() == "en"
    place = consultation.jurisdiction
    place_name = (place.name_en or place.name_zh) if english else place.name_zh
    title = document.add_heading(_("Consultation opinion"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    people = ", ".join(str(p) for p in consultation.participants.all())
    if consultation.other_participants:
        people = f"{people}, {consultation.other_participants}" if people else people
    facts = [
        (_("Jurisdiction"), place_name),
        (_("Held at"), _when(consultation.held_at)),
        (_("Participants"), people or "—"),
        (_("Plan"), str(consultation.plan_version)),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    forecasts = ordered(list(consultation.forecasts.prefetch_related("days")))
    document.add_heading(_("Forecast sources"), level=1)
    _sources_table(document, consultation, forecasts)
    model = next((f for f in forecasts if f.provider == Provider.MODEL), None)
    if model is not None and model.probabilities.get("levels"):
        document.add_heading(_("The model's level probabilities"), level=1)
        _probability_table(document, model)

    decision = consultation.decision
    document.add_heading(_("The engine's decision"), level=1)
    basis = consultation.basis
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{Provider(basis.provider).label} · {_when(basis.issued_at)}: ").bold = True
    paragraph.add_run(_level(decision.get("level")))
    headline = decision.get("headline") or {}
    if headline:
        document.add_paragraph(str(headline.get("en" if english else "zh", "")))
    for criterion in decision.get("criteria") or []:
        text = criterion.get("criterion") if english else criterion.get("criterion_zh")
        clause = criterion.get("clause", "")
        document.add_paragraph(
            f"{_level(criterion.get('level'))}: {text or criterion.get('criterion')} [{clause}]",
            style="List Bullet",
        )
    start = earliest_start(decision)
    if start is not None:
        document.add_paragraph(f"{_('Earliest start')}: {_when(start)}")

    document.add_heading(_("Conclusion"), level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{_('Concluded level')}: ").bold = True
    paragraph.add_run(_level(consultation.concluded_level))
    document.add_paragraph(consultation.conclusion)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
