"""The episode summary report, read back from its Markdown and its .docx."""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import pytest
from docx import Document
from PIL import Image

from hazeguard.documents.summary import (
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
    aqi_chart_png,
    compliance_by_enterprise,
    summary_docx,
    summary_markdown,
)
from hazeguard.plans import load_plan

T = dt.datetime
ISSUED = T(2024, 12, 9, 16, 0)
SECTIONS_ZH = [
    "一、基本情况",
    "二、预警过程",
    "三、通知与报送时效",
    "四、措施落实情况",
    "五、信息报送",
    "六、企业落实与执法检查",
    "七、预报与实测空气质量",
    "八、减排清单核算与目标",
    "九、各单位总结报告",
]
# Liaocheng's units report within 3 working days of lifting (003 §4.9): by Monday 16 December.
SUMMARY_DUE = T(2024, 12, 16, 23, 59)


def liaocheng_episode(aqi: bool = True) -> EpisodeSummary:
    """An orange episode in Liaocheng, December 2024, raised to red for a day."""
    notify = next(d for d in load_plan("liaocheng-2020").deadlines if d.kind == "notify_units")
    days = [dt.date(2024, 12, 9) + dt.timedelta(days=n) for n in range(4)]
    return EpisodeSummary(
        jurisdiction_zh="聊城市",
        plan_id="liaocheng-2020",
        prepared_by_zh="聊城市重污染天气应急指挥部办公室",
        prepared_at=T(2024, 12, 16, 10, 0),
        timeline=(
            TimelineEntry(ISSUED, "issue", "orange", "预计 AQI>200 持续 3 天"),
            TimelineEntry(T(2024, 12, 10, 18, 0), "adjust", "red", "会商后升级"),
            TimelineEntry(T(2024, 12, 11, 20, 0), "adjust", "orange"),
            TimelineEntry(T(2024, 12, 12, 12, 0), "lift", "orange", "扩散条件转好"),
        ),
        notices=(
            NoticeTiming(
                "通知成员单位", "市生态环境局", notify.due(ISSUED), T(2024, 12, 9, 16, 40)
            ),
            NoticeTiming("向社会发布", "市融媒体中心", notify.due(ISSUED), T(2024, 12, 9, 19, 30)),
        ),
        measures=(
            MeasureCarriedOut("市住建局", "建筑工地停止土石方作业", "检查工地 126 处，停工 118 处"),
            MeasureCarriedOut("市公安局", "国四及以下重型货车限行", "劝返 312 车次"),
        ),
        reports=tuple(
            ReportCell(unit, day, "missing" if (unit, day) == ("市交通局", days[2]) else "on_time")
            for unit in ("市住建局", "市交通局")
            for day in days
        ),
        compliance=(
            EnterpriseCompliance(
                "聊城某水泥有限公司",
                compliant=2,
                violation=1,
                tasks=3,
                acknowledged=True,
                reports_due=3,
                reports_made=3,
                reports_short=1,
                inspections=1,
                violations_found=1,
                penalties=1,
                downgrades_proposed=1,
            ),
            EnterpriseCompliance("聊城某化工有限公司", compliant=3, tasks=1, reports_due=3),
            EnterpriseCompliance("聊城某铸造有限公司", tasks=1),
        ),
        inspections=(
            Inspection(
                T(2024, 12, 10, 9, 30),
                "聊城某水泥有限公司",
                "窑尾未停",
                "立案查处",
                violation=True,
                penalty_zh="罚款5万元",
                downgrade_zh="B级 → C级（待确认）",
            ),
        ),
        aqi=tuple(
            DailyAqi(day, forecast, observed)
            for day, forecast, observed in zip(
                days, (210, 260, 240, 160), (225, 301, 233, None), strict=True
            )
        )
        if aqi
        else (),
        reductions=(
            ReductionCheck("SO2", "orange", 0.20, 0.23, 2.3, 10.0, "聊城市2019年排放清单"),
            ReductionCheck("NOx", "orange", 0.20, 0.17, 3.4, 20.0, "聊城市2019年排放清单"),
            ReductionCheck("VOCs", "orange", 0.20, None, 1.2),
        ),
        key_enterprises=(
            KeyEnterpriseCheck("orange", 0.2, 2, ("聊城某化工有限公司",), "000 §6.5"),
        ),
        unit_summaries=(
            UnitSummary("市住建局", SUMMARY_DUE, T(2024, 12, 13, 9, 0), "on_time", "accepted"),
            UnitSummary(
                "临清市", SUMMARY_DUE, T(2024, 12, 17, 10, 0), "late", "submitted", 1, "003 §4.9"
            ),
            UnitSummary("冠县", SUMMARY_DUE, None, "overdue", "overdue", clause="003 §4.9"),
        ),
    )


