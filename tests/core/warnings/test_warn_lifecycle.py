"""Lifecycle: upgrade, downgrade, lifting, merging, lead time, dust, regional floor and counties."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from hazeguard.plans import load_plan
from hazeguard.warnings import DailyForecast, WarningInForce, daily, decide
from hazeguard.warnings.lifecycle import next_step
from hazeguard.warnings.rules import rank

AT = datetime(2023, 12, 1, 16, 0)
KASHGAR = load_plan("kashgar-2023")
LIAOCHENG = load_plan("liaocheng-2020")
XIGANG = load_plan("dalian-xigang-2023")


def forecast(values: list[float], **kwargs: object) -> DailyForecast:
    return daily("2023-12-02", values, **kwargs)  # type: ignore[arg-type]


# --- upgrade -------------------------------------------------------------------------------


def test_it_upgrades_when_the_forecast_meets_a_higher_level() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 250, 100]), at=AT, current="yellow")
    assert (decision.action, decision.level, decision.approver) == (
        "upgrade",
        "orange",
        "deputy_commander",
    )


def test_it_upgrades_on_observation_when_no_improvement_is_forecast_within_the_window() -> None:
    observed = daily("2023-11-29", [250, 260, 270])
    decision = decide(
        LIAOCHENG, forecast([240, 100, 100]), at=AT, current="yellow", observed=observed
    )
    assert (decision.action, decision.level) == ("upgrade", "orange")
    assert decision.earliest_start == AT  # observed: at once, no lead time
    assert decision.criteria[0].source == "observed+forecast"
    assert "2023-11-29" in decision.criteria[0].periods
    assert any(rule.rule == "upgrade on observation" for rule in decision.rules)


def test_it_does_not_upgrade_on_observation_when_improvement_is_forecast() -> None:
    observed = daily("2023-11-29", [250, 260, 270])
    decision = decide(
        LIAOCHENG, forecast([120, 100, 100]), at=AT, current="yellow", observed=observed
    )
    assert decision.action == "lift"


def test_an_observed_episode_separated_by_a_long_quiet_spell_does_not_count() -> None:
    observed = daily("2023-11-26", [250, 260, 100, 100, 230, 240])
    decision = decide(
        LIAOCHENG, forecast([240, 100, 100]), at=AT, current="yellow", observed=observed
    )
    # 11-30, 12-01 observed + 12-02 forecast = 3 days > 200 (orange); 11-26/27 are a past episode.
    assert decision.level == "orange"
    assert decision.criteria[0].periods == ("2023-11-30", "2023-12-01", "2023-12-02")


def test_observations_already_at_a_level_issue_it_without_a_warning_in_force() -> None:
    observed = daily("2023-11-30", [250, 260])
    decision = decide(LIAOCHENG, forecast([230, 100, 100]), at=AT, observed=observed)
    assert (decision.action, decision.level) == ("issue", "orange")


# --- downgrade and lifting -----------------------------------------------------------------


def test_it_downgrades_when_the_level_in_force_is_no_longer_met() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 100]), at=AT, current="red")
    assert (decision.action, decision.level) == ("downgrade", "yellow")
    assert decision.approver == "commander"  # lifted or lowered as it was issued (003 §3.3.2)


def test_it_keeps_the_level_when_the_forecast_is_too_short_to_show_lasting_improvement() -> None:
    decision = decide(LIAOCHENG, forecast([250]), at=AT, current="orange")
    assert (decision.action, decision.level) == ("keep", "orange")


def test_it_lifts_after_36_hours_of_forecast_improvement() -> None:
    decision = decide(LIAOCHENG, forecast([150, 150, 100]), at=AT, current="orange")
    assert (decision.action, decision.level) == ("lift", "none")
    assert decision.earliest_start == datetime(2023, 12, 2)
    assert decision.rules[-1].clause == "003 §3.3.2"


def test_liaocheng_red_is_lifted_by_its_issuing_procedure() -> None:
    # 003 §3.3.2: the lifting form goes to the office director (核准), and "各级别的预警按照发布程序
    # 予以解除": a red is approved by the commander, as when it was issued (003 §3.3.1). The office
    # director alone used to be named here; the issue 10 review found that wrong.
    decision = decide(LIAOCHENG, forecast([150, 150, 100]), at=AT, current="red")
    assert (decision.action, decision.approver) == ("lift", "commander")


def test_liaocheng_does_not_lift_at_moderate_pollution() -> None:
    # 轻度污染及以下 is AQI <= 150 (003 §3.3.2; HJ 633 Table 2): 180 is moderate, so no lifting.
    decision = decide(LIAOCHENG, forecast([180, 180, 100]), at=AT, current="orange")
    assert decision.action != "lift"


def test_it_does_not_lift_when_improvement_lasts_less_than_36_hours() -> None:
    decision = decide(LIAOCHENG, forecast([150, 250, 100]), at=AT, current="yellow")
    assert (decision.action, decision.level) == ("keep", "yellow")


def test_lifting_needs_the_plans_quiet_threshold() -> None:
    # Xigang's criteria start at 150, so 180 is still polluted there: no lifting.
    decision = decide(XIGANG, forecast([180, 180, 100]), at=AT, current="yellow")
    assert decision.action != "lift"


# --- merging -------------------------------------------------------------------------------


def test_two_episodes_less_than_36_hours_apart_are_one_at_the_higher_level() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 150, 250, 250, 250, 100]), at=AT)
    assert decision.level == "orange"
    assert any(rule.rule == "merging" for rule in decision.rules)


def test_two_episodes_36_hours_or_more_apart_are_separate() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 150, 150, 250, 250, 250]), at=AT)
    assert decision.level == "yellow"
    assert decision.expected_end == datetime(2023, 12, 4)


# --- lead time -----------------------------------------------------------------------------


def test_a_warning_starts_with_the_pollution_when_the_lead_time_allows() -> None:
    decision = decide(LIAOCHENG, forecast([100, 250, 250]), at=AT)
    assert decision.earliest_start == datetime(2023, 12, 3)
    assert "usual lead time (24 h) met" in decision.rules[0].detail


def test_a_late_warning_starts_with_the_pollution_and_is_recorded_late() -> None:
    # Liaocheng states only "提前24小时以上": 8 h ahead is late. The measures used to be postponed
    # to at + 24 h; issue 10 found that wrong ("尽早启动", 003 §3.3.1): they start with the
    # pollution and the release is recorded as late, with its reason.
    decision = decide(LIAOCHENG, forecast([250, 250]), at=AT)
    assert decision.earliest_start == datetime(2023, 12, 2)
    assert "recorded as late with its reason, measures not postponed" in decision.rules[0].detail


# --- dust ----------------------------------------------------------------------------------


def test_days_flagged_as_dust_are_left_out() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 100], dust=[True, False, False]), at=AT)
    assert decision.level == "advisory"
    assert [d.to_dict()["source"] for d in decision.dust_excluded] == ["flag"]


def test_dust_is_inferred_from_pm10_primary_and_a_low_pm25_to_pm10_ratio() -> None:
    values = np.array([400.0, 400.0, 100.0])
    dusty = DailyForecast(
        values,
        values,
        primary=("PM10", "PM10", "PM10"),
        pm25=np.array([90.0, 200.0, 20.0]),
        pm10=np.array([600.0, 400.0, 80.0]),
        dates=forecast([0, 0, 0]).dates,
    )
    decision = decide(LIAOCHENG, dusty, at=AT)
    assert [(d.label, d.source, d.ratio) for d in decision.dust_excluded] == [
        ("2023-12-02", "inferred", 0.15)
    ]
    assert decision.level == "advisory"  # only 12-03 (ratio 0.5) is left


# --- regional floor and regional triggers --------------------------------------------------


def test_a_regional_warning_sets_a_floor() -> None:
    decision = decide(LIAOCHENG, forecast([100, 100]), at=AT, regional_floor="orange")
    assert (decision.action, decision.level, decision.earliest_start) == ("issue", "orange", AT)
    assert decision.criteria[0].source == "regional floor"
    assert decision.criteria[0].clause == "003 §3.3.1"


def test_a_regional_floor_never_lowers_a_higher_local_level() -> None:
    decision = decide(LIAOCHENG, forecast([250, 250, 250]), at=AT, regional_floor="yellow")
    assert decision.level == "orange"


def test_a_blue_floor_maps_to_the_lowest_level_of_a_plan_without_blue() -> None:
    assert decide(LIAOCHENG, forecast([100]), at=AT, regional_floor="blue").level == "yellow"


def _counties(polluted: dict[str, list[float]]) -> dict[str, DailyForecast]:
    codes = [c.code for c in KASHGAR.counties]
    return {code: forecast(polluted.get(code, [100.0, 100.0, 100.0])) for code in codes}


def test_kashgar_warns_when_three_contiguous_counties_average_over_200() -> None:
    counties = _counties(
        {"kashi": [250, 250, 100], "shufu": [230, 230, 100], "shule": [210, 210, 100]}
    )
    decision = decide(KASHGAR, counties, at=AT)
    assert (decision.level, decision.response, decision.approver) == (
        "orange",
        "II",
        "deputy_commander",
    )
    assert decision.criteria[0].counties[0] == ("kashi", "shufu", "shule")


def test_kashgar_does_not_warn_for_three_counties_that_are_not_contiguous() -> None:
    # kashi, zepu and bachu share no border.
    counties = _counties(
        {"kashi": [250, 250, 100], "zepu": [250, 250, 100], "bachu": [250, 250, 100]}
    )
    assert decide(KASHGAR, counties, at=AT).level == "none"


def test_kashgar_uses_the_mean_of_the_group() -> None:
    # 320 + 200 + 100 over three = 206.7 > 200, though two counties are not over 200.
    counties = _counties({"kashi": [320, 100], "shufu": [200, 100], "shule": [100, 100]})
    counties = {code: daily("2023-12-02", list(f.aqi_high[:2])) for code, f in counties.items()}
    assert decide(KASHGAR, counties, at=AT).level == "yellow"


def test_kashgar_needs_county_forecasts() -> None:
    with pytest.raises(ValueError, match="county forecasts"):
        decide(KASHGAR, forecast([250]), at=AT)


def test_the_current_warning_may_be_given_with_its_start() -> None:
    current = WarningInForce("yellow", datetime(2023, 11, 30))
    assert decide(LIAOCHENG, forecast([250, 250]), at=AT, current=current).action == "keep"


@pytest.mark.parametrize(
    ("current", "forecast_rank", "observed", "floor", "quiet", "expected"),
    [
        ("none", "none", "none", "none", 3, ("none", "none")),
        ("none", "advisory", "none", "none", 0, ("issue", "advisory")),
        ("yellow", "none", "none", "none", 1, ("keep", "yellow")),
        ("yellow", "none", "none", "none", 2, ("lift", "none")),
        ("orange", "yellow", "none", "none", 0, ("downgrade", "yellow")),
        ("orange", "yellow", "orange", "none", 0, ("keep", "orange")),
        ("yellow", "yellow", "none", "red", 0, ("upgrade", "red")),
    ],
)
def test_next_step_table(
    current: str,
    forecast_rank: str,
    observed: str,
    floor: str,
    quiet: int,
    expected: tuple[str, str],
) -> None:
    step = next_step(
        current=rank(current),
        forecast=rank(forecast_rank),
        observed=rank(observed),
        floor=rank(floor),
        lowest=rank("yellow"),
        leading_quiet=quiet,
        horizon=3,
        gap=2,
    )
    assert (step.action, step.level) == expected


def test_the_upgrade_window_is_the_plans_12_or_24_hours_on_hourly_data() -> None:
    from dataclasses import replace

    from hazeguard.warnings import hourly
    from hazeguard.warnings.adapter import rules_from_plan

    twelve = rules_from_plan(LIAOCHENG)  # 003 §3.3.1: 12 h
    twenty_four = replace(twelve, upgrade_window_hours=24.0)  # as 001 §3.7.1
    observed = hourly("2023-11-30T17:00", [260.0] * 48)  # two days over 200 up to now
    # Still over 200 for the next 15 hours, then clean.
    forecast = hourly("2023-12-01T17:00", [260.0] * 15 + [90.0] * 40)
    at = datetime(2023, 12, 1, 16)
    assert decide(twelve, forecast, at=at, current="yellow", observed=observed).level == "orange"
    assert (
        decide(twenty_four, forecast, at=at, current="yellow", observed=observed).level != "orange"
    )


def test_observed_and_forecast_must_be_of_the_same_kind() -> None:
    from hazeguard.warnings import hourly

    with pytest.raises(ValueError, match="both be daily or both hourly"):
        decide(LIAOCHENG, forecast([250]), at=AT, observed=hourly("2023-12-01T00:00", [250.0]))


def test_kashgar_lifts_on_schedule_by_its_command_office() -> None:
    counties = _counties({})
    decision = decide(KASHGAR, counties, at=AT, current="red")
    assert (decision.action, decision.approver) == ("lift", "office_director")  # 001 §3.7.2


def test_kashgar_upgrades_on_county_observations() -> None:
    observed = {
        code: daily(
            "2023-11-29", [250, 250, 250] if code in ("kashi", "shufu", "shule") else [90] * 3
        )
        for code in _counties({})
    }
    counties = _counties(
        {"kashi": [250, 100, 100], "shufu": [250, 100, 100], "shule": [250, 100, 100]}
    )
    decision = decide(KASHGAR, counties, at=AT, current="orange", observed=observed)
    assert (decision.action, decision.level) == ("upgrade", "red")


def test_a_city_plan_rejects_county_observations() -> None:
    with pytest.raises(ValueError, match="regional trigger"):
        decide(LIAOCHENG, forecast([250]), at=AT, observed={"a": forecast([250])})
