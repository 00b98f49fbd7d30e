"""The jurisdiction check: reductions against the inventory and the plan's targets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from reduction_factory import ORANGE, RED, YELLOW, cement, compliant_c_plan, limit, stop

from hazeguard.reduction.accounting import UnitTable, account
from hazeguard.reduction.model import (
    LEVELS,
    Emissions,
    Grade,
    Inventory,
    LevelTargets,
    Measure,
    MeasureKind,
    Pollutant,
    ReductionTargets,
    Severity,
    SourceClass,
)
from hazeguard.reduction.targets import TargetReport, check_targets, targets_from_plan

# Seed 003 §4.3 and §4.4.2/§4.4.3/§4.4.4 (Liaocheng): each pollutant 10/20/30 %, SO2 + NOx
# at least 20/40/60 %; seed 000 §6.5 (Xigang): key enterprises 15/20/30 %.
LIAOCHENG = ReductionTargets(
    {
        level: LevelTargets(dict.fromkeys(Pollutant, share), 2 * share, key)
        for level, share, key in zip(LEVELS, (0.1, 0.2, 0.3), (0.15, 0.2, 0.3), strict=True)
    },
    "seed 003 §4.3",
)
# Two lines: 0.2 SO2, 1.0 NOx, 0.4 PM, 0.02 VOCs [t/d]; the inventory is ten times that.
INVENTORY = Inventory(
    {
        SourceClass.INDUSTRIAL: Emissions(0.4, 2.0, 0.8, 0.04),
        SourceClass.MOBILE: Emissions(0.6, 6.0, 0.2, 0.06),
        SourceClass.DUST: Emissions(pm=3.0),
        SourceClass.OTHER: Emissions(1.0, 2.0, 0.0, 0.1),
    }
)


def report(*measures: Measure, grade: Grade = Grade.C) -> TargetReport:
    accounting = account(UnitTable.from_enterprises([cement(grade, measures)]))
    return check_targets(accounting, INVENTORY, LIAOCHENG)


def test_a_list_that_meets_every_target_passes() -> None:
    twice = Inventory({SourceClass.INDUSTRIAL: Emissions(0.4, 2.0, 0.8, 0.04)})
    plan = [stop(level) for level in LEVELS]
    accounting = account(UnitTable.from_enterprises([cement(measures=tuple(plan))]))
    result = check_targets(accounting, twice, LIAOCHENG)
    assert result.passed
    assert result.findings == ()
    np.testing.assert_allclose(result.levels[2].ratio, 0.5)
    assert result.levels[2].so2_nox_ratio == pytest.approx(1.0)


def test_one_line_of_ten_misses_the_yellow_targets() -> None:
    result = report(*compliant_c_plan())
    assert not result.passed
    np.testing.assert_allclose(result.levels[0].ratio, 0.05)
    yellow = [f.check for f in result.findings if f.level is YELLOW]
    assert yellow == ["target"] * 4 + ["so2_nox_sum"]


def test_it_reports_the_gap_in_tonnes_per_day() -> None:
    result = report(limit(YELLOW, 0.5), limit(ORANGE, 0.5), limit(RED, 0.5))
    red = result.levels[2]
    # red: cut 0.5 of the list = 5 % of the totals; 30 % is needed: 25 % of the totals missing
    np.testing.assert_allclose(red.gap, 0.25 * np.array(INVENTORY.total().as_tuple()))
    missing = [f for f in result.findings if f.level is RED and f.check == "target"]
    assert {f.pollutant for f in missing} == set(Pollutant)
    assert missing[0].rule == "seed 003 §4.3 (red)"


def test_it_flags_the_so2_nox_sum_rule() -> None:
    result = report(stop(YELLOW), stop(ORANGE), stop(RED))
    sums = [f for f in result.findings if f.check == "so2_nox_sum"]
    assert [f.level for f in sums] == [ORANGE, RED]
    assert sums[0].gap == pytest.approx(0.4 - 0.1 - 0.1)


def test_a_shortfall_of_so2_alone_is_a_warning_when_the_pair_sum_is_met() -> None:
    targets = ReductionTargets(
        {LEVELS[0]: LevelTargets({Pollutant.SO2: 0.10, Pollutant.NOX: 0.10}, 0.20)}, "seed 003"
    )
    inventory = Inventory({SourceClass.INDUSTRIAL: Emissions(so2=4.0, nox=1.0)})
    accounting = account(UnitTable.from_enterprises([cement(measures=(stop(YELLOW),))]))
    # SO2 0.2/4 = 5 %, NOx 1.0/1 = 100 %: the sum holds, SO2 was adjusted between the pair.
    result = check_targets(accounting, inventory, targets)
    assert result.passed
    assert [(f.pollutant, f.severity) for f in result.findings] == [
        (Pollutant.SO2, Severity.WARNING)
    ]


def test_it_flags_a_key_enterprise_below_its_own_share() -> None:
    result = report(limit(YELLOW, 0.1), limit(ORANGE, 0.5), stop(RED))
    key = [f for f in result.findings if f.check == "key_enterprise"]
    assert [f.level for f in key] == [YELLOW]
    assert key[0].credit_code == cement().credit_code
    assert "cuts 10.0%" in key[0].message
    baseline = dict(zip(Pollutant, (0.2, 1.0, 0.4, 0.02), strict=True))
    assert key[0].pollutant is not None
    assert key[0].gap == pytest.approx(0.05 * baseline[key[0].pollutant])  # 15 % − 10 %


def test_grade_a_enterprises_are_exempt_from_the_key_share() -> None:
    voluntary = [Measure(level, MeasureKind.VOLUNTARY) for level in LEVELS]
    result = report(*voluntary, grade=Grade.A)
    assert not [f for f in result.findings if f.check == "key_enterprise"]


def test_reductions_of_the_other_lists_are_added() -> None:
    accounting = account(UnitTable.from_enterprises([cement()]))
    extra = {LEVELS[0]: Emissions(0.2, 1.0, 0.4, 0.02)}
    result = check_targets(accounting, INVENTORY, LIAOCHENG, extra)
    np.testing.assert_allclose(result.levels[0].ratio, 0.1)
    assert not [f for f in result.findings if f.level is YELLOW and f.check == "target"]


@dataclass(frozen=True)
class PlanFileTarget:
    """The shape of ``hazeguard.plans`` ReductionTarget (a plan file's per-level target)."""

    clause: str
    so2_nox_sum: float | None
    key_enterprise: float | None
    key_enterprise_clause: str = ""
    share: float = 0.1

    @property
    def pollutants(self) -> dict[str, float]:
        return dict.fromkeys(("SO2", "NOx", "PM", "VOCs"), self.share)


def test_it_adapts_a_plans_reduction_targets() -> None:
    plan_targets = {
        "blue": PlanFileTarget("seed 003 §4.3", None, None),
        "yellow": PlanFileTarget("seed 003 §4.3", 0.2, 0.15, "seed 000 §6.5"),
        "red": PlanFileTarget("seed 003 §4.3", 0.6, 0.3, "seed 000 §6.5", 0.3),
    }
    targets = targets_from_plan(plan_targets, "聊城市")
    assert set(targets.levels) == {YELLOW, RED}
    assert targets.levels[RED].pollutants[Pollutant.VOCS] == 0.3
    assert targets.levels[YELLOW].so2_nox_sum == 0.2
    assert targets.levels[YELLOW].key_enterprise == 0.15
    assert targets.source == "聊城市 seed 003 §4.3, seed 000 §6.5"