def test_the_markdown_has_every_section_with_its_english_subtitle() -> None:
    text = summary_markdown(liaocheng_episode())
    assert text.startswith("# 重污染天气应急响应总结报告\n")
    for title in SECTIONS_ZH:
        assert f"\n## {title}\n" in text
    assert "*Forecast vs observed AQI*" in text
    assert "最高级别 Highest level: 红色预警（Ⅰ级响应）" in text
    assert "历时 68 小时 (h)" in text
    assert "| 2024-12-10 18:00 | 调整 | 红色预警（Ⅰ级响应） | 会商后升级 |" in text
    assert "报送完整率 Report completeness: 87.5%" in text
    nox = "| NOx | 橙色预警（Ⅱ级响应） | 20.0% | 3.400 | 20.000 | 17.0% | 未达标 |"
    assert f"{nox} 聊城市2019年排放清单 |" in text
    # No inventory for VOCs: the share is not made up, the row and a sentence say so.
    assert "| VOCs | 橙色预警（Ⅱ级响应） | 20.0% | 1.200 | — | — | 缺全社会排放基数 | — |" in text
    missing = "无法核算 (no society-wide inventory, share not computed)"
    assert f"{missing}: 橙色预警（Ⅱ级响应） VOCs" in text
    assert "核算 2 家，未达到 1 家：聊城某化工有限公司" in text
    assert "共 2 项，超时或逾期 1 项，未到期 0 项。" in text
    assert (
        "应报 owed 3 · 按时 on time 1 · 迟报 late 1 · 逾期未报 overdue 1 · 未到期 pending 0"
        " · 已采纳 accepted 1" in text
    )
    assert "报送完整率 Completeness: 66.7%" in text
    assert "| 冠县 | 2024-12-16 23:59 (003 §4.9) | — | 逾期未报 | 逾期 |" in text


def test_the_units_summary_counts_and_completeness() -> None:
    episode = liaocheng_episode()
    assert episode.unit_summary_counts == {
        "on_time": 1, "late": 1, "overdue": 1, "pending": 0, "no_deadline": 0, "accepted": 1,
    }  # fmt: skip
    assert episode.unit_summary_completeness == pytest.approx(2 / 3)
    nothing_owed = EpisodeSummary("聊城市", "liaocheng-2020", "", ISSUED, episode.timeline)
    assert math.isnan(nothing_owed.unit_summary_completeness)


def test_notice_times_are_judged_against_the_plans_deadline() -> None:
    episode = liaocheng_episode()
    on_time, late = episode.notices
    assert on_time.due == T(2024, 12, 9, 19, 0)  # liaocheng-2020: notify units within 3 h
    assert on_time.on_time
    assert not late.on_time


def read_back(episode: EpisodeSummary) -> Document:
    return Document(io.BytesIO(summary_docx(episode)))


