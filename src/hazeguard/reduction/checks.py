"""Checks of each enterprise's site plan (一厂一策) against its rule table and the plans.

Each check returns :class:`~hazeguard.reduction.model.Finding` values that name the enterprise,
unit, level and the rule-table row or plan clause; an empty list means the plan passes. The
grade floor and monotonicity use the accounting's reductions, so a whole list is checked with one
vectorised accounting (:func:`check_list`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from hazeguard.reduction.accounting import TruckFactors, UnitTable, account
from hazeguard.reduction.floors import TOLERANCE, check_grade_floor, short_of
from hazeguard.reduction.formulas import annual_from_daily, is_small_micro
from hazeguard.reduction.model import (
    LEVELS,
    POLLUTANTS,
    EmissionList,
    Enterprise,
    EnterpriseCategory,
    Finding,
    Grade,
    MeasureKind,
    Severity,
)
from hazeguard.reduction.rules import RuleBook

__all__ = [
    "MAX_ROTATION_BATCHES",
    "annual_emissions_kg",
    "check_category",
    "check_coverage",
    "check_enterprise",
    "check_grade_floor",
    "check_list",
    "check_monotone",
    "check_rotation",
    "check_stop_lines",
    "check_unit_status",
    "qualifies_as_small_micro",
]

MAX_ROTATION_BATCHES = 3
"""Seed 003 §2.2 and seed 000 §6.5: 轮流停产原则上不应超过3批次."""

_ESSENTIAL_MIN_GRADES = {Grade.A_PLUS, Grade.A, Grade.B, Grade.LEADING}
_E = Severity.ERROR


def check_monotone(enterprise: Enterprise, reductions: NDArray[np.float64]) -> list[Finding]:
    """Reductions never fall as the level rises: red ≥ orange ≥ yellow, per pollutant.

    Reference emission-list.md §7.3 and §11.3 item 2 (a validation rule of the list).
    """
    findings = []
    for lower, higher in itertools.pairwise(LEVELS):
        short = short_of(reductions[higher.rank], reductions[lower.rank])
        for p in np.flatnonzero(short):
            gap = float(reductions[lower.rank, p] - reductions[higher.rank, p])
            message = (
                f"{higher.value} cuts {reductions[higher.rank, p]:.4g} t/d of "
                f"{POLLUTANTS[p].value}, less than {lower.value} ({reductions[lower.rank, p]:.4g})"
            )
            findings.append(
                Finding(
                    _E,
                    "monotone",
                    message,
                    "emission-list.md §7.3",
                    enterprise.credit_code,
                    level=higher,
                    pollutant=POLLUTANTS[p],
                    gap=gap,
                )
            )
    return findings


def check_stop_lines(enterprise: Enterprise) -> list[Finding]:
    """Lines named by "停产 x%，以生产线计" hold at least x of the capacity of their process.

    Reference §5.1 rule 4 (cement, V): stop whole lines totalling ≥ x of capacity. The base is
    the operating units sharing a process with the named lines.
    """
    findings = []
    for measure in enterprise.measures:
        if measure.kind is not MeasureKind.STOP_LINES or measure.fraction is None:
            continue
        named = [enterprise.unit(u) for u in measure.unit_ids]
        processes = {unit.process for unit in named}
        total = sum(u.capacity for u in enterprise.units if u.operating and u.process in processes)
        stopped = sum(u.capacity for u in named if u.operating)
        if not named or stopped < measure.fraction * total * (1.0 - TOLERANCE):
            share = stopped / total if total > 0 else 0.0
            message = (
                f"{measure.level.value}: stopped lines {list(measure.unit_ids)} hold "
                f"{share:.1%} of capacity, the measure needs {measure.fraction:.0%}"
            )
            findings.append(
                Finding(
                    _E,
                    "stop_lines",
                    message,
                    measure.rule_ref or "emission-list.md §5.1 rule 4",
                    enterprise.credit_code,
                    level=measure.level,
                )
            )
    return findings


def check_rotation(
    enterprise: Enterprise, max_batches: int = MAX_ROTATION_BATCHES
) -> list[Finding]:
    """A rotating shutdown has at most ``max_batches`` batches (seed 003 §2.2, seed 000 §6.5)."""
    return [
        Finding(
            _E,
            "rotation",
            f"{m.level.value}: rotation in {m.batches} batches, at most {max_batches} allowed",
            "seed 003 §2.2 轮流停产不应超过3批次",
            enterprise.credit_code,
            level=m.level,
        )
        for m in enterprise.measures
        if m.kind is MeasureKind.ROTATE and (m.batches or 0) > max_batches
    ]


def check_coverage(enterprise: Enterprise) -> list[Finding]:
    """Every operating unit has a measure or an explicit exemption at every level.

    Reference emission-list.md §11.3 item 6; seed 000 §6.5 (明确具体停产的生产线). A truck ban
    covers the enterprise's transport, not its units.
    """
    findings = []
    operating = [u.unit_id for u in enterprise.units if u.operating]
    for level in LEVELS:
        covered: set[str] = set()
        for measure in enterprise.measures_at(level):
            if measure.kind is not MeasureKind.TRUCK_BAN:
                covered.update(measure.unit_ids or operating)
        for unit_id in operating:
            if unit_id not in covered:
                findings.append(
                    Finding(
                        _E,
                        "coverage",
                        f"{level.value}: unit has no measure and no exemption",
                        "emission-list.md §11.3 item 6",
                        enterprise.credit_code,
                        unit_id,
                        level,
                    )
                )
    return findings


def check_unit_status(enterprise: Enterprise) -> list[Finding]:
    """A measure naming a unit stopped before the warning earns no credit.

    Lines already stopped stay stopped and are not emergency reductions (reference §2.2,
    德州 2022, V).
    """
    findings = []
    for measure in enterprise.measures:
        for unit_id in measure.unit_ids:
            unit = enterprise.unit(unit_id)
            if not unit.operating and measure.kind is not MeasureKind.EXEMPT:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "unit_status",
                        f"{measure.kind.value} on a unit that is "
                        f"{unit.status.value}: no reduction credited",
                        "emission-list.md §2.2",
                        enterprise.credit_code,
                        unit_id,
                        measure.level,
                    )
                )
    return findings


def annual_emissions_kg(enterprise: Enterprise) -> float:
    """SO2 + NOx + PM + VOCs of all units over a year of 330 days. [kg/a]

    PM stands in for PM2.5 (an upper bound) since the list records total particulates.
    """
    daily = sum(enterprise.baseline(operating_only=False).as_tuple())  # [t/d]
    return float(annual_from_daily(daily)) * 1000.0


def qualifies_as_small_micro(enterprise: Enterprise) -> bool:
    """True when the enterprise meets the small-micro definition (seed 001 §4.3.1.1 (2))."""
    return is_small_micro(
        annual_emissions_kg(enterprise), enterprise.coal_or_oil_fired, enterprise.toxic_pollutants
    )


def check_category(enterprise: Enterprise) -> list[Finding]:
    """Small-micro enterprises meet the definition; essential key-industry ones are B or better.

    Small-micro: seed 001 §4.3.1.1 (2) (non-coal, non-oil, no toxic pollutants, SO2 + NOx +
    PM2.5 + VOCs < 100 kg/a). An "other" enterprise that qualifies is pointed out (info): its
    measures could be lighter (seed 003 §4.7). Essential in a key industry: seed 003 §4.6
    (应达到B级及以上绩效分级或引领性指标水平).
    """
    code = enterprise.credit_code
    category = enterprise.category
    if category in (EnterpriseCategory.SMALL_MICRO, EnterpriseCategory.OTHER):
        qualifies = qualifies_as_small_micro(enterprise)
        annual = annual_emissions_kg(enterprise)
        if category is EnterpriseCategory.SMALL_MICRO and not qualifies:
            message = (
                f"listed as small-micro but emits {annual:.0f} kg/a (limit 100), or "
                "burns coal or oil, or emits toxic pollutants"
            )
            return [Finding(_E, "category", message, "seed 001 §4.3.1.1 (2)", code)]
        if category is EnterpriseCategory.OTHER and qualifies and not enterprise.is_key_industry:
            message = f"emits {annual:.0f} kg/a and could be listed as small-micro"
            return [Finding(Severity.INFO, "category", message, "seed 003 §4.7", code)]
    if (
        category is EnterpriseCategory.ESSENTIAL
        and enterprise.is_key_industry
        and enterprise.grade not in _ESSENTIAL_MIN_GRADES
    ):
        message = f"essential key-industry enterprise graded {enterprise.grade.value}, needs B+"
        return [Finding(_E, "category", message, "seed 003 §4.6", code)]
    return []


def check_enterprise(
    enterprise: Enterprise,
    book: RuleBook,
    reductions: NDArray[np.float64] | None = None,
    unit_share: NDArray[np.float64] | None = None,
    max_batches: int = MAX_ROTATION_BATCHES,
) -> list[Finding]:
    """All enterprise checks.

    ``reductions`` (level, pollutant) [t/d] and ``unit_share`` (unit, level) [0-1] come from the
    accounting; both are computed for this enterprise alone when absent.
    """
    if reductions is None or unit_share is None:
        accounting = account(UnitTable.from_enterprises([enterprise]))
        reductions = accounting.enterprise_reduction[0]
        unit_share = accounting.unit_share
    return [
        *check_category(enterprise),
        *check_grade_floor(enterprise, book, reductions, unit_share),
        *check_monotone(enterprise, reductions),
        *check_stop_lines(enterprise),
        *check_rotation(enterprise, max_batches),
        *check_coverage(enterprise),
        *check_unit_status(enterprise),
    ]


def check_list(
    emission_list: EmissionList | Iterable[Enterprise],
    book: RuleBook,
    factors: TruckFactors | None = None,
) -> list[Finding]:
    """Check every enterprise of a list, with one vectorised accounting for all of them."""
    enterprises = tuple(
        emission_list.enterprises if isinstance(emission_list, EmissionList) else emission_list
    )
    accounting = account(UnitTable.from_enterprises(enterprises, factors))
    unit_share = accounting.unit_share
    findings: list[Finding] = []
    first = 0
    for index, enterprise in enumerate(enterprises):
        last = first + len(enterprise.units)
        findings.extend(
            check_enterprise(
                enterprise, book, accounting.enterprise_reduction[index], unit_share[first:last]
            )
        )
        first = last
    return findings
