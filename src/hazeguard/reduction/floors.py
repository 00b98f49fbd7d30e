"""The grade floor: a site plan cuts at least what its industry's rule table asks of its grade.

A rule table is a floor (reference emission-list.md §11.2; seed 003 §4.4.1.1: B级及以下企业…减排
力度应不低于《技术指南》要求): stop and limit rows on emissions per pollutant, stop-by-line rows on
the capacity share of the lines, truck-ban rows on the newest banned stage.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from hazeguard.reduction.model import (
    LEVELS,
    POLLUTANTS,
    Enterprise,
    EnterpriseCategory,
    Finding,
    MeasureKind,
    Severity,
    WarningLevel,
)
from hazeguard.reduction.rules import RuleBook, RuleCell

__all__ = ["TOLERANCE", "check_grade_floor", "short_of"]

TOLERANCE = 1e-9  # relative: rounding of shares, not a policy margin
_E = Severity.ERROR
_EMISSION_RULES = {MeasureKind.STOP, MeasureKind.LIMIT}


def short_of(reductions: NDArray[np.float64], floor: NDArray[np.float64]) -> NDArray[np.bool_]:
    """True where a reduction falls below its floor, beyond rounding."""
    return reductions < floor * (1.0 - TOLERANCE) - 1e-12


def _floor(enterprise: Enterprise, cell: RuleCell) -> NDArray[np.float64]:
    """(pollutant,) reduction the cell's stop and limit rows require of operating units. [t/d]"""
    floor = np.zeros(len(POLLUTANTS))
    for unit in enterprise.units:
        if not unit.operating:
            continue
        share = 0.0
        for rule in cell.measures:
            if rule.kind in _EMISSION_RULES and rule.covers(unit.process):
                share = max(share, 1.0 if rule.kind is MeasureKind.STOP else rule.fraction or 0.0)
        floor += share * np.array(unit.baseline.as_tuple())
    return floor


def _line_floor(
    enterprise: Enterprise, cell: RuleCell, level: WarningLevel, unit_share: NDArray[np.float64]
) -> list[Finding]:
    """Rows "停产 x%，以生产线计": the capacity-weighted share cut in scope reaches x.

    Which lines stop is the enterprise's choice, so this floor is on capacity, not emissions
    (reference §5.1 rule 4, cement, V); a limited line counts with its share.
    """
    findings = []
    for rule in cell.measures:
        if rule.kind is not MeasureKind.STOP_LINES or rule.fraction is None:
            continue
        scope = [
            i for i, u in enumerate(enterprise.units) if u.operating and rule.covers(u.process)
        ]
        total = sum(enterprise.units[i].capacity for i in scope)
        cut = sum(enterprise.units[i].capacity * unit_share[i, level.rank] for i in scope)
        if total > 0 and cut < rule.fraction * total * (1.0 - TOLERANCE):
            message = (
                f"{level.value}: cuts {cut / total:.1%} of the capacity of its lines, "
                f"the floor for grade {enterprise.grade.value} is {rule.fraction:.0%} by line"
            )
            findings.append(
                Finding(
                    _E,
                    "grade_floor",
                    message,
                    rule.ref,
                    enterprise.credit_code,
                    level=level,
                    gap=rule.fraction - cut / total,
                )
            )
    return findings


def check_grade_floor(
    enterprise: Enterprise,
    book: RuleBook,
    reductions: NDArray[np.float64],
    unit_share: NDArray[np.float64],
) -> list[Finding]:
    """The plan cuts at least what its industry's table asks of its grade, at each level.

    ``reductions`` is the enterprise's (level, pollutant) industrial reduction [t/d] and
    ``unit_share`` its (unit, level) share cut [0-1], units in enterprise order. The table
    is a floor (reference emission-list.md §11.2; seed 003 §4.4.1.1: B级及以下企业…减排力度应不低于
    《技术指南》要求). Truck bans must reach the stage the table names when the enterprise has
    trucks of that stage or older.
    """
    if enterprise.category is EnterpriseCategory.ESSENTIAL:
        return []  # capped by heat demand or volume instead: see check_coverage and LOAD_CAP
    code = enterprise.credit_code
    table = book.table_for(enterprise)
    if table is None:
        return [
            Finding(Severity.WARNING, "grade_floor", "no rule table applies", "rule book", code)
        ]
    findings: list[Finding] = []
    for level in LEVELS:
        cell = table.cell(enterprise.grade, level)
        if cell is None:
            message = f"{table.path} has no row for grade {enterprise.grade.value}"
            findings.append(Finding(_E, "grade_floor", message, table.path, code, level=level))
            continue
        if cell.voluntary:
            continue
        floor = _floor(enterprise, cell)
        short = short_of(reductions[level.rank], floor)
        for p in np.flatnonzero(short):
            pollutant = POLLUTANTS[p]
            gap = float(floor[p] - reductions[level.rank, p])
            message = (
                f"{level.value}: cuts {reductions[level.rank, p]:.4g} t/d of {pollutant.value}, "
                f"the {table.industry} floor for grade {enterprise.grade.value} is "
                f"{floor[p]:.4g} t/d (short {gap:.4g} t/d)"
            )
            findings.append(
                Finding(
                    _E,
                    "grade_floor",
                    message,
                    cell.ref,
                    code,
                    level=level,
                    pollutant=pollutant,
                    gap=gap,
                )
            )
        findings.extend(_line_floor(enterprise, cell, level, unit_share))
        findings.extend(_truck_floor(enterprise, cell, level))
    return findings


def _truck_floor(enterprise: Enterprise, cell: RuleCell, level: WarningLevel) -> list[Finding]:
    banned = max(
        (
            m.truck_stage.rank
            for m in enterprise.measures_at(level)
            if m.kind is MeasureKind.TRUCK_BAN and m.truck_stage is not None
        ),
        default=0,
    )
    findings = []
    for rule in cell.measures:
        if rule.kind is not MeasureKind.TRUCK_BAN or rule.truck_stage is None:
            continue
        required = rule.truck_stage.rank
        exposed = [t for t in enterprise.truck_trips if banned < t.stage.rank <= required]
        if exposed:
            trips = sum(t.trips_per_day for t in exposed)
            message = (
                f"{level.value}: {trips:g} heavy-truck trips/d of stages up to "
                f"{rule.truck_stage.value} are not banned"
            )
            findings.append(
                Finding(_E, "truck_ban", message, rule.ref, enterprise.credit_code, level=level)
            )
    return findings
