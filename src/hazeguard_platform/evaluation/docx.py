"""The episode and yearly evaluations as Word documents, in the core's report layout.

Chinese, as a report to the government is, each heading with its English subtitle; the sections
and the rendering are the episode summary's (``hazeguard.documents``), the words this app's.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from hazeguard.documents.summary_aqi_chart import aqi_chart_png
from hazeguard.documents.summary_layout import Section, Table
from hazeguard.documents.summary_model import DailyAqi
from hazeguard.documents.summary_render import render_docx
from hazeguard_platform.core import CHINA
from hazeguard_platform.evaluation import terms
from hazeguard_platform.evaluation.findings import cycle_sentence, finding_sentence
from hazeguard_platform.evaluation.records import EpisodeEvaluation
from hazeguard_platform.evaluation.year import YearEvaluation


def _t(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment, CHINA).strftime("%m-%d %H:%M") if moment else "—"


def _h(hours: float | None) -> str:
    return "—" if hours is None else f"{hours:.1f}"


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.0f}%"


def _timeliness(e: EpisodeEvaluation) -> Section:
    rows = tuple(
        (
            terms.level_label(w.level),
            _t(w.proposed_at),
            "；".join(
                f"{terms.step_label(s.kind)} {_t(s.acted_at)}（+{s.hours_after_proposal:.1f} h）"
                for s in w.steps
            )
            or "—",
            _t(w.issued_at),
            _t(w.starts_at),
            _h(w.lead_hours),
            _h(w.usual_hours),
            terms.lead_label(w.lead) + (f"（{w.lead_clause}）" if w.lead_clause else ""),
        )
        for w in e.warnings
    )
    late = sum(a.state in ("late", "overdue") for a in e.acknowledgements)
    waiting = sum(a.state == "not_due" for a in e.acknowledgements)
    return Section(
        "二、时效性",
        "Timeliness",
        (
            f"通知及区县响应 {len(e.acknowledgements)} 项，未按时签收或响应 {late} 项，"
            f"未到期 {waiting} 项。",
        ),
        Table(
            (
                ("级别", "level"),
                ("提请", "proposed"),
                ("审批步骤", "approval steps"),
                ("发布", "issued"),
                ("启动", "starts"),
                ("提前时间 h", "lead given"),
                ("预案要求 h", "plan's lead"),
                ("判定", "judgement"),
            ),
            rows,
        ),
    )


def _criteria(e: EpisodeEvaluation) -> Section:
    if not e.criteria:
        text = "未判定：预警前后无本辖区实测日均 AQI。"
    else:
        c = e.criteria[0]
        text = (
            f"判定：{terms.verdict_label(c.verdict)}。"
            f"发布 {terms.level_label(c.level)}，{c.first}至{c.last}。"
        )
        if c.replayed_level:
            text += (
                f"按实测日均 AQI 回放预案标准应为 {terms.level_label(c.replayed_level)}，"
                f"{c.replayed_first}至{c.replayed_last}。"
            )
    return Section("三、预警与预案启动标准的符合性", "Against the plan's criteria", (text,))


def _compliance(e: EpisodeEvaluation) -> Section:
    c = e.compliance
    lines = (
        f"成员单位任务落实 {c.tasks_done}/{c.tasks} 项；每日信息报送按时 {c.reports_on_time}、"
        f"迟报 {c.reports_late}、未报 {c.reports_missing}。",
        f"涉及清单企业 {c.enterprises} 家，签收预警 {c.enterprises_acknowledged} 家；生产状态报告"
        f"应报 {c.production_reports_due} 天、已报 {c.production_reports_made} 天、"
        f"低于一厂一策 {c.production_reports_short} 天。",
        (
            f"用电量核查（{_t(c.electricity_checked_at)}）：合规 {c.meter_days_compliant}、"
            f"可疑 {c.meter_days_suspicious}、违规 {c.meter_days_violation}、"
            f"数据不足 {c.meter_days_insufficient} 表·日。"
            if c.electricity_checked_at
            else "尚未运行用电量核查。"
        ),
        f"执法检查 {c.inspections} 次，发现未落实 {c.violations_found} 次，处罚 {c.penalties} 起。",
    )
    return Section("四、措施落实情况", "Compliance", lines)


def _reductions(e: EpisodeEvaluation) -> Section:
    rows = tuple(
        (
            terms.level_label(r.level),
            r.pollutant,
            _pct(r.target),
            _pct(r.claimed),
            terms.state_label(r.state),
            r.clause,
        )
        for r in e.reductions
    )
    headers = (
        ("级别", "level"),
        ("污染物", "pollutant"),
        ("目标", "target"),
        ("清单核算", "claimed"),
        ("结论", "state"),
        ("条款", "clause"),
    )
    return Section(
        "五、减排量与目标",
        "Reductions against targets",
        ("按清单一厂一策核算的减排量，非实测。",),
        Table(headers, rows),
    )


def _effect_and_cost(e: EpisodeEvaluation) -> tuple[Section, Section]:
    missing = "；".join(terms.missing_label(m) for m in e.effect.missing)
    effect = Section(
        "六、空气质量改善效果（扣除气象影响）",
        "Effect on air quality, weather taken out",
        (f"未估算，缺少：{missing}。平台现有本辖区站点小时数据 {e.effect.station_hours} 小时。",),
    )
    k = e.cost
    if k.total is not None:
        text = (
            f"估算停限产损失产值约 {k.total:,.0f} 元"
            f"（{k.units_priced}/{k.units_cut} 个生产单元有日产值）。"
            "估算方法：清单日产值 × 一厂一策停产比例 × 该级别天数；"
            "为产值而非利润，未计机动车、施工和居民成本。"
        )
    else:
        text = "未估算：清单中受停限产影响的生产单元无日产值数据。"
    return effect, Section("七、经济成本（估算）", "Economic cost (estimate)", (text,))


def episode_docx(e: EpisodeEvaluation) -> bytes:
    """The episode evaluation as .docx bytes, written in Chinese."""
    with translation.override("zh-hans"):
        forecast = {c.day: (c.aqi_low + c.aqi_high) / 2 for c in e.forecasts}
        days = [DailyAqi(day, forecast.get(day), value) for day, value in e.observed]
        shown = [d for d in days if d.forecast is not None or d.observed is not None]
        skill = "；".join(
            f"{terms.source_label(s.source)}：比较 {s.days} 天，实测落在预报区间内 "
            f"{_pct(s.inside_share)}，区间中值平均绝对误差 "
            f"{'—' if s.mean_absolute_error is None else f'{s.mean_absolute_error:.0f}'}"
            for s in e.skill
        )
        header = Section(
            "一、预报与实测",
            "Forecast against observed",
            (
                f"{e.jurisdiction_zh}，{_t(e.started_at)} 至 {_t(e.ended_at)}，最高级别 "
                f"{terms.level_label(e.highest_level)}，预案 {e.plan_id}。",
                skill or "无该过程各日之前发布的预报。",
            ),
            chart=bool(shown),
        )
        effect, cost = _effect_and_cost(e)
        sections = (
            header,
            _timeliness(e),
            _criteria(e),
            _compliance(e),
            _reductions(e),
            effect,
            cost,
        )
        chart = aqi_chart_png(shown) if shown else None
        return render_docx(
            sections, chart, title_zh="重污染天气过程评估报告", title_en="Episode evaluation"
        )


def year_docx(y: YearEvaluation) -> bytes:
    """The yearly evaluation as .docx bytes, written in Chinese."""
    with translation.override("zh-hans"):
        rows = tuple(
            (
                f"{r.first}至{r.last}",
                terms.level_label(r.level),
                terms.verdict_label(r.verdict) if r.verdict else "未判定",
                terms.level_label(r.replayed_level),
                _h(r.lead_hours),
                _h(r.usual_hours),
                "未估算",
            )
            for r in y.rows
        )
        table = Table(
            (
                ("过程", "episode"),
                ("最高级别", "highest level"),
                ("判定", "verdict"),
                ("预案标准应为", "criteria called for"),
                ("提前时间 h", "lead given"),
                ("预案要求 h", "plan's lead"),
                ("改善效果", "effect"),
            ),
            rows,
        )
        counts = (
            f"命中 {y.count('hit')}（其中迟发 {y.count('late')}、级别偏低 {y.count('low')}），"
            f"误报 {y.count('false alarm')}，漏报 {len(y.misses)}。"
        )
        findings = tuple(finding_sentence(f) for f in y.findings) or ("数据未显示需要修订之处。",)
        sections = (
            Section("一、年度预警过程", "The year's episodes", (counts,), table),
            Section("二、修订建议依据", "Findings for the revision", findings),
            Section("三、年度工作时限", "Planning-cycle deadlines", (cycle_sentence(y),)),
        )
        return render_docx(
            sections,
            None,
            title_zh=f"{y.name_zh}{y.year}年重污染天气应急年度评估",
            title_en=f"{y.name_en}: evaluation of {y.year}",
        )
