"""The summary report's two check sections: enterprise compliance and the list against targets.

六、企业落实与执法检查: per enterprise its tasks and acknowledgement, daily production status
against its site plan, inspections with their penalties and grade downgrades, and the
electricity check (耗电量核算, emission-list.md §8.1); then the totals and the enterprises whose
consumption shows they did not carry out their measures.

八、减排清单核算与目标: the list's booked reductions as shares of the society-wide inventory
against the plan's targets per level, with the inventory's source; a target whose denominator is
not known says so instead of showing a figure.
"""

from __future__ import annotations

from hazeguard.documents.summary_layout import Section, Table, share_text, time_text
from hazeguard.documents.summary_model import (
    ELECTRICITY_EN,
    ELECTRICITY_ZH,
    LEVEL_EN,
    LEVEL_ZH,
    TARGET_EN,
    TARGET_ZH,
    EnterpriseCompliance,
    EpisodeSummary,
    Inspection,
)
from hazeguard.vocabulary import Language

__all__ = ["enterprises_section", "reductions_section"]

NONE_ZH = "无 (none)"


def _days(compliance: EnterpriseCompliance, language: Language = "zh") -> str:
    counts = (
        compliance.compliant,
        compliance.suspicious,
        compliance.violation,
        compliance.insufficient_data,
    )
    if not any(counts):
        return (ELECTRICITY_EN if language == "en" else ELECTRICITY_ZH)["not_checked"]
    return "/".join(map(str, counts))


def _enterprise_row(c: EnterpriseCompliance, language: Language = "zh") -> tuple[str, ...]:
    english = language == "en"
    short = f", {c.reports_short} short" if english else f"，不符 {c.reports_short}"
    reports = f"{c.reports_made}/{c.reports_due}" + (short if c.reports_short else "")
    downgrades = f"{c.downgrades_proposed}/{c.downgrades_confirmed}"
    yes, no = ("yes", "no") if english else ("是", "否")
    return (
        c.enterprise_zh,
        str(c.tasks),
        yes if c.acknowledged else no,
        reports,
        f"{c.inspections}/{c.violations_found}",
        f"{c.penalties}{'; ' if english else '；'}{downgrades}",
        _days(c, language),
        (ELECTRICITY_EN if english else ELECTRICITY_ZH)[c.electricity],
    )


def _inspection_line(i: Inspection) -> str:
    outcome = [text for text in (i.outcome_zh, i.penalty_zh, i.downgrade_zh) if text]
    detail = f"（{'；'.join(outcome)}）" if outcome else ""
    return f"{time_text(i.time)} {i.enterprise_zh}：{i.finding_zh}{detail}"


def _totals(summary: EpisodeSummary) -> tuple[str, ...]:
    rows = summary.compliance
    inspections = summary.inspections
    violations = sum(i.violation for i in inspections)
    penalties = sum(bool(i.penalty_zh) for i in inspections)
    proposed = sum(c.downgrades_proposed for c in rows)
    confirmed = sum(c.downgrades_confirmed for c in rows)
    checked = [c for c in rows if c.electricity != "not_checked"]
    failing = [c.enterprise_zh for c in rows if c.electricity == "violation"]
    doubtful = [c.enterprise_zh for c in rows if c.electricity == "suspicious"]
    return (
        f"涉及企业 {len(rows)} 家，已签收预警 {sum(c.acknowledged for c in rows)} 家；"
        f"生产日报 {sum(c.reports_made for c in rows)}/{sum(c.reports_due for c in rows)} 天，"
        f"与一厂一策不符 {sum(c.reports_short for c in rows)} 天 "
        f"({len(rows)} enterprises; acknowledged, production reports made/due, days short of "
        "the site plan).",
        f"执法检查 {len(inspections)} 次，发现未落实 {violations} 次，处罚 {penalties} 起，"
        f"建议下调绩效分级 {proposed} 家、已确认 {confirmed} 家 (inspections, violations, "
        "penalties, grade downgrades proposed / confirmed).",
        f"用电量核查 Electricity check (emission-list.md §8.1): 核查企业 {len(checked)} 家。",
        "用电量显示未落实减排措施的企业 Enterprises whose consumption shows the measures were "
        f"not carried out: {'、'.join(failing) or NONE_ZH}",
        f"用电量存疑 Suspicious consumption: {'、'.join(doubtful) or NONE_ZH}",
    )


def _totals_en(summary: EpisodeSummary) -> tuple[str, ...]:
    rows = summary.compliance
    inspections = summary.inspections
    failing = [c.enterprise_zh for c in rows if c.electricity == "violation"]
    doubtful = [c.enterprise_zh for c in rows if c.electricity == "suspicious"]
    checked = sum(c.electricity != "not_checked" for c in rows)
    return (
        f"{len(rows)} enterprises, {sum(c.acknowledged for c in rows)} acknowledged the warning; "
        f"production reports {sum(c.reports_made for c in rows)}/"
        f"{sum(c.reports_due for c in rows)} days, {sum(c.reports_short for c in rows)} days "
        "short of the site plan.",
        f"{len(inspections)} inspections, {sum(i.violation for i in inspections)} found the "
        f"measures not carried out, {sum(bool(i.penalty_zh) for i in inspections)} penalties; "
        f"grade downgrades proposed {sum(c.downgrades_proposed for c in rows)}, confirmed "
        f"{sum(c.downgrades_confirmed for c in rows)}.",
        f"Electricity check (emission-list.md §8.1): {checked} enterprises checked.",
        "Enterprises whose consumption shows the measures were not carried out: "
        f"{', '.join(failing) or 'none'}",
        f"Suspicious consumption: {', '.join(doubtful) or 'none'}",
    )


