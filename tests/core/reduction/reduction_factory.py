"""Small enterprises built by hand for the model, accounting and check tests."""

from __future__ import annotations

from dataclasses import replace

from hazeguard.reduction.model import (
    Emissions,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    EssentialBasis,
    Grade,
    Measure,
    MeasureKind,
    ProductionUnit,
    TruckTrips,
    UnitStatus,
    WarningLevel,
)
from hazeguard.reduction.uscc import credit_code_check_character

YELLOW, ORANGE, RED = WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED
LEVELS3 = (YELLOW, ORANGE, RED)


def credit_code(serial: int) -> str:
    body = f"91371500MA3C{serial:05d}"
    return body + credit_code_check_character(body)


def line(
    unit_id: str,
    capacity: float = 2500.0,
    emissions: tuple[float, float, float, float] = (0.1, 0.5, 0.2, 0.01),
    status: UnitStatus = UnitStatus.OPERATING,
    process: str = "kiln",
) -> ProductionUnit:
    return ProductionUnit(
        unit_id, f"{unit_id}号熟料线", process, capacity, Emissions(*emissions), status=status
    )


def cement(
    grade: Grade = Grade.C,
    measures: tuple[Measure, ...] = (),
    units: tuple[ProductionUnit, ...] | None = None,
    trucks: tuple[TruckTrips, ...] = (),
    serial: int = 1,
    category: EnterpriseCategory = EnterpriseCategory.KEY,
) -> Enterprise:
    """A two-line clinker plant (2 × 2500 t/d) of grade C unless told otherwise."""
    return Enterprise(
        credit_code=credit_code(serial),
        name="聊城某水泥有限公司",
        county="东昌府区",
        industry_code="3011",
        key_industry="cement_clinker",
        grade=grade,
        category=category,
        units=units if units is not None else (line("L1"), line("L2")),
        measures=measures,
        truck_trips=trucks,
        essential_basis=(
            EssentialBasis.WASTE_CO_PROCESSING if category is EnterpriseCategory.ESSENTIAL else None
        ),
    )


def stop(level: WarningLevel, *units: str) -> Measure:
    return Measure(level, MeasureKind.STOP, units)


def limit(level: WarningLevel, fraction: float, *units: str) -> Measure:
    return Measure(level, MeasureKind.LIMIT, units, fraction=fraction)


def truck_ban(level: WarningLevel, stage: EmissionStage = EmissionStage.CHINA_4) -> Measure:
    return Measure(level, MeasureKind.TRUCK_BAN, truck_stage=stage)


def compliant_c_plan() -> tuple[Measure, ...]:
    """Grade C clinker: stop 50 % by line at yellow, stop at orange and red (cement table)."""
    return (
        Measure(YELLOW, MeasureKind.STOP_LINES, ("L1",), fraction=0.5),
        Measure(YELLOW, MeasureKind.EXEMPT, ("L2",), reason="以生产线计，本线继续生产"),
        stop(ORANGE),
        stop(RED),
    )


def with_measures(enterprise: Enterprise, *measures: Measure) -> Enterprise:
    return replace(enterprise, measures=measures)
