"""The engine asks the plan's workflow (issue 10 §1): chains, lead time, merging, conditional
measures, advisory, typhoon, a parent's order and drills, each with the seed's clause."""

from __future__ import annotations

from datetime import datetime

import pytest

from hazeguard.plans import Workflow, WorkflowError, load_plan
from hazeguard.warnings import daily, decide

AT = datetime(2023, 12, 1, 16, 0)
KASHGAR = load_plan("kashgar-2023")
LIAOCHENG = load_plan("liaocheng-2020")
XIGANG = load_plan("dalian-xigang-2023")


def kashgar(values: list[float], start: str = "2023-12-02") -> dict[str, object]:
    polluted = ("kashi", "shufu", "shule")
    return {
        county.code: daily(start, values if county.code in polluted else [100] * len(values))
        for county in KASHGAR.counties
    }


# --- approval chains -----------------------------------------------------------------------


def test_kashgar_red_goes_review_agree_approve_by_three_people() -> None:
    # 001 §3.5: "红色预警信息由指挥部办公室主任审核，经指挥部副指挥长同意后，报请指挥长批准后发布".
    decision = decide(KASHGAR, kashgar([250, 250, 250, 100]), at=AT)  # type: ignore[arg-type]
    assert decision.level == "red"
    assert decision.chain is not None
    assert [(s.kind, s.roles) for s in decision.chain.steps[1:]] == [
        ("review", ("office_director",)),
        ("agree", ("deputy_commander",)),
        ("approve", ("commander",)),
    ]
    assert decision.to_dict()["chain"][3] == {
        "step": "approve",
        "roles": ["commander"],
        "clause": "001 §3.5",
    }


def test_an_approval_that_skips_the_deputys_agreement_is_refused() -> None:
    chain = Workflow.of(KASHGAR).chain("issue", "red")
    acts = [("propose", "command_office"), ("review", "office_director"), ("approve", "commander")]
    with pytest.raises(WorkflowError, match="step 3 is agree"):
        chain.check(acts)  # type: ignore[arg-type]


def test_xigang_commander_may_approve_what_the_deputy_may() -> None:
    # 000 §2.1: both the commander and the deputy "负责批准本预案相应预警".
    decision = decide(XIGANG, daily("2023-12-02", [250, 100, 100]), at=AT)
    assert decision.chain is not None
    assert decision.chain.approvers == ("deputy_commander", "commander")
    assert Workflow.of(XIGANG).may("commander", "issue", "yellow", "approve")


def test_liaocheng_red_is_not_lifted_by_the_office_director_alone() -> None:
    # 003 §3.3.2: the office director 核准, then "各级别的预警按照发布程序予以解除".
    chain = Workflow.of(LIAOCHENG).chain("lift", "red")
    assert not chain.complete([("propose", "coordination_group"), ("review", "office_director")])
    assert chain.approvers == ("commander",)
    assert chain.clause == "003 §3.3.2"


# --- lead time -----------------------------------------------------------------------------


def test_a_late_release_is_recorded_late_and_its_measures_are_not_postponed() -> None:
    # 001 §3.5: "原则上应提前24小时以上发布，特殊情况下至少提前12小时": 11 h ahead is late.
    at = datetime(2023, 12, 2, 13)
    decision = decide(KASHGAR, kashgar([250, 100], "2023-12-03"), at=at)  # type: ignore[arg-type]
    assert decision.action == "issue"
    assert decision.earliest_start == datetime(2023, 12, 3)  # the onset, not at + 12 h
    lead = next(r for r in decision.rules if r.rule == "lead time")
    assert lead.message.code == "rule.lead_time.late"
    assert decision.lead is not None
    assert decision.lead.late
    assert decision.lead.needs_reason


def test_a_plan_without_a_lead_time_judges_no_release() -> None:
    # Xigang states none (000 §3.2.1: it issues on Dalian's order); no 12 h default.
    decision = decide(XIGANG, daily("2023-12-01", [250, 100, 100]), at=AT)
    assert decision.action == "issue"
    assert all(r.rule != "lead time" for r in decision.rules)
    assert decision.lead is not None
    assert decision.lead.status == "silent"


# --- merging -------------------------------------------------------------------------------


def test_plans_without_a_merge_rule_do_not_merge() -> None:
    # Xigang: no merge rule; the plan file says polluted periods are not merged.
    values = [250, 100, 250, 250, 100, 100, 100]
    assert decide(XIGANG, daily("2023-12-02", values), at=AT).level == "yellow"
    # Liaocheng: "间隔时间未达到36小时，应按一次重污染过程从严启动预警" (003 §3.3.2).
    assert Workflow.of(LIAOCHENG).merging.gap_hours == 36


# --- conditional measures ------------------------------------------------------------------


def _measure(decision: object, fragment: str) -> object:
    return next(m for m in decision.measures if fragment in m.text)  # type: ignore[attr-defined]


