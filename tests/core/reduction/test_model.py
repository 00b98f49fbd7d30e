"""The list's object model rejects malformed entries with a message naming the field."""

from __future__ import annotations

import math

import pytest

from hazeguard.reduction.model import (
    LEVELS,
    EmissionList,
    Emissions,
    Enterprise,
    EnterpriseCategory,
    Grade,
    Inventory,
    Measure,
    MeasureKind,
    Pollutant,
    ProductionUnit,
    SourceClass,
    UnitStatus,
    WarningLevel,
)
from hazeguard.reduction.uscc import CreditCodeError

CODE = "91350100M000100Y43"


def kiln(unit_id: str = "kiln-1", status: UnitStatus = UnitStatus.OPERATING) -> ProductionUnit:
    return ProductionUnit(
        unit_id, "熟料线", "kiln", 5000.0, Emissions(0.2, 1.0, 0.1, 0.0), status=status
    )


def cement(**changes: object) -> Enterprise:
    fields: dict[str, object] = {
        "credit_code": CODE,
        "name": "某水泥有限公司",
        "county": "东昌府区",
        "industry_code": "3011",
        "key_industry": "cement_clinker",
        "grade": Grade.B,
        "category": EnterpriseCategory.KEY,
        "units": (kiln(), kiln("kiln-2", UnitStatus.LONG_IDLE)),
    }
    fields.update(changes)
    return Enterprise(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("B-", Grade.B_MINUS),
        ("B－级", Grade.B_MINUS),
        ("a级", Grade.A),
        ("引领性", Grade.LEADING),
        ("A+", Grade.A_PLUS),
        ("非引领性", Grade.NON_LEADING),
        ("未评级", Grade.UNGRADED),
    ],
)
def test_it_reads_grades_written_in_chinese_or_as_codes(text: str, grade: Grade) -> None:
    assert Grade.parse(text) is grade


def test_it_rejects_an_unknown_grade() -> None:
    with pytest.raises(ValueError, match="unknown performance grade 'E'"):
        Grade.parse("E")


def test_it_lets_a_and_leading_enterprises_choose_their_own_measures() -> None:
    assert Grade.A.self_determined
    assert Grade.LEADING.self_determined
    assert not Grade.B.self_determined
    assert not Grade.NON_LEADING.self_determined


def test_it_orders_levels_from_yellow_to_red() -> None:
    assert [level.rank for level in LEVELS] == [0, 1, 2]
    assert WarningLevel.RED.label_zh == "红色"


def test_it_rejects_negative_or_missing_emissions() -> None:
    with pytest.raises(ValueError, match=r"emissions.nox must be a number >= 0"):
        Emissions(nox=-1.0)
    with pytest.raises(ValueError, match=r"emissions.pm"):
        Emissions(pm=math.nan)


def test_it_adds_and_reads_emissions_by_pollutant() -> None:
    total = Emissions(1, 2, 3, 4) + Emissions(so2=1)
    assert total.get(Pollutant.SO2) == 2
    assert total.scaled(0.5).as_tuple() == (1, 1, 1.5, 2)
    assert Emissions.from_mapping({Pollutant.VOCS: 2.0}).vocs == 2.0


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        (MeasureKind.LIMIT, "fraction"),
        (MeasureKind.ROTATE, "batch"),
        (MeasureKind.EXEMPT, "reason"),
        (MeasureKind.TRUCK_BAN, "truck_stage"),
        (MeasureKind.FEED_CAP, "amount"),
    ],
)
def test_it_rejects_a_measure_without_the_numbers_its_kind_needs(
    kind: MeasureKind, missing: str
) -> None:
    with pytest.raises(ValueError, match=f"needs {missing}"):
        Measure(WarningLevel.YELLOW, kind)


def test_it_rejects_a_limit_above_one_hundred_percent() -> None:
    with pytest.raises(ValueError, match=r"fraction must be in \[0, 1\]"):
        Measure(WarningLevel.RED, MeasureKind.LIMIT, fraction=20.0)


def test_it_rejects_a_batch_beyond_the_number_of_batches() -> None:
    with pytest.raises(ValueError, match=r"batch must be in 1..3"):
        Measure(WarningLevel.RED, MeasureKind.ROTATE, batch=4, batches=3)


def test_it_rejects_an_enterprise_with_a_wrong_check_character() -> None:
    with pytest.raises(CreditCodeError, match="GB 32100 requires '3'"):
        cement(credit_code=CODE[:17] + "4")


def test_it_rejects_a_measure_on_an_unknown_unit() -> None:
    measure = Measure(WarningLevel.RED, MeasureKind.STOP, unit_ids=("kiln-9",))
    with pytest.raises(ValueError, match=r"red stop measure names unknown units \['kiln-9'\]"):
        cement(measures=(measure,))


def test_it_rejects_an_essential_enterprise_without_a_basis() -> None:
    with pytest.raises(ValueError, match="needs essential_basis"):
        cement(category=EnterpriseCategory.ESSENTIAL)


def test_it_counts_only_operating_units_in_the_baseline() -> None:
    enterprise = cement()
    assert enterprise.baseline().nox == 1.0
    assert enterprise.baseline(operating_only=False).nox == 2.0


def test_it_rejects_a_list_with_a_credit_code_twice() -> None:
    inventory = Inventory({SourceClass.INDUSTRIAL: Emissions(1, 1, 1, 1)})
    with pytest.raises(ValueError, match="appears twice"):
        EmissionList("聊城市", (cement(), cement()), inventory)


def test_it_totals_the_inventory_over_source_classes() -> None:
    inventory = Inventory(
        {SourceClass.INDUSTRIAL: Emissions(1, 2, 3, 4), SourceClass.MOBILE: Emissions(0, 5, 1, 2)}
    )
    assert inventory.total().as_tuple() == (1, 7, 4, 6)
    assert inventory.source(SourceClass.DUST) == Emissions()