def test_the_docx_has_the_chinese_headings_english_subtitles_and_tables() -> None:
    document = read_back(liaocheng_episode())
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS_ZH
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "重污染天气应急响应总结报告"
    assert "Enterprise compliance and inspections" in texts
    assert (
        "2024-12-10 09:30 聊城某水泥有限公司：窑尾未停（立案查处；罚款5万元；B级 → C级（待确认））"
        in texts
    )
    assert (
        "用电量显示未落实减排措施的企业 Enterprises whose consumption shows the measures were "
        "not carried out: 聊城某水泥有限公司" in texts
    )
    timeline, notices, measures, reports, enterprises, aqi, reductions, units = document.tables
    assert [c.text for c in units.rows[2].cells] == [
        "临清市", "2024-12-16 23:59 (003 §4.9)", "2024-12-17 10:00", "迟报 1 个工作日", "已报送",
    ]  # fmt: skip
    assert timeline.cell(0, 0).text == "时间\nTime"
    assert [c.text for c in timeline.rows[2].cells] == [
        "2024-12-10 18:00",
        "调整",
        "红色预警（Ⅰ级响应）",
        "会商后升级",
    ]
    assert [c.text for c in notices.rows[2].cells][-1] == "超时完成"
    assert reports.cell(2, 3).text == "未报"  # 市交通局 on 12-11
    assert [c.text for c in enterprises.rows[1].cells] == [
        "聊城某水泥有限公司", "3", "是", "3/3，不符 1", "1/1", "1；1/0", "2/0/1/0", "未落实",
    ]  # fmt: skip
    assert [c.text for c in enterprises.rows[2].cells][-2:] == ["3/0/0/0", "落实"]
    assert [c.text for c in enterprises.rows[3].cells][-2:] == ["无用电数据", "无用电数据"]
    assert [c.text for c in aqi.rows[4].cells] == ["2024-12-12", "160", "—", "—"]
    assert reductions.cell(1, 6).text == "达标"
    assert reductions.cell(3, 6).text == "缺全社会排放基数"
    assert measures.cell(1, 2).text == "检查工地 126 处，停工 118 处"


def test_the_docx_embeds_the_aqi_chart_as_a_png() -> None:
    document = read_back(liaocheng_episode())
    assert len(document.inline_shapes) == 1
    images = [p for p in document.part.related_parts.values() if p.content_type == "image/png"]
    assert len(images) == 1
    picture = Image.open(io.BytesIO(images[0].blob))
    assert picture.format == "PNG"
    assert picture.width > picture.height > 300


def test_without_aqi_data_the_docx_has_no_chart_and_says_so() -> None:
    document = read_back(liaocheng_episode(aqi=False))
    assert len(document.inline_shapes) == 0
    assert "（无数据 / no data）" in [p.text for p in document.paragraphs]


def test_the_chart_draws_gaps_for_unknown_days_and_refuses_no_days() -> None:
    png = aqi_chart_png(liaocheng_episode().aqi)
    assert png.startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="at least one day"):
        aqi_chart_png(())


def test_it_refuses_a_timeline_out_of_order_or_empty() -> None:
    episode = liaocheng_episode()
    with pytest.raises(ValueError, match="time order"):
        EpisodeSummary("聊城市", "liaocheng-2020", "x", ISSUED, episode.timeline[::-1])
    with pytest.raises(ValueError, match="at least the issue"):
        EpisodeSummary("聊城市", "liaocheng-2020", "x", ISSUED, ())


def test_an_episode_not_yet_lifted_says_so() -> None:
    episode = liaocheng_episode()
    ongoing = EpisodeSummary("聊城市", "liaocheng-2020", "x", ISSUED, episode.timeline[:2])
    assert ongoing.ended is None
    assert "尚未解除 (not lifted)" in summary_markdown(ongoing)


def test_electricity_findings_count_per_enterprise_and_status() -> None:
    findings = pd.DataFrame(
        {
            "enterprise": ["E1", "E1", "E1", "E2"],
            "status": ["compliant", "violation", "violation", "insufficient_data"],
        }
    )
    rows = compliance_by_enterprise(findings, {"E1": "某钢铁公司"})
    assert rows == (
        EnterpriseCompliance("某钢铁公司", compliant=1, violation=2, credit_code="E1"),
        EnterpriseCompliance("E2", insufficient_data=1, credit_code="E2"),
    )
