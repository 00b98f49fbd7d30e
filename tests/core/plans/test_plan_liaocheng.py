"""Liaocheng 2020 (seed 003) as the warning engine and the platform read it."""

from __future__ import annotations

import datetime as dt

from hazeguard.plans import AllOf, AnyOf, Condition, load_plan


def test_liaocheng_has_yellow_orange_red_starting_responses_iii_ii_i() -> None:
    plan = load_plan("liaocheng-2020")
    assert plan.level_names == ("yellow", "orange", "red")
    assert [plan.response_for(name) for name in plan.level_names] == ["III", "II", "I"]


def test_liaocheng_yellow_and_orange_need_the_deputy_commander_and_red_the_commander() -> None:
    plan = load_plan("liaocheng-2020")
    assert plan.approver_for("yellow") == "deputy_commander"
    assert plan.approver_for("orange") == "deputy_commander"
    assert plan.approver_for("red") == "commander"


def test_liaocheng_red_is_four_days_over_200_with_two_over_300_or_reaching_500() -> None:
    red = load_plan("liaocheng-2020").level("red").criteria
    day = dt.timedelta(hours=24)
    assert red == AnyOf(
        (
            AllOf((Condition(">", 200, 4 * day), Condition(">", 300, 2 * day))),
            Condition(">=", 500, day),
        )
    )


def test_liaocheng_issues_an_advisory_for_one_day_over_200() -> None:
    advisory = load_plan("liaocheng-2020").advisory
    assert advisory is not None
    assert advisory.criteria == Condition(">", 200, dt.timedelta(hours=24))


def test_liaocheng_restates_measures_so_red_measures_are_reds_own() -> None:
    plan = load_plan("liaocheng-2020")
    assert plan.measures_cumulative is False
    assert plan.measures_for("red") == list(plan.level("red").measures)
    guidance = plan.measures_for("yellow", "guidance")
    assert guidance
    assert all(measure.category == "guidance" for measure in guidance)


def test_liaocheng_targets_10_20_30_percent_with_so2_plus_nox_20_40_60() -> None:
    targets = load_plan("liaocheng-2020").reduction_targets
    assert [targets[name].pollutants["VOCs"] for name in ("yellow", "orange", "red")] == [
        0.10,
        0.20,
        0.30,
    ]
    assert [targets[name].so2_nox_sum for name in ("yellow", "orange", "red")] == [0.2, 0.4, 0.6]


def test_liaocheng_lifts_after_36_hours_of_light_pollution_and_merges_gaps_under_36_hours() -> None:
    plan = load_plan("liaocheng-2020")
    assert plan.lifting is not None
    assert plan.merging is not None
    assert (plan.lifting.duration, plan.lifting.aqi_at_most) == (dt.timedelta(hours=36), 150)
    assert plan.merging.duration == dt.timedelta(hours=36)


def test_liaocheng_counties_notify_within_3_hours_and_the_public_within_2() -> None:
    deadlines = {d.kind: d for d in load_plan("liaocheng-2020").deadlines}
    assert deadlines["notify_units"].within == dt.timedelta(hours=3)
    assert deadlines["public_notice"].within == dt.timedelta(hours=2)
    assert deadlines["summary"].working_days == 3
