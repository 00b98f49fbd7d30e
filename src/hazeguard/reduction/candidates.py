"""Candidate measure options per enterprise, for least-cost planning at one warning level.

Every enterprise starts from its own site plan (一厂一策) at that level: the *floor* option, which
the list checks hold to at least the rule-table floor (emission-list.md §11.2 "the guide rule is a
floor"; §9.2 "the optimiser only allocates extra cuts beyond the mandatory ones"). On top of it the
planner may offer extra cuts of the emissions that remain:

* for an enterprise with several operating lines, a limit of a further share ``s`` of the
  remaining activity (限产, emission-list.md §7.2), ``s = 1`` being a stop;
* for a single-line enterprise, a stop or a rotating shutdown in ``n ≤ 3`` batches, 1/n of its
  remainder on any day (§7.2; seed 003 §2 at most 3 batches, §4.4 单条生产线的可县域内轮流停产),
  balanced afterwards by :mod:`hazeguard.reduction.rotation`.

No extra option is offered to self-determined grades (A, A+, leading, advanced: seed 003 §4.4
"可自主采取减排措施") nor to essential enterprises, whose load is fixed by their approved cap
(seed 003 §4.4 以热定产/以量定产). Cost is lost output value: the unit's daily output value times
the share of its activity removed (emission-list.md §9.2) [yuan/d].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hazeguard.reduction.accounting import Accounting, UnitTable, account
from hazeguard.reduction.model import (
    POLLUTANTS,
    EmissionList,
    EnterpriseCategory,
    LevelTargets,
    Pollutant,
    WarningLevel,
)
from hazeguard.reduction.planner import MAX_ROTATION_BATCHES, PlanningProblem


@dataclass(frozen=True)
class OptionMenu:
    """Which extra options the planner may offer.

    ``limit_shares`` are further cuts of the remaining activity [0-1] (1.0 = stop);
    ``rotation_batches`` the allowed batch counts of a rotating shutdown (each ≤ 3).
    """

    limit_shares: tuple[float, ...] = (0.2, 0.5, 1.0)
    rotation_batches: tuple[int, ...] = (2, 3)

    def __post_init__(self) -> None:
        if any(not 0.0 < s <= 1.0 for s in self.limit_shares):
            raise ValueError("limit shares must be in (0, 1]")
        if any(not 2 <= n <= MAX_ROTATION_BATCHES for n in self.rotation_batches):
            raise ValueError(f"rotation batches must be 2..{MAX_ROTATION_BATCHES}")


@dataclass(frozen=True)
class Candidates:
    """The planning problem and what each option means.

    ``option_share`` is the extra share of the remaining activity cut (0 for the floor);
    ``remaining`` what each enterprise still emits under its site plan, (enterprise, pollutant)
    [t/d], i.e. what it removes on its days off in a rotation.
    """

    problem: PlanningProblem
    credit_codes: tuple[str, ...]
    counties: tuple[str, ...]
    option_share: NDArray[np.float64]
    remaining: NDArray[np.float64]
    accounting: Accounting


class MissingOutputValueError(ValueError):
    """Enterprises with operating units whose daily output value is unknown."""


def build_candidates(
    emission_list: EmissionList,
    level: WarningLevel,
    targets: LevelTargets,
    output_value: Mapping[tuple[str, str], float],
    *,
    menu: OptionMenu | None = None,
    other_reductions: Sequence[float] = (0.0, 0.0, 0.0, 0.0),
) -> Candidates:
    """Build the options of every enterprise at one level.

    Parameters
    ----------
    output_value
        (credit code, unit id) -> daily output value [yuan/d]; every operating unit needs one.
    other_reductions
        Reductions booked outside the list (dust, non-enterprise mobile), SO2/NOx/PM/VOCs [t/d].
    """
    menu = menu or OptionMenu()
    table = UnitTable.from_enterprises(emission_list.enterprises)
    accounting = account(table)
    values = _unit_values(emission_list, table, output_value)
    operating = table.unit_operating
    share = table.unit_share[:, level.rank]
    n = table.n_enterprises
    floor_cost = np.bincount(table.unit_enterprise, share * values, minlength=n)
    rest_value = np.bincount(table.unit_enterprise, (1 - share) * values * operating, minlength=n)
    floor = accounting.enterprise_reduction[:, level.rank, :]
    remaining = np.clip(accounting.enterprise_baseline - floor, 0.0, None)
    fixed = np.array(
        [
            e.grade.self_determined or e.category is EnterpriseCategory.ESSENTIAL
            for e in emission_list.enterprises
        ],
        dtype=np.bool_,
    )
    extras = [(s, 0) for s in menu.limit_shares] + [(1.0 / b, b) for b in menu.rotation_batches]
    enterprise = [np.arange(n)]
    extra_share = [np.zeros(n)]
    batches = [np.zeros(n, dtype=np.int64)]
    free = ~fixed & (remaining.sum(axis=1) > 0)
    lines = np.bincount(table.unit_enterprise, operating.astype(np.float64), minlength=n)
    for s, b in extras:
        # Seed 003 §4.4 (饲料): "限产不低于50%，以生产线计，单条生产线的可县域内轮流停产": a
        # single line cannot be limited by line, so it stops or rotates; several lines limit.
        offered = np.flatnonzero(
            free & ((lines > 1) | (b > 0) | (s == 1.0)) & ((lines == 1) | (b == 0))
        )
        enterprise.append(offered)
        extra_share.append(np.full(offered.size, s))
        batches.append(np.full(offered.size, b, dtype=np.int64))
    option_enterprise = np.concatenate(enterprise)
    option_share = np.concatenate(extra_share)
    reduction = floor[option_enterprise] + option_share[:, None] * remaining[option_enterprise]
    cost = floor_cost[option_enterprise] + option_share * rest_value[option_enterprise]
    order = np.argsort(option_enterprise, kind="stable")
    total = np.array(emission_list.inventory.total().as_tuple(), dtype=np.float64)
    already = accounting.mobile[level.rank] + np.asarray(other_reductions, dtype=np.float64)
    problem = PlanningProblem(
        pollutants=tuple(p.value for p in POLLUTANTS),
        option_enterprise=option_enterprise[order].astype(np.int64),
        option_reduction=reduction[order],
        option_cost=cost[order],
        option_batches=np.concatenate(batches)[order],
        total=total,
        already=already,
        target=np.array([targets.pollutants.get(p, 0.0) for p in POLLUTANTS]),
        pairs=_pairs(targets),
    )
    counties = tuple(e.county for e in emission_list.enterprises)
    return Candidates(
        problem, table.credit_codes, counties, option_share[order], remaining, accounting
    )


def _pairs(targets: LevelTargets) -> tuple[tuple[int, int, float], ...]:
    if targets.so2_nox_sum is None:
        return ()
    so2, nox = POLLUTANTS.index(Pollutant.SO2), POLLUTANTS.index(Pollutant.NOX)
    return ((so2, nox, targets.so2_nox_sum),)  # seed 003 §4.4: 二者减排比例之和不应低于20%


def _unit_values(
    emission_list: EmissionList, table: UnitTable, output_value: Mapping[tuple[str, str], float]
) -> NDArray[np.float64]:
    """Daily output value per unit row [yuan/d]; idle units cost nothing to keep idle."""
    values: list[float] = []
    missing: list[str] = []
    for enterprise in emission_list.enterprises:
        for unit in enterprise.units:
            value = output_value.get((enterprise.credit_code, unit.unit_id))
            if value is None and unit.operating:
                missing.append(f"{enterprise.credit_code}/{unit.unit_id}")
            values.append(0.0 if value is None else value)
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise MissingOutputValueError(
            f"{len(missing)} operating unit(s) have no output value (日产值) or price: {shown}"
        )
    return np.asarray(values, dtype=np.float64) * table.unit_operating