def enterprises_section(summary: EpisodeSummary, language: Language = "zh") -> Section:
    """六、企业落实与执法检查: one row per enterprise, the totals, then every inspection
    (an inspection's finding as the inspector wrote it)."""
    headers = (
        ("企业", "Enterprise"),
        ("任务", "Tasks"),
        ("签收", "Acknowledged"),
        ("生产日报(报/应报)", "Production reports (made/due)"),
        ("检查/违规", "Inspections/violations"),
        ("处罚；降级(建议/确认)", "Penalties; downgrades (proposed/confirmed)"),
        ("用电(落实/存疑/未落实/不足,天)", "Electricity days (ok/suspicious/violation/no data)"),
        ("用电核查结论", "Electricity verdict"),
    )
    english = language == "en"
    note_text = (
        (summary.compliance_note_en or summary.compliance_note_zh)
        if english
        else summary.compliance_note_zh
    )
    note = (note_text,) if note_text else ()
    lines = tuple(_inspection_line(i) for i in summary.inspections)
    lead = (("Inspections:" if english else "执法检查记录 Inspections:"),) if lines else ()
    totals = _totals_en(summary) if english else _totals(summary)
    return Section(
        "六、企业落实与执法检查",
        "Enterprise compliance and inspections",
        note + totals + lead + lines,
        Table(headers, tuple(_enterprise_row(c, language) for c in summary.compliance)),
    )


def reductions_section(summary: EpisodeSummary, language: Language = "zh") -> Section:
    """八、减排清单核算与目标: each target of each level in force, met, not met or unknown."""
    english = language == "en"
    levels, targets = (LEVEL_EN, TARGET_EN) if english else (LEVEL_ZH, TARGET_ZH)
    rows = tuple(
        (
            r.pollutant,
            levels[r.level],
            share_text(r.target),
            "—" if r.reduction is None else f"{r.reduction:.3f}",
            "—" if r.inventory_total is None else f"{r.inventory_total:.3f}",
            share_text(r.claimed),
            targets[r.state],
            r.inventory_source_zh or "—",
        )
        for r in summary.reductions
    )
    headers = (
        ("污染物", "Pollutant"),
        ("级别", "Level"),
        ("目标", "Target"),
        ("清单减排量(吨/日)", "List reduction [t/d]"),
        ("全社会排放量(吨/日)", "Society-wide [t/d]"),
        ("清单核算", "List claims"),
        ("结论", "Result"),
        ("排放基数来源", "Inventory source"),
    )
    if english:
        return Section(
            "八、减排清单核算与目标",
            "Claimed reductions vs targets",
            _reductions_en(summary),
            Table(headers, rows),
        )
    paragraphs = [summary.reductions_note_zh] if summary.reductions_note_zh else []
    missing = [r for r in summary.reductions if r.state == "no_inventory"]
    if missing:
        names = "、".join(f"{LEVEL_ZH[r.level]} {r.pollutant}" for r in missing)
        paragraphs.append(
            f"缺少全社会排放基数，无法核算 (no society-wide inventory, share not computed): {names}"
        )
    for key in summary.key_enterprises:
        short = "、".join(key.short_zh) or NONE_ZH
        paragraphs.append(
            f"{LEVEL_ZH[key.level]} 重点企业自身减排比例不低于 {share_text(key.target)}"
            f"（{key.clause}）：核算 {key.checked} 家，未达到 {len(key.short_zh)} 家：{short} "
            "(key enterprises' own cut against the plan's share)"
        )
    return Section(
        "八、减排清单核算与目标",
        "Claimed reductions vs targets",
        tuple(paragraphs),
        Table(headers, rows),
    )


def _reductions_en(summary: EpisodeSummary) -> tuple[str, ...]:
    """Section 八's paragraphs in English."""
    note = summary.reductions_note_en or summary.reductions_note_zh
    paragraphs = [note] if note else []
    missing = [r for r in summary.reductions if r.state == "no_inventory"]
    if missing:
        names = ", ".join(f"{LEVEL_EN[r.level]} {r.pollutant}" for r in missing)
        paragraphs.append(f"No society-wide inventory, share not computed: {names}")
    for key in summary.key_enterprises:
        paragraphs.append(
            f"{LEVEL_EN[key.level]}: each key enterprise cuts at least {share_text(key.target)} "
            f"of its own emissions ({key.clause}): {key.checked} checked, {len(key.short_zh)} "
            f"short: {', '.join(key.short_zh) or 'none'}"
        )
    return tuple(paragraphs)
