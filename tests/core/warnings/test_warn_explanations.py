"""Explanations: each reason is a code with parameters, rendered in Chinese and in English.

Each kind of rule is decided at its threshold (200 does not exceed 200, 201 does; 500 reaches
500, 499 does not), and the explanation's code, parameters and both texts are checked.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from hazeguard.plans import list_plans, load_plan
from hazeguard.warnings import DailyForecast, Decision, daily, decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.messages import TEMPLATES, Message

AT = datetime(2023, 12, 1, 16, 0)
KASHGAR = load_plan("kashgar-2023")
LIAOCHENG = load_plan("liaocheng-2020")
XIGANG = load_plan("dalian-xigang-2023")


def forecast(values: list[float], **kwargs: Any) -> DailyForecast:
    return daily("2023-12-02", values, **kwargs)


def explained(decision: Decision) -> list[tuple[str, dict[str, Any], str, str]]:
    """(code, params, zh, en) of every matched criterion."""
    return [
        (c.message.code, dict(c.message.params), c.description_zh, c.description)
        for c in decision.criteria
    ]


def rule(decision: Decision, name: str) -> tuple[str, dict[str, Any], str, str]:
    (found,) = [r for r in decision.rules if r.rule == name]
    return found.message.code, dict(found.message.params), found.detail_zh, found.detail


# --- criteria ------------------------------------------------------------------------------


def test_a_persistence_criterion_is_explained_at_its_threshold() -> None:
    decision = decide(LIAOCHENG, forecast([201, 201, 100]), at=AT)
    assert decision.level == "yellow"
    assert explained(decision) == [
        (
            "criterion.persistence",
            {"op": ">", "threshold": 200, "days": 2},
            "AQI日均值>200连续2天（48小时）",
            "AQI > 200 for 2 days",
        )
    ]


def test_a_single_day_is_said_as_24_hours() -> None:
    # 003 §3.1: "预测AQI日均值>200将持续1天（24小时）及以上" is an advisory notice (提示信息).
    decision = decide(LIAOCHENG, forecast([200, 201, 200]), at=AT)
    assert decision.level == "advisory"
    assert explained(decision) == [
        (
            "criterion.persistence",
            {"op": ">", "threshold": 200, "days": 1},
            "AQI日均值>200持续24小时",
            "AQI > 200 for 1 day",
        )
    ]


def test_at_exactly_200_nothing_is_explained() -> None:
    decision = decide(LIAOCHENG, forecast([200, 200, 200]), at=AT)
    assert (decision.level, decision.criteria) == ("none", ())
    assert (decision.headline.zh, decision.headline.en) == ("不发布预警", "no warning")


def test_the_aqi_500_rule_reads_as_the_plan_writes_it() -> None:
    # 003 §3.1: "或预测AQI日均值达到500".
    decision = decide(LIAOCHENG, forecast([500, 100, 100]), at=AT)
    assert decision.level == "red"
    assert explained(decision) == [
        (
            "criterion.persistence",
            {"op": ">=", "threshold": 500, "days": 1},
            "AQI日均值达到500",
            "AQI >= 500 for 1 day",
        )
    ]


def test_499_does_not_reach_500() -> None:
    assert decide(LIAOCHENG, forecast([499, 100, 100]), at=AT).level == "advisory"


def test_both_parts_of_an_all_of_criterion_are_explained() -> None:
    # 003 §3.1 red: "> 200 for 4 days, and > 300 for 2 days".
    decision = decide(LIAOCHENG, forecast([301, 301, 201, 201, 100]), at=AT)
    assert decision.level == "red"
    assert [(zh, en) for _, _, zh, en in explained(decision)] == [
        ("AQI日均值>200连续4天（96小时）", "AQI > 200 for 4 days"),
        ("AQI日均值>300连续2天（48小时）", "AQI > 300 for 2 days"),
    ]


def test_a_primary_pollutant_condition_is_explained() -> None:
    # 000 §3.1: "臭氧（O3）为首要污染物时，预测日AQI>150持续2天及以上".
    decision = decide(XIGANG, forecast([151, 151, 100], primary=["O3"] * 3), at=AT)
    assert decision.level == "yellow"
    assert explained(decision) == [
        (
            "criterion.persistence",
            {"op": ">", "threshold": 150, "days": 2, "primary_pollutant": "O3"},
            "O3为首要污染物时，AQI日均值>150连续2天（48小时）",
            "AQI > 150 for 2 days (O3 primary)",
        )
    ]


def _kashgar(polluted: dict[str, list[float]]) -> dict[str, DailyForecast]:
    days = len(next(iter(polluted.values())))
    return {
        county.code: forecast(polluted.get(county.code, [100.0] * days))
        for county in KASHGAR.counties
    }


def test_kashgar_names_its_contiguous_counties() -> None:
    # 001 §3.4: "研判3个及以上连片县（市）平均日AQI达到…预警分级标准".
    counties = _kashgar({"kashi": [201, 100], "shufu": [201, 100], "shule": [201, 100]})
    decision = decide(KASHGAR, counties, at=AT)
    assert decision.level == "yellow"
    (matched,) = decision.criteria
    assert matched.message.code == "criterion.regional"
    assert matched.message.params == {
        "min_contiguous_counties": 3,
        "criterion": {
            "code": "criterion.persistence",
            "params": {"op": ">", "threshold": 200, "days": 1},
        },
        "counties_zh": ["喀什市", "疏附县", "疏勒县"],
        "counties_en": ["Kashgar", "Shufu County", "Shule County"],
    }
    assert matched.description_zh == (
        "3个及以上连片县（市）平均AQI日均值>200持续24小时：喀什市、疏附县、疏勒县"
    )
    assert matched.description == (
        "AQI > 200 for 1 day (mean of ≥ 3 contiguous counties: Kashgar, Shufu County, Shule County)"
    )
    assert matched.counties == (("kashi", "shufu", "shule"),)


def test_kashgar_lists_every_county_of_the_groups_that_matched_once() -> None:
    # The pollution moves: kashi, shufu and shule on day 1; shule, yengisar and yuepuhu on day 2.
    counties = _kashgar(
        {
            "kashi": [260, 100, 100],
            "shufu": [260, 100, 100],
            "shule": [260, 260, 100],
            "yengisar": [100, 260, 100],
            "yuepuhu": [100, 260, 100],
        }
    )
    decision = decide(KASHGAR, counties, at=AT)
    (matched,) = decision.criteria
    assert decision.level == "orange"
    assert matched.counties == (("kashi", "shufu", "shule"), ("shule", "yengisar", "yuepuhu"))
    assert matched.description_zh.endswith("：喀什市、疏附县、疏勒县、英吉沙县、岳普湖县")


def test_kashgar_counties_averaging_exactly_200_explain_nothing() -> None:
    counties = _kashgar({"kashi": [200, 100], "shufu": [200, 100], "shule": [200, 100]})
    assert decide(KASHGAR, counties, at=AT).criteria == ()


def test_a_regional_floor_is_explained() -> None:
    decision = decide(LIAOCHENG, forecast([100, 100]), at=AT, regional_floor="orange")
    assert explained(decision) == [
        (
            "criterion.regional_floor",
            {"floor": "orange"},
            "上级发布橙色区域预警：启动不低于区域预警级别的预警",
            "a regional orange warning from a higher jurisdiction: not lower than it",
        )
    ]
    assert rule(decision, "regional floor") == (
        "rule.regional_floor",
        {},
        "不低于区域预警级别",
        "not lower than the regional warning",
    )


# --- lifecycle rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "code", "ahead", "zh_end", "en_end"),
    [
        # Kashgar 001 §3.5: "原则上应提前24小时以上发布，特殊情况下至少提前12小时".
        (datetime(2023, 12, 2, 0), "usual", 24, "满足提前24小时以上发布的要求", "(24 h) met"),
        (datetime(2023, 12, 2, 1), "minimum", 23, "仅满足至少提前12小时的要求", "(12 h) met"),
        (datetime(2023, 12, 2, 12), "minimum", 12, "仅满足至少提前12小时的要求", "(12 h) met"),
        # Late: recorded with its reason, the measures not postponed (issue 10; it used to read
        # "推迟启动" / "start delayed").
        (
            datetime(2023, 12, 2, 13),
            "late",
            11,
            "不足提前12小时：记为迟发，须说明原因，措施不推迟",
            "recorded as late with its reason, measures not postponed",
        ),
    ],
)
def test_the_lead_time_is_explained_at_its_thresholds(
    at: datetime, code: str, ahead: int, zh_end: str, en_end: str
) -> None:
    polluted = ("kashi", "shufu", "shule")
    counties = {
        county.code: daily("2023-12-03", [250 if county.code in polluted else 100, 100])
        for county in KASHGAR.counties
    }
    found_code, params, zh, en = rule(decide(KASHGAR, counties, at=at), "lead time")
    assert found_code == f"rule.lead_time.{code}"
    assert params == {"onset": "2023-12-03 00:00", "ahead": ahead, "usual": 24, "minimum": 12}
    assert zh == f"预测污染自2023-12-03 00:00开始，提前{ahead}小时；{zh_end}"
    assert en.startswith(f"pollution forecast from 2023-12-03 00:00, {ahead} h ahead; ")
    assert en.endswith(en_end)


def test_merging_is_explained_in_the_plans_words() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 150, 250, 250, 250, 100]), at=AT)
    assert rule(decision, "merging") == (
        "rule.merging",
        {"hours": 36},
        "前后两次污染过程间隔未达到36小时，按一次重污染过程从严启动预警",
        "polluted periods less than 36 h apart form one episode, at its highest level",
    )


def test_an_upgrade_on_observation_is_explained() -> None:
    observed = daily("2023-11-29", [250, 260, 270])
    decision = decide(
        LIAOCHENG, forecast([240, 100, 100]), at=AT, current="yellow", observed=observed
    )
    assert rule(decision, "upgrade on observation") == (
        "rule.upgrade_on_observation",
        {"level": "orange", "hours": 12},
        "监测空气质量已达到橙色预警条件，且预测未来12小时内不会有明显改善",
        "observed air quality already meets orange; no clear improvement forecast within 12 h",
    )
    assert decision.headline.zh == "升级为橙色预警，启动Ⅱ级应急响应"


def test_lifting_at_light_pollution_is_explained() -> None:
    # 003 §3.3.2: AQI 150 is light pollution (轻度污染): it lifts.
    decision = decide(LIAOCHENG, forecast([150, 150, 100]), at=AT, current="orange")
    assert rule(decision, "lift") == (
        "rule.improvement",
        {"current": "orange", "hours": 36},
        "已不满足橙色预警条件，且预测空气质量改善将持续36小时以上",
        "orange no longer met; improvement forecast to last at least 36 h",
    )
    assert (decision.headline.zh, decision.headline.en) == ("解除预警", "lift the warning")


def test_a_downgrade_is_explained() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 100]), at=AT, current="red")
    zh = rule(decision, "downgrade")[2]
    assert zh == "已不满足红色预警条件，且预测空气质量改善将持续36小时以上"
    assert decision.headline.zh == "降级为黄色预警，启动Ⅲ级应急响应"
    assert decision.headline.en == "downgrade to yellow warning (response III)"


def test_a_short_improvement_keeps_the_warning_and_says_why() -> None:
    decision = decide(LIAOCHENG, forecast([150, 250, 100]), at=AT, current="yellow")
    assert rule(decision, "lifting") == (
        "rule.no_lasting_improvement",
        {"hours": 36},
        "预测空气质量改善持续不足36小时：维持预警",
        "improvement not forecast to last 36 h: the warning stays",
    )
    assert decision.headline.zh == "维持黄色预警，启动Ⅲ级应急响应"


def test_dust_left_out_is_explained() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 100], dust=[True, False, False]), at=AT)
    assert rule(decision, "dust exclusion") == (
        "rule.dust",
        {"count": 1},
        "1个时段因沙尘天气不计入",
        "1 period(s) left out as sand and dust",
    )
    assert decision.headline.zh == "发布提示信息"


# --- the structured form -------------------------------------------------------------------


def test_the_decision_carries_both_texts_and_the_structured_form_as_json() -> None:
    decision = decide(LIAOCHENG, forecast([100, 301, 301, 201, 201]), at=AT)
    data = json.loads(json.dumps(decision.to_dict(), ensure_ascii=False))
    assert data["headline"]["zh"] == "发布红色预警，启动Ⅰ级应急响应"
    assert data["headline"]["en"] == "issue red warning (response I)"
    first = data["criteria"][0]
    assert (first["criterion_zh"], first["criterion"]) == (
        "AQI日均值>200连续4天（96小时）",
        "AQI > 200 for 4 days",
    )
    assert first["explanation"]["code"] == "criterion.persistence"
    assert first["source_zh"] == "预报"
    lead = data["rules"][0]
    assert (lead["rule_zh"], lead["rule"]) == ("提前发布", "lead time")
    assert Message.from_dict(lead["explanation"]).zh == lead["detail_zh"]


def test_a_message_round_trips_through_its_dict() -> None:
    message = decide(LIAOCHENG, forecast([301, 301, 201, 201]), at=AT).criteria[0].message
    assert Message.from_dict(json.loads(json.dumps(message.to_dict()))) == message


def test_an_unknown_code_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown explanation code 'rule\.nonsense'"):
        Message("rule.nonsense")
    with pytest.raises(ValueError, match="code: text, params: mapping"):
        Message.from_dict({"params": {}})


@pytest.mark.parametrize("plan", list_plans(), ids=lambda plan: plan.id)
def test_every_shipped_criterion_reads_in_chinese_and_as_before_in_english(plan: Any) -> None:
    rules = rules_from_plan(plan)
    for level in rules.levels:
        for criterion in level.criteria:
            message = criterion.message()
            assert message.en == criterion.describe()
            assert "AQI日均值" in message.zh
            assert not any(word in message.zh for word in (" for ", "day", "primary"))


def test_every_code_has_both_languages() -> None:
    assert all(set(texts) == {"zh", "en"} for texts in TEMPLATES.values())
