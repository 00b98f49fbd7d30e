"""decide(): levels, responses, approvers, criteria and clauses, for the shipped plans."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hazeguard.plans import load_plan
from hazeguard.warnings import DailyForecast, Decision, daily, decide, hourly

AT = datetime(2016, 12, 15, 15, 0)  # decided the afternoon before the forecast starts


def liaocheng(values: list[float], **kwargs: object) -> Decision:
    return decide(load_plan("liaocheng-2020"), daily("2016-12-16", values), at=AT, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "level", "response"),
    [
        ([201, 100, 100], "advisory", None),  # 003 §3.1: > 200 for 24 h is an advisory notice
        ([200, 200, 200], "none", None),
        ([201, 201, 100], "yellow", "III"),  # > 200 for 48 h
        ([201, 201, 201, 100], "orange", "II"),  # > 200 for 72 h
        ([201, 301, 301, 201], "red", "I"),  # > 200 for 96 h and > 300 for 48 h
        ([201, 301, 300, 201], "orange", "II"),  # only one day over 300
        ([500, 100, 100], "red", "I"),  # "或预测AQI日均值达到500"
        ([499, 100, 100], "advisory", None),
    ],
)
def test_liaocheng_levels_at_their_thresholds(
    values: list[float], level: str, response: str | None
) -> None:
    decision = liaocheng(values)
    assert (decision.level, decision.response) == (level, response)


def test_a_red_decision_names_criteria_clauses_days_approver_and_measures() -> None:
    decision = liaocheng([320, 350, 380, 260, 100])
    assert decision.action == "issue"
    assert decision.approver == "commander"
    assert {c.clause for c in decision.criteria} == {"003 §3.1"}
    periods = {c.description: c.periods for c in decision.criteria}
    assert periods["AQI > 200 for 4 days"] == (
        "2016-12-16",
        "2016-12-17",
        "2016-12-18",
        "2016-12-19",
    )
    assert periods["AQI > 300 for 2 days"] == ("2016-12-16", "2016-12-17")
    assert decision.measures
    assert all(m.clause.startswith("003 §4.4.4") for m in decision.measures)


def test_to_dict_is_json_with_the_fields_the_platform_reads() -> None:
    data = json.loads(json.dumps(liaocheng([201, 201, 100]).to_dict()))
    assert data["level"] == "yellow"
    assert data["response"] == "III"
    assert data["criteria"][0]["periods"] == ["2016-12-16", "2016-12-17"]
    assert data["criteria"][0]["clause"] == "003 §3.1"
    assert data["earliest_start"] == "2016-12-16T00:00"  # no longer postponed (issue 10)
    assert data["chain"][-1] == {
        "step": "approve",
        "roles": ["deputy_commander"],
        "clause": "003 §3.3.1",
    }
    assert data["approver"] == "deputy_commander"
    assert data["measures"]


def test_the_same_criteria_hold_on_hourly_rolling_values() -> None:
    plan = load_plan("liaocheng-2020")
    start = datetime(2016, 12, 16, 9)
    assert decide(plan, hourly(start, [250.0] * 25), at=AT).level == "yellow"  # 48 h
    assert decide(plan, hourly(start, [250.0] * 24), at=AT).level == "advisory"  # 47 h
    assert decide(plan, hourly(start, [250.0] * 49), at=AT).level == "orange"  # 72 h


def test_a_range_forecast_is_judged_on_its_upper_bound() -> None:
    forecast = daily("2016-12-16", [(180.0, 220.0), (190.0, 240.0), (100.0, 120.0)])
    assert decide(load_plan("liaocheng-2020"), forecast, at=AT).level == "yellow"


@pytest.mark.parametrize(
    ("values", "primary", "level"),
    [
        ([201, 100], ["PM2.5", "PM2.5"], "yellow"),  # 000 §3.1 PM2.5: AQI > 200 (one day)
        ([201, 100], ["O3", "O3"], "none"),  # ...but not for ozone
        ([151, 151, 100], ["PM2.5", "PM2.5", "PM2.5"], "yellow"),  # > 150 for 48 h
        ([151, 151, 100], ["O3", "O3", "O3"], "yellow"),  # O3: > 150 for 2 days
        ([151, 100, 151], ["O3", "O3", "O3"], "none"),
        ([201, 201, 100], ["PM2.5", "PM2.5", ""], "orange"),  # > 200 for 48 h
        ([151, 151, 151, 100], ["O3", "O3", "O3", ""], "orange"),  # > 150 for 72 h
        ([201, 301, 201, 100], ["PM2.5", "PM2.5", "PM2.5", ""], "red"),  # 72 h and 24 h > 300
        ([201, 300, 201, 100], ["PM2.5", "PM2.5", "PM2.5", ""], "orange"),
    ],
)
def test_xigang_pm25_and_ozone_criteria(
    values: list[float], primary: list[str], level: str
) -> None:
    forecast = daily("2023-12-01", values, primary=primary)
    assert (
        decide(load_plan("dalian-xigang-2023"), forecast, at=datetime(2023, 11, 30, 16)).level
        == level
    )


@pytest.mark.parametrize(
    ("plan_id", "values", "level"),
    [
        ("beijing-2013", [201], "blue"),
        ("beijing-2013", [301], "yellow"),
        ("beijing-2013", [201, 201, 201], "yellow"),
        ("beijing-2013", [201, 301, 201], "orange"),
        ("beijing-2013", [301, 301, 301], "red"),
        ("beijing-2016", [201, 100], "blue"),
        ("beijing-2016", [201, 201, 100], "yellow"),
        ("beijing-2016", [201, 201, 201], "yellow"),
        ("beijing-2016", [201, 301, 201], "orange"),
        ("beijing-2016", [201, 301, 301, 201], "red"),
        ("beijing-2016", [500], "red"),
        ("chaoyang-2024", [151, 151], "yellow"),
        ("chaoyang-2024", [201], "yellow"),
        ("chaoyang-2024", [151, 151, 151], "orange"),
        ("chaoyang-2024", [201, 301, 201], "red"),
    ],
)
def test_other_plans_levels(plan_id: str, values: list[float], level: str) -> None:
    forecast = daily("2016-12-16", values)
    assert decide(load_plan(plan_id), forecast, at=AT).level == level


def test_it_reads_a_forecast_csv_and_decides(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "forecast.csv"
    path.write_text("date,aqi,primary_pollutant\n2016-12-16,230,PM2.5\n2016-12-17,260,PM2.5\n")
    forecast = DailyForecast.from_csv(path)
    assert decide(load_plan("liaocheng-2020"), forecast, at=AT).level == "yellow"


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.lists(
                st.sampled_from([90.0, 160.0, 200.0, 201.0, 260.0, 301.0, 500.0]),
                min_size=1,
                max_size=6,
            ),
            st.sampled_from([None, "blue", "yellow", "orange", "red"]),
            st.sampled_from([None, "yellow", "orange"]),
        ),
        min_size=1,
        max_size=8,
    ),
    plan_id=st.sampled_from(["beijing-2016", "liaocheng-2020", "dalian-xigang-2023"]),
)
def test_decide_many_agrees_with_decide_row_by_row(
    rows: list[tuple[list[float], str | None, str | None]], plan_id: str
) -> None:
    from hazeguard.warnings.batch import decide_many

    plan = load_plan(plan_id)
    width = max(len(values) for values, _, _ in rows)
    aqi = [values + [90.0] * (width - len(values)) for values, _, _ in rows]
    current = [c if c in plan.level_names else None for _, c, _ in rows]
    floors = [f for _, _, f in rows]
    batch = decide_many(
        plan,
        aqi,
        first_day=AT.date() + timedelta(days=1),
        at=AT,
        current=current,
        regional_floor=floors,
    )
    for row, values in enumerate(aqi):
        single = decide(
            plan,
            daily(AT.date() + timedelta(days=1), values),
            at=AT,
            current=current[row],
            regional_floor=floors[row],
        )
        assert (batch.levels[row], batch.actions[row]) == (single.level, single.action)
        assert batch.responses[row] == single.response
        assert batch.earliest_starts[row] == single.earliest_start
