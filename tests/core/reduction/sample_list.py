"""A small hand-written emission-reduction list shared by the list I/O, document and CLI tests."""

from __future__ import annotations

from hazeguard.reduction.io_excel import ListWorkbook
from hazeguard.reduction.model import (
    EmissionList,
    Emissions,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    EssentialBasis,
    Grade,
    Inventory,
    Measure,
    MeasureKind,
    ProductionUnit,
    SourceClass,
    TruckTrips,
    UnitStatus,
    WarningLevel,
)
from hazeguard.reduction.uscc import credit_code_check_character

YELLOW, ORANGE, RED = WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED


def code(body: str) -> str:
    """A valid credit code from its first 17 characters."""
    return body + credit_code_check_character(body)


CEMENT = code("91371500MA3C00001")
GLASS = code("91371500MA3C00002")
HEATING = code("91371500MA3C00003")


def sample_book() -> ListWorkbook:
    cement = Enterprise(
        credit_code=CEMENT,
        name="聊城示例水泥有限公司",
        county="东昌府区",
        industry_code="3011",
        key_industry="cement_clinker",
        grade=Grade.C,
        category=EnterpriseCategory.KEY,
        units=(
            ProductionUnit("L1", "1号熟料生产线", "kiln", 2500.0, Emissions(0.4, 1.2, 0.3, 0.0)),
            ProductionUnit("L2", "2号熟料生产线", "kiln", 2500.0, Emissions(0.4, 1.1, 0.3, 0.0)),
            ProductionUnit(
                "M1", "粉磨站", "grinding", 800.0, Emissions(pm=0.2), UnitStatus.LONG_IDLE
            ),
        ),
        measures=(
            Measure(
                YELLOW, MeasureKind.STOP_LINES, ("L1",), fraction=0.5, text="1号熟料生产线停产"
            ),
            Measure(YELLOW, MeasureKind.TRUCK_BAN, truck_stage=EmissionStage.CHINA_4),
            Measure(ORANGE, MeasureKind.STOP, text="停产"),
            Measure(RED, MeasureKind.STOP),
        ),
        truck_trips=(
            TruckTrips(EmissionStage.CHINA_4, 40.0),
            TruckTrips(EmissionStage.CHINA_5, 12.5),
        ),
        power_meters=("3715000001", "3715000002"),
        coal_or_oil_fired=True,
    )
    glass = Enterprise(
        credit_code=GLASS,
        name="示例玻璃有限公司",
        county="临清市",
        industry_code="3041",
        key_industry="flat_glass",
        grade=Grade.A,
        category=EnterpriseCategory.KEY,
        units=(
            ProductionUnit("F1", "浮法玻璃窑炉", "furnace", 960.0, Emissions(0.3, 0.9, 0.1, 0.02)),
        ),
        measures=(
            Measure(YELLOW, MeasureKind.VOLUNTARY, text="自主采取减排措施"),
            Measure(ORANGE, MeasureKind.FEED_CAP, ("F1",), amount=768.0, base_amount=960.0),
            Measure(RED, MeasureKind.FEED_CAP, ("F1",), amount=768.0, base_amount=960.0),
        ),
    )
    heating = Enterprise(
        credit_code=HEATING,
        name="示例热电有限公司",
        county="东昌府区",
        industry_code="4411",
        key_industry=None,
        grade=Grade.UNGRADED,
        category=EnterpriseCategory.ESSENTIAL,
        essential_basis=EssentialBasis.HEATING,
        units=(
            ProductionUnit(
                "B1", "1号锅炉", "boiler", 100.0, Emissions(0.2, 0.3, 0.05, 0.0), capacity_unit="MW"
            ),
        ),
        measures=tuple(
            Measure(
                level, MeasureKind.LOAD_CAP, ("B1",), amount=80.0, rule_ref="seed 003 §4.4 以热定产"
            )
            for level in (YELLOW, ORANGE, RED)
        ),
    )
    inventory = Inventory(
        {
            SourceClass.INDUSTRIAL: Emissions(12.0, 30.0, 9.0, 20.0),
            SourceClass.MOBILE: Emissions(0.5, 25.0, 2.0, 15.0),
            SourceClass.DUST: Emissions(pm=14.0),
        }
    )
    output_value = {
        (CEMENT, "L1"): 1.2e6,
        (CEMENT, "L2"): 1.2e6,
        (GLASS, "F1"): 9.0e5,
        (HEATING, "B1"): 3.0e5,
    }
    return ListWorkbook(EmissionList("聊城市", (cement, glass, heating), inventory), output_value)
