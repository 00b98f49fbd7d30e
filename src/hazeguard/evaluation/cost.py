"""The economic cost of an episode's enterprise measures: production lost, estimated from the list.

The yearly evaluation states the economic cost beside the environmental effect (seed 000 §5.3:
环境效益和经济成本). The list's site plans (一厂一策) say which share of each unit's production
stops at each level; the unit's daily output value (日产值, the list workbook's ``output_value``
column, or capacity × price) times that share times the days at the level is the output lost.
It is an estimate with stated inputs: the site plan, not what each enterprise really did; output
value, not profit; no cost of vehicles, construction or households.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hazeguard.reduction.accounting import UnitTable
from hazeguard.reduction.model import Enterprise, WarningLevel


@dataclass(frozen=True)
class CostLine:
    """One unit's lost output at one level.

    Attributes
    ----------
    credit_code, unit_id
        The enterprise (统一社会信用代码) and its unit.
    level
        The list level (``yellow``, ``orange``, ``red``).
    days
        Time at that level. [d]
    output_value
        The unit's daily output value. [yuan/d]
    share
        Share of the unit's production its site plan stops at the level. [1]
    cost
        ``output_value × share × days``. [yuan]
    """

    credit_code: str
    unit_id: str
    level: str
    days: float
    output_value: float
    share: float
    cost: float


@dataclass(frozen=True)
class CostEstimate:
    """Production lost over an episode, with its inputs.

    Attributes
    ----------
    lines
        Units with a production cut and an output value, per level.
    total
        Sum of the lines. [yuan]
    days
        Time at each list level. [d]
    units_cut
        Units whose site plan cuts production at a level in force.
    units_without_value
        ``credit code/unit id`` of those among them with no output value (left out of ``total``).
    """

    lines: tuple[CostLine, ...]
    total: float
    days: Mapping[str, float]
    units_cut: int
    units_without_value: tuple[str, ...]


def production_cost(
    enterprises: Iterable[Enterprise],
    output_value: Mapping[tuple[str, str], float],
    days_at_level: Mapping[str, float],
) -> CostEstimate:
    """The output lost by the site plans' production cuts.

    Parameters
    ----------
    enterprises
        The listed enterprises (units and site measures).
    output_value
        (credit code, unit id) -> daily output value. [yuan/d]
    days_at_level
        Time each level was in force; levels outside the list (blue, advisory) cost nothing
        here. [d]
    """
    chosen = list(enterprises)
    shares = UnitTable.from_enterprises(chosen).unit_share  # (unit, level) [1], idle units 0
    levels = {
        WarningLevel(name): days
        for name, days in days_at_level.items()
        if name in {level.value for level in WarningLevel} and days > 0
    }
    lines: list[CostLine] = []
    without: list[str] = []
    cut = 0
    row = 0
    for enterprise in chosen:
        for unit in enterprise.units:
            value = output_value.get((enterprise.credit_code, unit.unit_id))
            unit_lines = [
                (level, days, float(shares[row, level.rank]))
                for level, days in levels.items()
                if shares[row, level.rank] > 0
            ]
            row += 1
            if not unit_lines:
                continue
            cut += 1
            if value is None:
                without.append(f"{enterprise.credit_code}/{unit.unit_id}")
                continue
            lines += [
                CostLine(
                    enterprise.credit_code, unit.unit_id, level.value, days, value, share,
                    value * share * days,
                )
                for level, days, share in unit_lines
            ]  # fmt: skip
    return CostEstimate(
        tuple(lines),
        sum(line.cost for line in lines),
        {level.value: days for level, days in levels.items()},
        cut,
        tuple(without),
    )
