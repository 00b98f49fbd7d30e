"""A pollution process below the warning level, opened and closed from observations and
forecasts (Chaoyang 002 §五(二)1: "针对未达到预警启动条件的污染过程（含臭氧污染）……
积极应对污染过程")."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from hazeguard.plans import PlanError, load_plan
from hazeguard.plans.loader import load_plan_file, plan_path
from hazeguard.warnings.process import process_decision

SEED_WORDS = "针对未达到预警启动条件的污染过程（含臭氧污染）"
RULE = load_plan("chaoyang-2024").pollution_process


def test_chaoyangs_plan_file_states_the_process_with_its_clause_and_who_runs_it() -> None:
    assert RULE is not None
    assert RULE.clause == "002 §五(二)1"
    assert SEED_WORDS in RULE.text_zh
    assert RULE.unit == "ecology_environment"  # 朝阳市生态环境局, the department plan's unit
    assert "002 §五(二)1" in RULE.tasks
    # 002 gives no figure: the file says where 100 comes from.
    assert RULE.opens_above == 100
    assert "HJ 633" in RULE.threshold_note


@pytest.mark.parametrize("plan_id", ["liaocheng-2020", "kashgar-2023", "dalian-xigang-2023"])
def test_the_other_plans_record_their_silence_on_a_process(plan_id: str) -> None:
    plan = load_plan(plan_id)
    assert plan.pollution_process is None
    assert plan.workflow is not None
    silence = plan.workflow.silence("pollution_process")
    assert silence is not None
    assert "no process is opened" in silence.note


@pytest.mark.parametrize(
    ("observed", "forecast", "warning", "is_open", "change"),
    [
        (135, (90, 80), False, False, "open"),  # observed light pollution, no warning criteria
        (80, (95, 160), False, False, "open"),  # forecast pollution opens it ahead (提前应对)
        (155, (), False, False, "open"),  # ozone-led AQI counts alike (含臭氧污染)
        (100, (100,), False, False, "none"),  # exactly 100 is "good", not pollution
        (120, (130,), False, True, "keep"),
        (90, (70, 60), False, True, "close"),  # observed and forecast clean again
        (180, (220,), True, True, "close"),  # a warning is issued: the response takes over
        (180, (220,), True, False, "none"),
        (math.nan, (120,), False, False, "open"),  # no observation: the forecast decides
        (None, (), False, True, "close"),
    ],
)
def test_the_process_opens_and_closes_from_observations_and_forecasts(
    observed: float | None,
    forecast: tuple[float, ...],
    warning: bool,
    is_open: bool,
    change: str,
) -> None:
    assert RULE is not None
    decision = process_decision(
        RULE,
        observed_aqi=observed,
        forecast_aqi=forecast,
        warning_in_force=warning,
        is_open=is_open,
    )
    assert decision.change == change
    assert decision.clause == "002 §五(二)1"
    assert decision.reason_zh
    assert decision.reason_en


def test_the_reason_names_the_observed_value_in_chinese_and_english() -> None:
    assert RULE is not None
    decision = process_decision(
        RULE, observed_aqi=135, forecast_aqi=(), warning_in_force=False, is_open=False
    )
    assert decision.reason_zh == "实测连续24小时AQI 135，高于100，未达到预警启动条件"
    assert (
        decision.reason_en == "observed rolling 24-h AQI 135 above 100, below the warning criteria"
    )


def test_a_process_naming_an_unknown_unit_is_refused_with_the_file_and_key(tmp_path: Path) -> None:
    source = plan_path("chaoyang-2024").read_text(encoding="utf-8")
    broken = tmp_path / "2024.yaml"
    broken.write_text(source.replace("unit: ecology_environment", "unit: nobody"), "utf-8")
    with pytest.raises(PlanError, match=r"2024.yaml:\d+: unknown member unit 'nobody'"):
        load_plan_file(broken)


def test_a_plan_silent_on_the_process_must_say_so(tmp_path: Path) -> None:
    source = plan_path("dalian-xigang-2023").read_text(encoding="utf-8")
    start = source.index("  - topic: pollution_process")
    end = source.index("\n", source.index("    note:", start)) + 1
    broken = tmp_path / "2023.yaml"
    broken.write_text(source[:start] + source[end:], "utf-8")
    with pytest.raises(PlanError, match="states no pollution_process"):
        load_plan_file(broken)
