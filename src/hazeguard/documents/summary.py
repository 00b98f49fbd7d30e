"""The episode summary report (总结报告, issue 6 §4): what happened, on time or not, to what effect.

Fill an :class:`EpisodeSummary` (see :mod:`hazeguard.documents.summary_model`), then:

* :func:`summary_markdown` -> Markdown text;
* :func:`summary_docx` -> a Word document (Chinese headings with English subtitles) with the
  forecast-vs-observed AQI chart embedded.
"""

from __future__ import annotations

from hazeguard.documents.summary_aqi_chart import aqi_chart_png
from hazeguard.documents.summary_model import (
    DailyAqi,
    EnterpriseCompliance,
    EpisodeSummary,
    Inspection,
    KeyEnterpriseCheck,
    MeasureCarriedOut,
    NoticeTiming,
    ReductionCheck,
    ReportCell,
    TimelineEntry,
    UnitSummary,
    compliance_by_enterprise,
)
from hazeguard.documents.summary_render import render_docx, render_markdown
from hazeguard.documents.summary_sections import summary_sections

__all__ = [
    "DailyAqi",
    "EnterpriseCompliance",
    "EpisodeSummary",
    "Inspection",
    "KeyEnterpriseCheck",
    "MeasureCarriedOut",
    "NoticeTiming",
    "ReductionCheck",
    "ReportCell",
    "TimelineEntry",
    "UnitSummary",
    "aqi_chart_png",
    "compliance_by_enterprise",
    "summary_docx",
    "summary_markdown",
]


def summary_markdown(summary: EpisodeSummary) -> str:
    """The summary report as Markdown (Chinese headings, English subtitles)."""
    return render_markdown(summary_sections(summary))


def summary_docx(summary: EpisodeSummary) -> bytes:
    """The summary report as the bytes of a .docx file, with the AQI chart embedded."""
    chart = aqi_chart_png(summary.aqi) if summary.aqi else None
    return render_docx(summary_sections(summary), chart)
