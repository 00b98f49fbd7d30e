"""The summary report's content, built once and rendered to Markdown and .docx alike.

Each :class:`Section` has a Chinese title with its English subtitle, paragraphs and at most one
table whose header cells are ``中文 / English``. The .docx and Markdown are Chinese
(``language="zh"``, the cells as the office files them); the summary page in English mode asks
for ``language="en"``: every cell and paragraph in English, names in English where the platform
knows them (a measure stays the plan's text, an inspection's finding the inspector's).
"""

from __future__ import annotations

from hazeguard.deadlines import deadline_name, deadline_state
from hazeguard.documents.summary_checks import enterprises_section, reductions_section
from hazeguard.documents.summary_layout import Section, Table
from hazeguard.documents.summary_layout import number_text as _number
from hazeguard.documents.summary_layout import share_text as _share
from hazeguard.documents.summary_layout import time_text as _time
from hazeguard.documents.summary_model import (
    ACTION_EN,
    ACTION_ZH,
    LEVEL_EN,
    LEVEL_ZH,
    REPORT_EN,
    REPORT_ZH,
    SUMMARY_STATE_EN,
    SUMMARY_STATE_ZH,
    SUMMARY_TIMELINESS_EN,
    SUMMARY_TIMELINESS_ZH,
    EpisodeSummary,
)
from hazeguard.vocabulary import Language

__all__ = ["Section", "Table", "summary_sections"]


def summary_sections(summary: EpisodeSummary, language: Language = "zh") -> tuple[Section, ...]:
    """The report's sections in order; a section without data says so rather than vanishing.
    ``language`` is the cells' (see the module's text)."""
    if language == "en":
        return (
            _overview_en(summary),
            _timeline(summary, "en"),
            _notices(summary, "en"),
            _measures(summary, "en"),
            _reports(summary, "en"),
            enterprises_section(summary, "en"),
            _aqi(summary),
            reductions_section(summary, "en"),
            _unit_summaries(summary, "en"),
        )
    return (
        _overview(summary),
        _timeline(summary),
        _notices(summary),
        _measures(summary),
        _reports(summary),
        enterprises_section(summary),
        _aqi(summary),
        reductions_section(summary),
        _unit_summaries(summary),
    )


def _en(english: str, chinese: str) -> str:
    """The English text where the platform gave one, else the Chinese (a proper name)."""
    return english or chinese


def _overview(summary: EpisodeSummary) -> Section:
    ended = summary.ended
    hours = (ended - summary.started).total_seconds() / 3600 if ended else None
    duration = f"{hours:.0f} 小时 (h)" if hours is not None else "尚未解除 (not lifted)"
    return Section(
        "一、基本情况",
        "Overview",
        (
            f"行政区域 Jurisdiction: {summary.jurisdiction_zh}",
            f"应急预案 Plan: {summary.plan_id}",
            f"最高级别 Highest level: {LEVEL_ZH[summary.highest_level]}",
            f"起止时间 Period: {_time(summary.started)} — {_time(ended)}，历时 {duration}",
            f"编制 Prepared by: {summary.prepared_by_zh}，{_time(summary.prepared_at)}",
        ),
    )


def _overview_en(summary: EpisodeSummary) -> Section:
    ended = summary.ended
    hours = (ended - summary.started).total_seconds() / 3600 if ended else None
    duration = f"{hours:.0f} h" if hours is not None else "not lifted"
    return Section(
        "一、基本情况",
        "Overview",
        (
            f"Jurisdiction: {_en(summary.jurisdiction_en, summary.jurisdiction_zh)}",
            f"Plan: {summary.plan_id}",
            f"Highest level: {LEVEL_EN[summary.highest_level]}",
            f"Period: {_time(summary.started)} — {_time(ended)}, {duration}",
            f"Prepared by: {_en(summary.prepared_by_en, summary.prepared_by_zh)}, "
            f"{_time(summary.prepared_at)}",
        ),
    )


def _timeline(summary: EpisodeSummary, language: Language = "zh") -> Section:
    english = language == "en"
    actions, levels = (ACTION_EN, LEVEL_EN) if english else (ACTION_ZH, LEVEL_ZH)
    rows = tuple(
        (
            _time(e.time),
            actions[e.action],
            levels[e.level],
            _en(e.note_en, e.note_zh) if english else e.note_zh,
        )
        for e in summary.timeline
    )
    headers = (("时间", "Time"), ("行动", "Action"), ("级别", "Level"), ("说明", "Note"))
    return Section("二、预警过程", "Warning timeline", table=Table(headers, rows))


def _notices(summary: EpisodeSummary, language: Language = "zh") -> Section:
    # An item not done whose deadline has not come is not yet due, never late (issue 12 §2).
    states = [deadline_state(n.due, n.done, summary.prepared_at) for n in summary.notices]
    late = sum(state in ("late", "overdue") for state in states)
    waiting = states.count("not_due")
    english = language == "en"
    text = (
        f"{len(summary.notices)} items: {late} late or overdue, {waiting} not yet due."
        if english
        else f"共 {len(summary.notices)} 项，超时或逾期 {late} 项，未到期 {waiting} 项。"
    )
    rows = tuple(
        (
            _en(n.item_en, n.item_zh) if english else n.item_zh,
            _en(n.unit_en, n.unit_zh) if english else n.unit_zh,
            _time(n.due),
            _time(n.done),
            deadline_name(state, language),
        )
        for n, state in zip(summary.notices, states, strict=True)
    )
    headers = (
        ("事项", "Item"),
        ("单位", "Unit"),
        ("时限", "Due"),
        ("完成", "Done"),
        ("时效", "Timeliness"),
    )
    return Section("三、通知与报送时效", "Notices against deadlines", (text,), Table(headers, rows))


