"""What the other shipped plans say, checked against the seeds' own figures."""

from __future__ import annotations

import datetime as dt

import pytest

from hazeguard.plans import AllOf, AnyOf, Condition, conditions, list_plans, load_plan, plan_ids

HOUR = dt.timedelta(hours=1)


def test_kashgar_yellow_needs_the_office_director_orange_the_deputy_and_red_the_commander() -> None:
    plan = load_plan("kashgar-2023")
    assert [plan.approver_for(name) for name in plan.level_names] == [
        "office_director",
        "deputy_commander",
        "commander",
    ]
    assert plan.level("red").approval is not None
    # 001 §3.5: "由指挥部办公室主任审核，经指挥部副指挥长同意后，报请指挥长批准": the deputy
    # agrees, which is a step of its own, not a second review.
    assert plan.level("red").approval.reviewed_by == ("office_director",)
    assert plan.level("red").approval.agreed_by == ("deputy_commander",)


def test_kashgar_measures_add_up_so_red_includes_yellow_measures() -> None:
    plan = load_plan("kashgar-2023")
    assert plan.measures_cumulative is True
    red = plan.measures_for("red")
    assert set(plan.level("yellow").measures) <= set(red)
    assert len(red) == sum(len(level.measures) for level in plan.levels)


def test_kashgar_warns_24_hours_ahead_and_never_less_than_12() -> None:
    lead_time = load_plan("kashgar-2023").lead_time
    assert lead_time is not None
    assert (lead_time.usual, lead_time.minimum) == (24 * HOUR, 12 * HOUR)


def test_kashgar_has_12_counties_on_one_connected_symmetric_adjacency_graph() -> None:
    plan = load_plan("kashgar-2023")
    codes = {county.code for county in plan.counties}
    assert len(codes) == 12
    for code in codes:
        assert all(code in plan.neighbours(other) for other in plan.neighbours(code))
    reached, frontier = {"kashi"}, ["kashi"]
    while frontier:
        for other in plan.neighbours(frontier.pop()):
            if other not in reached:
                reached.add(other)
                frontier.append(other)
    assert reached == codes


def test_kashgar_levels_are_judged_on_3_or_more_contiguous_counties() -> None:
    plan = load_plan("kashgar-2023")
    for level in plan.levels:
        (condition,) = conditions(level.criteria)
        assert condition.regional is not None
        assert condition.regional.min_contiguous_counties == 3


def test_xigang_key_enterprises_cut_15_20_30_percent() -> None:
    targets = load_plan("dalian-xigang-2023").reduction_targets
    assert [targets[name].key_enterprise for name in ("yellow", "orange", "red")] == [
        0.15,
        0.20,
        0.30,
    ]


def test_xigang_yellow_depends_on_the_primary_pollutant() -> None:
    yellow = load_plan("dalian-xigang-2023").level("yellow").criteria
    assert isinstance(yellow, AnyOf)
    pollutants = {leaf.primary_pollutant for leaf in conditions(yellow)}
    assert pollutants == {"PM2.5", "O3"}


def test_xigang_units_report_daily_by_17_00_and_summarise_the_same_day() -> None:
    deadlines = {d.kind: d for d in load_plan("dalian-xigang-2023").deadlines}
    assert deadlines["daily_report"].describe() == "17:00 the same day"
    assert deadlines["summary"].describe() == "24:00 the same day"


def test_xigang_every_mandatory_measure_names_its_responsible_units() -> None:
    plan = load_plan("dalian-xigang-2023")
    for name in plan.level_names:
        for measure in plan.measures_for(name, "mandatory"):
            assert measure.responsible_units, measure.text_zh


def test_chaoyang_attaches_the_environment_and_industry_department_plans() -> None:
    plan = load_plan("chaoyang-2024")
    industry = plan.department_plan("chaoyang-2024-industry")
    deadlines = {d.kind: d for d in industry.deadlines}
    assert (deadlines["daily_report"].at, deadlines["daily_report"].covers) == (
        "09:00",
        "previous_day",
    )
    assert deadlines["summary"].working_days == 5
    assert len(industry.assignments) == 7
    environment = plan.department_plan("chaoyang-2024-environment")
    assert {d.describe() for d in environment.deadlines} == {
        "17:00 the same day",
        "10:00 the next day",
    }


def test_chaoyang_red_is_72_hours_over_200_with_24_over_300() -> None:
    red = load_plan("chaoyang-2024").level("red").criteria
    assert red == AllOf((Condition(">", 200, 72 * HOUR), Condition(">", 300, 24 * HOUR)))