def test_the_ozone_measure_is_not_active_for_a_pm25_yellow() -> None:
    # 000 §4.2.1.3(8): "因臭氧污染启动本预案时".
    pm = daily("2023-07-02", [250, 100, 100], primary=["PM2.5", "", ""])
    measure = _measure(decide(XIGANG, pm, at=datetime(2023, 7, 1, 16)), "因臭氧污染")
    assert measure.active is False  # type: ignore[attr-defined]
    reason = measure.reason  # type: ignore[attr-defined]
    assert reason.zh == "未启用：首要污染物不是臭氧（O₃）"
    assert reason.en == "not active: O₃ is not the primary pollutant"
    ozone = daily("2023-07-02", [180, 180, 100], primary=["O3", "O3", ""])
    decision = decide(XIGANG, ozone, at=datetime(2023, 7, 1, 16))
    assert decision.level == "yellow"
    assert _measure(decision, "因臭氧污染").active is True  # type: ignore[attr-defined]


def test_road_wetting_runs_from_15_march_to_15_november_only() -> None:
    # 000 §4.2.1.3(4): "每年3月15日至11月15日".
    winter = decide(XIGANG, daily("2023-12-02", [250, 100, 100]), at=AT)
    assert _measure(winter, "3月15日至11月15日").active is False  # type: ignore[attr-defined]
    summer = decide(XIGANG, daily("2023-11-15", [250, 100, 100]), at=datetime(2023, 11, 14))
    assert _measure(summer, "3月15日至11月15日").active is True  # type: ignore[attr-defined]


def test_school_closure_needs_aqi_500_under_red() -> None:
    # 003 §4.4.4.1(7): "接到红色预警且AQI日均值达到500时，学校可采取停课措施".
    at = datetime(2023, 12, 1, 16)
    red = decide(LIAOCHENG, daily("2023-12-03", [350, 350, 320, 320, 100]), at=at)
    assert red.level == "red"
    assert _measure(red, "停课").active is False  # type: ignore[attr-defined]
    worst = decide(LIAOCHENG, daily("2023-12-03", [500, 100, 100]), at=at)
    assert worst.level == "red"
    assert _measure(worst, "停课").active is True  # type: ignore[attr-defined]


# --- advisory, typhoon, parent's order, drill ---------------------------------------------


def test_liaocheng_issues_its_advisory_notice_through_the_office_director() -> None:
    # 003 §3.1: AQI > 200 for 24 h, below yellow: "发布提示信息".
    decision = decide(LIAOCHENG, daily("2023-12-02", [250, 100, 100]), at=AT)
    assert (decision.action, decision.level) == ("issue", "advisory")
    assert decision.chain is not None
    assert decision.chain.approvers == ("office_director",)


def test_xigang_leaves_typhoon_pollution_out() -> None:
    # 000 §1.4: "对于沙尘暴、台风等气象因素……造成的重污染天气，不在本预案范围".
    forecast = daily("2023-08-02", [250, 250, 100], typhoon=[True, True, False])
    decision = decide(XIGANG, forecast, at=datetime(2023, 8, 1, 16))
    assert decision.action == "none"
    assert any(r.clause == "000 §1.4" for r in decision.rules)


def test_kashgar_does_not_exclude_typhoons() -> None:
    forecast = {
        code: daily("2023-12-02", [250, 100], typhoon=[True, False])
        for code in (c.code for c in KASHGAR.counties)
    }
    assert decide(KASHGAR, forecast, at=AT).level == "yellow"  # type: ignore[arg-type]


def test_xigang_issues_the_level_dalian_orders_without_deciding_its_own() -> None:
    # 000 §3.2.1: "根据大连市应急指挥部下达…发布西岗区重污染天气相应预警".
    from hazeguard.warnings import decide_on_order

    decision = decide_on_order(XIGANG, "orange", at=AT)
    assert (decision.action, decision.level, decision.response) == ("issue", "orange", "II")
    assert decision.rules[0].clause == "000 §3.2.1"
    assert decision.chain is not None
    assert decision.chain.approvers == (
        "deputy_commander",
        "commander",
    )
    lifted = decide_on_order(XIGANG, "none", at=AT, current="orange")
    assert lifted.action == "lift"


def test_a_drill_is_carried_through_and_marked() -> None:
    decision = decide(LIAOCHENG, daily("2023-12-02", [250, 250, 100]), at=AT, drill=True)
    assert decision.drill is True
    assert decision.to_dict()["drill"] is True
    assert decision.headline.zh.startswith("【演练】")
    assert decision.headline.en.startswith("[DRILL] ")


def test_a_decision_stored_before_the_late_release_rule_still_renders() -> None:
    # Stored decisions keep their explanation codes; "rule.lead_time.short" is no longer given.
    from hazeguard.warnings.messages import Message

    old = Message(
        "rule.lead_time.short",
        {"onset": "2016-12-16 00:00", "ahead": 9, "usual": 24, "minimum": 24},
    )
    assert old.zh.endswith("不足至少提前24小时：推迟启动")
    assert old.en.endswith("less than the minimum lead time (24 h): start delayed")
