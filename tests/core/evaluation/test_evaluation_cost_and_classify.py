"""The production lost by an episode's site-plan cuts, and the year's classification of warnings
held in memory (the platform's path to ``hazeguard.evaluation.year``)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from hazeguard.evaluation.cost import production_cost
from hazeguard.evaluation.year import classify
from hazeguard.plans import load_plan
from hazeguard.reduction.model import (
    Emissions,
    Enterprise,
    EnterpriseCategory,
    Grade,
    Measure,
    MeasureKind,
    ProductionUnit,
    WarningLevel,
)
from hazeguard.warnings import as_rules
from hazeguard.warnings.compare import RealWarning
from hazeguard.warnings.forecast import DailyForecast

CODE = "91371581875434709F"


def _cement() -> Enterprise:
    units = (
        ProductionUnit("K1", "1号熟料生产线", "kiln", 2500.0, Emissions(0.2, 1.1, 0.3, 0.0)),
        ProductionUnit("M1", "1号水泥磨", "grinding", 3000.0, Emissions(0.0, 0.0, 0.2, 0.0)),
    )
    measures = (
        Measure(WarningLevel.ORANGE, MeasureKind.STOP, ("K1",)),
        Measure(WarningLevel.ORANGE, MeasureKind.LIMIT, ("M1",), fraction=0.5),
        Measure(WarningLevel.RED, MeasureKind.STOP),
    )
    return Enterprise(
        CODE, "临清市水泥有限公司", "临清市", "3011", "cement_clinker", Grade.B,
        EnterpriseCategory.KEY, units, measures,
    )  # fmt: skip


def test_the_cost_is_output_value_times_share_stopped_times_days() -> None:
    values = {(CODE, "K1"): 100_000.0, (CODE, "M1"): 40_000.0}  # [yuan/d]

    cost = production_cost([_cement()], values, {"orange": 1.5, "red": 2.0, "blue": 3.0})

    # Orange: K1 stopped (1.0), M1 half (0.5); red: both stopped; blue is not a list level.
    expected = 100_000 * 1.5 + 40_000 * 0.5 * 1.5 + (100_000 + 40_000) * 2.0
    assert cost.total == pytest.approx(expected)
    assert cost.units_cut == 2
    assert cost.units_without_value == ()
    assert cost.days == {"orange": 1.5, "red": 2.0}


def test_a_unit_without_output_value_is_named_and_left_out() -> None:
    cost = production_cost([_cement()], {(CODE, "K1"): 100_000.0}, {"red": 1.0})

    assert cost.total == pytest.approx(100_000.0)
    assert cost.units_without_value == (f"{CODE}/M1",)


def _observed(first: date, values: list[float]) -> DailyForecast:
    aqi = np.array(values, dtype=float)
    return DailyForecast(
        aqi_low=aqi, aqi_high=aqi, primary=tuple("PM2.5" for _ in values),
        dust=tuple(False for _ in values),
        dates=tuple(first + timedelta(days=n) for n in range(len(values))),
    )  # fmt: skip


def test_a_warning_on_clean_days_is_a_false_alarm_and_a_polluted_spell_a_miss() -> None:
    rules = as_rules(load_plan("liaocheng-2020"))
    # 1-10 January clean (AQI 60); 20-23 January four days above 200, two above 300 (003 §3.1).
    values = [60.0] * 19 + [310.0, 320.0, 250.0, 240.0] + [60.0] * 8
    observed = _observed(date(2026, 1, 1), values)
    warnings = [RealWarning(7, "orange", date(2026, 1, 5), date(2026, 1, 6), "")]

    table = classify(lambda _day: rules, observed, warnings, 2026)

    alarm, miss = table.rows
    assert (alarm.verdict, alarm.history_row) == ("false alarm", 7)
    assert (miss.verdict, miss.replayed_level, miss.replayed_first) == (
        "miss", "red", date(2026, 1, 20),
    )  # fmt: skip
