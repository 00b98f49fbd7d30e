"""What the other shipped plans say, checked against the seeds' own figures."""

from __future__ import annotations

import datetime as dt

from hazeguard.plans import AllOf, AnyOf, Condition, conditions, load_plan

HOUR = dt.timedelta(hours=1)


def test_kashgar_yellow_needs_the_office_director_orange_the_deputy_and_red_the_commander() -> None:
    plan = load_plan("kashgar-2023")
    assert [plan.approver_for(name) for name in plan.level_names] == [
        "office_director",
        "deputy_commander",
        "commander",
    ]
    assert plan.level("red").approval is not None
    assert plan.level("red").approval.reviewed_by == ("office_director", "deputy_commander")


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