def test_beijing_plans_have_blue_below_yellow_orange_red() -> None:
    for year in (2013, 2015, 2016):
        plan = load_plan(f"beijing-{year}")
        assert plan.level_names == ("blue", "yellow", "orange", "red")
        assert plan.completeness == "criteria_only"
    assert load_plan("beijing-2016").level("blue").criteria == Condition(">", 200, 24 * HOUR)


def plans_with_levels(*names: str) -> list[str]:
    return [plan.id for plan in list_plans() if plan.level_names == names]


@pytest.mark.parametrize("plan_id", plans_with_levels("yellow", "orange", "red"))
def test_yellow_orange_red_start_responses_iii_ii_i(plan_id: str) -> None:
    plan = load_plan(plan_id)
    assert [plan.response_for(name) for name in plan.level_names] == ["III", "II", "I"]
    assert all(level.response_source is not None for level in plan.levels)


FULL_PLANS = [plan.id for plan in list_plans() if plan.completeness != "criteria_only"]


@pytest.mark.parametrize("plan_id", FULL_PLANS)
def test_each_level_of_a_full_plan_names_its_approver(plan_id: str) -> None:
    plan = load_plan(plan_id)
    approvers = [plan.approver_for(name) for name in plan.level_names]
    assert None not in approvers
    ranks = [["office_director", "deputy_commander", "commander"].index(a) for a in approvers if a]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("plan_id", [p.id for p in list_plans() if p.reduction_targets])
def test_reduction_targets_rise_with_the_level(plan_id: str) -> None:
    targets = list(load_plan(plan_id).reduction_targets.values())
    assert [t.pollutants for t in targets] == [
        dict.fromkeys(("SO2", "NOx", "PM", "VOCs"), share) for share in (0.1, 0.2, 0.3)
    ]


@pytest.mark.parametrize("plan_id", [p.id for p in list_plans() if p.lead_time is not None])
def test_lead_time_is_24_hours(plan_id: str) -> None:
    lead_time = load_plan(plan_id).lead_time
    assert lead_time is not None
    assert lead_time.usual == 24 * HOUR


def test_xigang_restates_measures_at_each_level() -> None:
    plan = load_plan("dalian-xigang-2023")
    assert plan.measures_cumulative is False
    assert plan.measures_for("orange") == list(plan.level("orange").measures)
    texts = [{m.text_zh for m in plan.measures_for(name, "mandatory")} for name in plan.level_names]
    fireworks = "（7）严禁燃放烟花爆竹。（责任单位：区公安分局、区城管执法局）"
    assert fireworks in set.intersection(*texts)


TIMED = {"lift", "merge", "downgrade", "issue_on_observed", "upgrade"}


@pytest.mark.parametrize("plan_id", plan_ids())
def test_every_rule_kind_is_known_and_timed_rules_carry_hours(plan_id: str) -> None:
    for rule in load_plan(plan_id).rules:
        if rule.duration is None:
            continue
        assert rule.kind in TIMED, rule
        # the hours come from the rule's own text ("36小时"), except a merge whose gap is
        # the lifting condition (Kashgar 001 §3.7.1 says "未达到解除预警条件")
        hours = f"{rule.duration / HOUR:g}小时"
        assert hours in rule.text_zh or "解除预警条件" in rule.text_zh, rule


def test_kashgar_reports_daily_on_the_previous_day_and_sums_up_within_a_day() -> None:
    deadlines = {d.kind: d for d in load_plan("kashgar-2023").deadlines}
    assert deadlines["daily_report"].covers == "previous_day"
    assert deadlines["daily_report"].within == 24 * HOUR
    summary = deadlines["summary"]
    assert (summary.after, summary.within) == ("response_ended", 24 * HOUR)


def test_deadlines_fall_due_after_their_event() -> None:
    xigang = {d.kind: d for d in load_plan("dalian-xigang-2023").deadlines}
    industry = {d.kind: d for d in load_plan("chaoyang-2024").department_plans[1].deadlines}
    liaocheng = {d.kind: d for d in load_plan("liaocheng-2020").deadlines}
    friday_noon = dt.datetime(2024, 11, 29, 12, 0)
    assert xigang["daily_report"].due(friday_noon) == dt.datetime(2024, 11, 29, 17, 0)
    assert xigang["summary"].due(friday_noon) == dt.datetime(2024, 11, 30, 0, 0)
    assert industry["daily_report"].due(friday_noon) == dt.datetime(2024, 11, 30, 9, 0)
    assert industry["summary"].due(friday_noon) == dt.datetime(2024, 12, 6, 12, 0)
    assert liaocheng["notify_units"].due(friday_noon) == dt.datetime(2024, 11, 29, 15, 0)
