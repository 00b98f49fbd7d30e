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
from hazeguard_platform.evaluation.findings import (
    cycle_kind_label,
    cycle_sentence,
    cycle_state_label,
    finding_sentence,
)
from hazeguard_platform.evaluation.records import EpisodeEvaluation
from hazeguard_platform.evaluation.year import EpisodeRow, YearEvaluation
from hazeguard_platform.evaluation.year_charts import (
    MONTHLY_CAPTION,
    SKILL_CAPTION,
    year_chart_pngs,
)
from hazeguard_platform.public.presenters import grade_name


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
    f = e.effect
    title = ("六、空气质量改善效果（扣除气象影响）", "Effect on air quality, weather taken out")
    if f.available:
        rows = tuple(
            (
                terms.pollutant_label(x.pollutant),
                str(x.hours),
                f"{x.observed:.1f}",
                f"{x.counterfactual:.1f}",
                f"{x.effect:.1f}",
                f"{x.percent:.1f}",
                f"{x.percent_low:.1f} … {x.percent_high:.1f}",
                f"{x.placebos}（{100 * x.placebo_rank:.0f}% 不高于本次）",
                terms.effect_verdict(x),
            )
            for x in f.effects
        )
        headers = (
            ("污染物", "Pollutant"),
            ("小时数", "Hours"),
            ("实测", "Observed"),
            ("无措施情景", "Business as usual"),
            ("效果", "Effect"),
            ("效果（%）", "Effect (%)"),
            ("95% 区间（%）", "95% interval (%)"),
            ("安慰剂检验次数", "Placebo runs"),
            ("判断", "Verdict"),
        )
        texts = (
            "方法：以气象和时间预测逐时浓度的模型（仅用预警期以外的小时训练）代入本次过程的实际"
            "气象，得到无措施情景；效果 = 实测 − 无措施情景。区间由同季节、等长、未预警时段的"
            "安慰剂检验给出（Grange 等，2018，ACP 18, 6223）。浓度单位 µg/m³（CO 为 mg/m³），"
            "为各站点城市均值；效果为负表示下降。",
        )
        effect = Section(*title, texts, Table(headers, rows))
    else:
        missing = "；".join(terms.missing_label(m) for m in f.missing) or "估算尚未完成"
        effect = Section(
            *title,
            (
                f"未估算，缺少：{missing}。平台现有本辖区站点小时数据 {f.station_hours} 小时、"
                f"气象小时数据 {f.weather_hours} 小时。",
            ),
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


def _list_section(y: YearEvaluation) -> Section:
    c = y.changes
    text = (
        f"本年度导入清单 {len(c.imports)} 次：新增企业 {c.added} 家，移出 {c.delisted} 家；"
        f"绩效等级变化 {len(c.grade_changes)} 次。"
        if c.imports or c.grade_changes
        else "本年度未导入清单，无企业绩效等级变化。"
    )
    rows = tuple(
        (
            g.day.isoformat(),
            g.name,
            grade_name(g.before),
            grade_name(g.after),
            "检查后降级" if g.by == "supervision" else "清单导入",
        )
        for g in c.grade_changes
    )
    headers = (
        ("日期", "day"),
        ("企业", "enterprise"),
        ("原等级", "before"),
        ("新等级", "after"),
        ("原因", "by"),
    )
    return Section(
        "五、应急减排清单变化",
        "Changes to the emission list",
        (text,),
        Table(headers, rows) if rows else None,
    )


def _skill_section(y: YearEvaluation, chart: bytes | None) -> Section:
    rows = tuple(
        (
            terms.source_label(s.source),
            str(s.days),
            "—" if s.inside_share is None else f"{100 * s.inside_share:.0f}%",
            "—" if s.mean_absolute_error is None else f"{s.mean_absolute_error:.0f}",
        )
        for s in y.skill
    )
    headers = (
        ("预报来源", "source"),
        ("比较天数", "days"),
        ("实测落在预报范围内", "inside the range"),
        ("范围中值平均绝对误差", "mean absolute error"),
    )
    text = "全年每日取当日开始前最新的预报，与实测日AQI比较。" if rows else "全年无可比较的预报。"
    return Section(
        "四、预报准确性",
        "Forecast skill",
        (text,),
        Table(headers, rows) if rows else None,
        picture=chart,
        caption=SKILL_CAPTION if chart else "",
    )


def _pm25(row: EpisodeRow) -> str:
    effect = row.pm25
    if effect is not None:
        return f"{effect.percent:.1f}%（{effect.percent_low:.1f} … {effect.percent_high:.1f}）"
    return "已估算（见过程评估）" if row.effect_estimated else "未估算"


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
                _pm25(r),
                "—" if r.cost is None else f"{r.cost:,.0f}",
            )
            for r in y.rows
        )
        if y.rows:
            mean = y.pm25_mean_percent
            rows += (
                (
                    "全年",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "—" if mean is None else f"{mean:.1f}%（按 {y.pm25_hours} 个实测小时加权）",
                    "—" if y.total_cost is None else f"{y.total_cost:,.0f}",
                ),
            )
        table = Table(
            (
                ("过程", "episode"),
                ("最高级别", "highest level"),
                ("判定", "verdict"),
                ("预案标准应为", "criteria called for"),
                ("提前时间 h", "lead given"),
                ("预案要求 h", "plan's lead"),
                ("PM2.5改善效果（95%区间）", "effect on PM2.5"),
                ("生产损失（元）", "production lost"),
            ),
            rows,
        )
        counts = (
            f"命中 {y.count('hit')}（其中迟发 {y.count('late')}、级别偏低 {y.count('low')}），"
            f"误报 {y.count('false alarm')}，漏报 {len(y.misses)}。"
        )
        findings = tuple(finding_sentence(f) for f in y.findings) or ("数据未显示需要修订之处。",)
        monthly, skill = year_chart_pngs(y)
        sections = (
            Section(
                "一、年度预警过程",
                "The year's episodes",
                (counts,),
                table,
                picture=monthly,
                caption=MONTHLY_CAPTION,
            ),
            Section("二、修订建议依据", "Findings for the revision", findings),
            Section(
                "三、年度工作时限",
                "Planning-cycle deadlines",
                (cycle_sentence(y),),
                Table(
                    (
                        ("事项", "deadline"),
                        ("时限", "due"),
                        ("状态", "state"),
                        ("平台记录", "recorded"),
                        ("依据", "clause"),
                    ),
                    tuple(
                        (
                            cycle_kind_label(c.kind)
                            + (f"（仅当{c.condition_zh}）" if c.condition_zh else ""),
                            c.due.isoformat(),
                            cycle_state_label(c.state),
                            c.done_on.isoformat() if c.done_on else "—",
                            c.clause,
                        )
                        for c in y.cycle
                    ),
                )
                if y.cycle
                else None,
            ),
            _skill_section(y, skill),
            _list_section(y),
        )
        return render_docx(
            sections,
            None,
            title_zh=f"{y.name_zh}{y.year}年重污染天气应急年度评估",
            title_en=f"{y.name_en}: evaluation of {y.year}",
        )