def _measures(summary: EpisodeSummary, language: Language = "zh") -> Section:
    # The measure is the plan's own text (the plans are Chinese); the rest follows ``language``.
    rows = tuple(
        (_en(m.unit_en, m.unit_zh), m.measure_zh, _en(m.result_en, m.result_zh))
        if language == "en"
        else (m.unit_zh, m.measure_zh, m.result_zh)
        for m in summary.measures
    )
    headers = (("单位", "Unit"), ("措施", "Measure"), ("落实情况", "Carried out"))
    return Section("四、措施落实情况", "Measures carried out", table=Table(headers, rows))


def _reports(summary: EpisodeSummary, language: Language = "zh") -> Section:
    english = language == "en"
    words = REPORT_EN if english else REPORT_ZH
    names = {
        c.unit_zh: _en(c.unit_en, c.unit_zh) if english else c.unit_zh for c in summary.reports
    }
    units = list(dict.fromkeys(cell.unit_zh for cell in summary.reports))
    days = sorted({cell.day for cell in summary.reports})
    state = {(cell.unit_zh, cell.day): cell.state for cell in summary.reports}
    rows = tuple(
        (names[unit], *(words[state[unit, day]] if (unit, day) in state else "—" for day in days))
        for unit in units
    )
    headers = (("单位", "Unit"), *((day.strftime("%m-%d"), day.isoformat()) for day in days))
    completeness = _share(summary.report_completeness)
    text = (
        f"Report completeness: {completeness}"
        if english
        else f"报送完整率 Report completeness: {completeness}"
    )
    return Section("五、信息报送", "Daily reports (units × days)", (text,), Table(headers, rows))


def _aqi(summary: EpisodeSummary) -> Section:
    rows = tuple(
        (
            a.day.isoformat(),
            _number(a.forecast),
            _number(a.observed),
            _number(None if a.forecast is None or a.observed is None else a.observed - a.forecast),
        )
        for a in summary.aqi
    )
    headers = (("日期", "Day"), ("预报", "Forecast"), ("实测", "Observed"), ("偏差", "Obs − fcst"))
    return Section(
        "七、预报与实测空气质量",
        "Forecast vs observed AQI",
        table=Table(headers, rows),
        chart=bool(summary.aqi),
    )


def _unit_summaries_en(
    summary: EpisodeSummary,
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Section 九's paragraphs and rows in English."""
    counts = summary.unit_summary_counts
    text = (
        f"owed {len(summary.unit_summaries)} · "
        + " · ".join(
            f"{SUMMARY_TIMELINESS_EN[key]} {counts[key]}"
            for key in SUMMARY_TIMELINESS_EN
            if key != "no_deadline" or counts[key]
        )
        + f" · accepted {counts['accepted']}"
    )
    completeness = f"Completeness: {_share(summary.unit_summary_completeness)}"
    rows = tuple(
        (
            _en(row.unit_en, row.unit_zh),
            _time(row.due) + (f" ({row.clause})" if row.clause else ""),
            _time(row.submitted),
            SUMMARY_TIMELINESS_EN[row.timeliness]
            + (f" {row.late_working_days} working days" if row.late_working_days else ""),
            SUMMARY_STATE_EN[row.state],
        )
        for row in summary.unit_summaries
    )
    return (text, completeness), rows


def _unit_summaries(summary: EpisodeSummary, language: Language = "zh") -> Section:
    """九、各单位总结报告: every summary report owed after the response (Liaocheng 003 §4.9:
    成员单位及各县（市、区）在应急响应终止后3个工作日内报送总结), its deadline and timeliness."""
    headers = (
        ("单位", "Unit"),
        ("截止", "Due"),
        ("报送时间", "Submitted at"),
        ("时效", "Timeliness"),
        ("状态", "State"),
    )
    if language == "en":
        paragraphs, english_rows = _unit_summaries_en(summary)
        return Section(
            "九、各单位总结报告",
            "Units' summary reports",
            paragraphs,
            Table(headers, english_rows),
            key="unit_summaries",
        )
    counts = summary.unit_summary_counts
    text = (
        f"应报 owed {len(summary.unit_summaries)} · "
        + " · ".join(
            f"{zh} {key.replace('_', ' ')} {counts[key]}"
            for key, zh in SUMMARY_TIMELINESS_ZH.items()
            if key != "no_deadline" or counts[key]  # shown only when a deadline is missing
        )
        + f" · 已采纳 accepted {counts['accepted']}"
    )
    completeness = f"报送完整率 Completeness: {_share(summary.unit_summary_completeness)}"
    rows = tuple(
        (
            row.unit_zh,
            _time(row.due) + (f" ({row.clause})" if row.clause else ""),
            _time(row.submitted),
            SUMMARY_TIMELINESS_ZH[row.timeliness]
            + (f" {row.late_working_days} 个工作日" if row.late_working_days else ""),
            SUMMARY_STATE_ZH[row.state],
        )
        for row in summary.unit_summaries
    )
    return Section(
        "九、各单位总结报告",
        "Units' summary reports",
        (text, completeness),
        Table(headers, rows),
        key="unit_summaries",
    )
