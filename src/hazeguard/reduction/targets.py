"""The jurisdiction's reduction targets, checked against the accounting of its list.

Per level, the list's reductions (industrial measures plus truck bans, plus any reductions of the
mobile and dust lists entered separately) are divided by the society-wide inventory totals and
compared with the plan's shares (reference emission-list.md §2.3):

- each pollutant: ratio[p] ≥ target[p] (seed 003 §4.3: 10/20/30 %);
- SO2 + NOx: ratio[SO2] + ratio[NOx] ≥ sum target (seed 003 §4.4.2–§4.4.4: 20/40/60 %);
- each key enterprise: its own cut ≥ key target for every pollutant it emits (seed 000 §6.5:
  15/20/30 %), A-grade and essential enterprises excepted (seed 001 §4.3.1 (1)).

Gaps are what is missing. [t/d] for pollutants; share points for the SO2 + NOx sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from hazeguard.reduction.accounting import Accounting
from hazeguard.reduction.model import (
    LEVELS,
    POLLUTANTS,
    Emissions,
    Finding,
    Inventory,
    LevelTargets,
    Pollutant,
    ReductionTargets,
    Severity,
    WarningLevel,
)

__all__ = ["LevelOutcome", "PlanTarget", "TargetReport", "check_targets", "targets_from_plan"]

FloatArray = NDArray[np.float64]
_SO2, _NOX = POLLUTANTS.index(Pollutant.SO2), POLLUTANTS.index(Pollutant.NOX)


class PlanTarget(Protocol):
    """What a plan file states for one level (``hazeguard.plans`` ``ReductionTarget``)."""

    @property
    def clause(self) -> str: ...
    @property
    def pollutants(self) -> Mapping[str, float]: ...
    @property
    def so2_nox_sum(self) -> float | None: ...
    @property
    def key_enterprise(self) -> float | None: ...
    @property
    def key_enterprise_clause(self) -> str: ...


def targets_from_plan(plan_targets: Mapping[str, PlanTarget], plan: str = "") -> ReductionTargets:
    """Adapt a plan's ``reduction_targets`` (level name -> target) to :class:`ReductionTargets`.

    Levels other than yellow, orange and red (e.g. blue) carry no list targets and are skipped;
    pollutant names are those of :class:`~hazeguard.reduction.model.Pollutant`.
    """
    levels: dict[WarningLevel, LevelTargets] = {}
    clauses: list[str] = []
    for name, target in plan_targets.items():
        if name not in {level.value for level in LEVELS}:
            continue
        pollutants = {Pollutant(p): share for p, share in target.pollutants.items()}
        levels[WarningLevel(name)] = LevelTargets(
            pollutants, target.so2_nox_sum, target.key_enterprise
        )
        for clause in (target.clause, target.key_enterprise_clause):
            if clause and clause not in clauses:
                clauses.append(clause)
    return ReductionTargets(levels, " ".join(filter(None, [plan, ", ".join(clauses)])))


@dataclass(frozen=True, slots=True)
class LevelOutcome:
    """The list against the targets at one level; arrays are in pollutant order."""

    level: WarningLevel
    reduction: FloatArray  # [t/d] all booked reductions
    ratio: FloatArray  # reduction / society-wide total [0-1]; NaN where the total is 0
    target: FloatArray  # [0-1]; NaN where the plan sets none
    gap: FloatArray  # [t/d] missing to reach the target, 0 when met
    so2_nox_ratio: float  # [0-1]
    so2_nox_gap: float  # share points missing [0-1], 0 when met or no target
    key_enterprises_short: int  # key enterprises below the key-enterprise share


@dataclass(frozen=True, slots=True)
class TargetReport:
    """Outcome per level and the findings of every failed target."""

    levels: tuple[LevelOutcome, ...]
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        """True when no target is missed."""
        return not any(f.severity is Severity.ERROR for f in self.findings)


def check_targets(
    accounting: Accounting,
    inventory: Inventory,
    targets: ReductionTargets,
    other_lists: Mapping[WarningLevel, Emissions] | None = None,
) -> TargetReport:
    """Compare a list's reductions with the plan's targets at every level.

    Parameters
    ----------
    accounting
        The accounting of the jurisdiction's industrial list.
    inventory
        Society-wide inventory by source class [t/d]; its total is the denominator.
    targets
        The plan's targets per level.
    other_lists
        Reductions of the mobile and dust measure lists per level [t/d], added to the list's.
    """
    total = np.array(inventory.total().as_tuple())
    booked = accounting.total
    findings: list[Finding] = []
    outcomes = []
    for level in LEVELS:
        reduction = booked[level.rank].copy()
        if other_lists and level in other_lists:
            reduction += np.array(other_lists[level].as_tuple())
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total > 0, reduction / total, np.nan)
        level_targets = targets.levels.get(level)
        target = np.full(len(POLLUTANTS), np.nan)
        so2_nox_gap = 0.0
        short = 0
        where = f"{targets.source} ({level.value})".strip()
        if level_targets is not None:
            for p, pollutant in enumerate(POLLUTANTS):
                target[p] = level_targets.pollutants.get(pollutant, np.nan)
            if level_targets.so2_nox_sum is not None:
                so2_nox_gap = max(0.0, level_targets.so2_nox_sum - ratio[_SO2] - ratio[_NOX])
            # Seed 003 §4.4.2–§4.4.4: 可内部调整SO2和NOx的减排比例 — when the pair's sum is
            # met, a shortfall of one of the two is an adjustment, not a failure.
            pair_met = level_targets.so2_nox_sum is not None and so2_nox_gap == 0.0
            findings.extend(_pollutant_findings(level, reduction, total, target, where, pair_met))
            if level_targets.so2_nox_sum is not None and so2_nox_gap > 0:
                message = (
                    f"{level.value}: SO2 + NOx cut {ratio[_SO2] + ratio[_NOX]:.1%} of the "
                    f"totals, the plan asks {level_targets.so2_nox_sum:.0%} "
                    f"(short {so2_nox_gap:.1%})"
                )
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "so2_nox_sum",
                        message,
                        where,
                        level=level,
                        gap=so2_nox_gap,
                    )
                )
            if level_targets.key_enterprise is not None:
                key_findings = _key_findings(accounting, level, level_targets.key_enterprise, where)
                short = len(key_findings)
                findings.extend(key_findings)
        gap = np.where(np.isnan(target), 0.0, np.maximum(0.0, target * total - reduction))
        outcomes.append(
            LevelOutcome(
                level,
                reduction,
                ratio,
                target,
                gap,
                float(ratio[_SO2] + ratio[_NOX]),
                so2_nox_gap,
                short,
            )
        )
    return TargetReport(tuple(outcomes), tuple(findings))


def _pollutant_findings(
    level: WarningLevel,
    reduction: FloatArray,
    total: FloatArray,
    target: FloatArray,
    where: str,
    pair_met: bool,
) -> list[Finding]:
    findings = []
    for p, pollutant in enumerate(POLLUTANTS):
        if np.isnan(target[p]):
            continue
        needed = target[p] * total[p]
        if reduction[p] < needed * (1.0 - 1e-9):  # tolerance for rounding, not policy
            gap = float(needed - reduction[p])
            message = (
                f"{level.value}: {pollutant.value} cut {reduction[p]:.3f} t/d "
                f"({reduction[p] / total[p]:.1%} of {total[p]:.3f} t/d), the plan asks "
                f"{target[p]:.0%}: short {gap:.3f} t/d"
            )
            severity = Severity.ERROR
            if pair_met and p in (_SO2, _NOX):
                severity = Severity.WARNING
                message += " (SO2 + NOx sum met: adjusted within the pair)"
            findings.append(
                Finding(
                    severity,
                    "target",
                    message,
                    where,
                    level=level,
                    pollutant=pollutant,
                    gap=gap,
                )
            )
    return findings


def _key_findings(
    accounting: Accounting, level: WarningLevel, share: float, where: str
) -> list[Finding]:
    """Key enterprises whose own cut is below ``share`` for some pollutant they emit."""
    table = accounting.table
    baseline = accounting.enterprise_baseline
    cut = accounting.enterprise_reduction[:, level.rank, :]
    needed = share * baseline
    missing = np.where(baseline > 0, needed - cut, 0.0)  # (enterprise, pollutant) [t/d]
    candidates = table.key & ~table.key_share_exempt
    failing = np.flatnonzero(candidates & np.any(missing > 1e-12 + 1e-9 * needed, axis=1))
    findings = []
    for index in failing:
        p = int(np.argmax(missing[index] / np.where(needed[index] > 0, needed[index], 1.0)))
        ratio = cut[index, p] / baseline[index, p]
        message = (
            f"{level.value}: key enterprise cuts {ratio:.1%} of its {POLLUTANTS[p].value}, "
            f"the plan asks {share:.0%} of each key enterprise"
        )
        findings.append(
            Finding(
                Severity.ERROR,
                "key_enterprise",
                message,
                where,
                table.credit_codes[index],
                level=level,
                pollutant=POLLUTANTS[p],
                gap=float(missing[index, p]),
            )
        )
    return findings
