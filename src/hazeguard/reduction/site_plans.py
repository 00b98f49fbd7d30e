"""Site plans (一厂一策) written at the floor of the rule book, for generated lists.

Each enterprise gets, at every level, the measures its rule-table cell asks of its operating
units: stop, limit, stop a share of the lines (the largest first), rotation, truck bans, and
exemptions for the units no rule covers. Essential enterprises get load caps (以热定产).
"""

from __future__ import annotations

from hazeguard.reduction.model import (
    LEVELS,
    EnterpriseCategory,
    Grade,
    Measure,
    MeasureKind,
    ProductionUnit,
    WarningLevel,
)
from hazeguard.reduction.rules import RuleBook, RuleCell, RuleMeasure, RuleTable

__all__ = ["RuleKey", "SitePlans"]

RuleKey = tuple[str | None, str, EnterpriseCategory]
"""What picks an enterprise's rule table: key industry, GB/T 4754 code, category."""


class SitePlans:
    """Site plans written from the rule book, shared between enterprises that look alike.

    A plan depends on the industry, the grade, which units operate, rotation and trucks, and
    only for stop-lines measures and load caps on the capacities; plans without those are
    computed once per look and reused (measures are immutable). A stop-lines plan depends on
    the capacities only through the lines it stops, so it is shared by the enterprises of one
    look that stop the same lines.
    """

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.tables: dict[RuleKey, RuleTable | None] = {}
        self.cells: dict[tuple[RuleKey, Grade], tuple[RuleCell | None, ...]] = {}
        self.cache: dict[tuple[object, ...], tuple[Measure, ...] | None] = {}
        self.stop_rules: dict[tuple[RuleKey, Grade], tuple[RuleMeasure, ...]] = {}

    def measures(
        self,
        rule_key: RuleKey,
        grade: Grade,
        units: tuple[ProductionUnit, ...],
        look: int,
        rotate: bool,
        trucks: bool,
    ) -> tuple[Measure, ...]:
        """One enterprise's plan.

        ``rule_key`` is (key industry, GB/T 4754 code, category); ``look`` the operating units as
        a bit mask (bit n: unit n operates), which with the rest says when two plans are equal.
        """
        if rule_key[2] is EnterpriseCategory.ESSENTIAL:
            return tuple(_load_caps(units))
        key: tuple[object, ...] = (rule_key, grade, len(units), look, rotate, trucks)
        cached = self.cache.get(key, ())
        if cached:
            return cached
        cells = self._cells(rule_key, grade)
        if cached is None:
            # The plan depends on the capacities only through the lines each stop-lines rule
            # chooses: plans that choose the same lines are equal, and shared.
            key = (*key, _chosen_signature(units, self._stop_rules(rule_key, grade)))
            found = self.cache.get(key)
            if found is not None:
                return found
        measures: list[Measure] = []
        for level, cell in zip(LEVELS, cells, strict=True):
            measures.extend(_from_cell(units, trucks, level, cell, rotate))
        plan = tuple(measures)
        if cached == () and any(m.kind is MeasureKind.STOP_LINES for m in plan):
            self.cache[key] = None  # None marks a look whose plan depends on the capacities
            key = (*key, _chosen_signature(units, self._stop_rules(rule_key, grade)))
        self.cache[key] = plan
        return plan

    def _stop_rules(self, rule_key: RuleKey, grade: Grade) -> tuple[RuleMeasure, ...]:
        """The stop-lines rules of an industry and grade, every level in order (found once)."""
        found = self.stop_rules.get((rule_key, grade))
        if found is None:
            found = tuple(
                rule
                for cell in self._cells(rule_key, grade)
                if cell is not None and not cell.voluntary
                for rule in cell.measures
                if rule.kind is MeasureKind.STOP_LINES
            )
            self.stop_rules[(rule_key, grade)] = found
        return found

    def _cells(self, rule_key: RuleKey, grade: Grade) -> tuple[RuleCell | None, ...]:
        """The rule cells of an industry and grade at every level (looked up once)."""
        found = self.cells.get((rule_key, grade))
        if found is None:
            if rule_key not in self.tables:
                self.tables[rule_key] = self.book.table_for_industry(*rule_key)
            table = self.tables[rule_key]
            found = tuple(
                table.cell(grade, level) if table is not None else None for level in LEVELS
            )
            self.cells[(rule_key, grade)] = found
        return found


def _chosen_signature(
    units: tuple[ProductionUnit, ...], rules: tuple[RuleMeasure, ...]
) -> tuple[tuple[str, ...], ...]:
    """The lines each of these stop-lines rules would stop, in order."""
    operating = [u for u in units if u.operating]
    return tuple(
        _chosen_lines([u for u in operating if rule.covers(u.process)], rule.fraction or 0.0)
        for rule in rules
    )


def _load_caps(units: tuple[ProductionUnit, ...]) -> list[Measure]:
    """以热定产: an approved maximum load, tighter at higher levels (seed 003 §4.4.1.2)."""
    return [
        Measure(level, MeasureKind.LOAD_CAP, (unit.unit_id,), amount=round(unit.capacity * load, 1))
        for level, load in zip(LEVELS, (0.9, 0.8, 0.7), strict=True)
        for unit in units
        if unit.operating
    ]


def _from_cell(
    units_of_enterprise: tuple[ProductionUnit, ...],
    trucks: bool,
    level: WarningLevel,
    cell: RuleCell | None,
    rotate: bool,
) -> list[Measure]:
    operating = [u for u in units_of_enterprise if u.operating]
    all_ids = tuple(u.unit_id for u in operating)
    if cell is None:
        return [Measure(level, MeasureKind.EXEMPT, all_ids, reason="无适用行业规则表")]
    if cell.voluntary:
        return [Measure(level, MeasureKind.VOLUNTARY, reason="自主减排", rule_ref=cell.ref)]
    out: list[Measure] = []
    covered: set[str] = set()
    for rule in cell.measures:
        ref = rule.ref
        if rule.kind is MeasureKind.TRUCK_BAN:
            if trucks:
                out.append(Measure(level, rule.kind, truck_stage=rule.truck_stage, rule_ref=ref))
            continue
        units = [u for u in operating if rule.covers(u.process)]
        if not units:
            continue
        ids = tuple(u.unit_id for u in units)
        if rule.kind is MeasureKind.STOP:
            measure = Measure(level, rule.kind, ids, rule_ref=ref)
        elif rule.kind is MeasureKind.LIMIT and rotate and level is WarningLevel.YELLOW:
            measure = Measure(level, MeasureKind.ROTATE, ids, batch=1, batches=3, rule_ref=ref)
        elif rule.kind is MeasureKind.LIMIT or len(units) < 2:
            # A single line cannot stop a share: it lowers its load instead (太原, §5.1 rule 4).
            measure = Measure(level, MeasureKind.LIMIT, ids, fraction=rule.fraction, rule_ref=ref)
        else:
            measure = _stop_lines(level, units, rule.fraction or 0.0, ref)
        out.append(measure)
        covered.update(measure.unit_ids)
    rest = tuple(u for u in all_ids if u not in covered)
    if rest:
        reason = "本级别无强制性措施" if not covered else "以生产线计，本线继续生产"
        out.append(Measure(level, MeasureKind.EXEMPT, rest, reason=reason, rule_ref=cell.ref))
    return out


def _stop_lines(
    level: WarningLevel, units: list[ProductionUnit], fraction: float, ref: str
) -> Measure:
    """Stop the largest lines until their capacity reaches the share (以生产线计)."""
    chosen = _chosen_lines(units, fraction)
    return Measure(level, MeasureKind.STOP_LINES, chosen, fraction=fraction, rule_ref=ref)


def _chosen_lines(units: list[ProductionUnit], fraction: float) -> tuple[str, ...]:
    """The largest lines whose capacity first reaches ``fraction`` of the units' total."""
    total = sum(u.capacity for u in units)
    chosen: list[str] = []
    stopped = 0.0
    for unit in sorted(units, key=lambda u: -u.capacity):
        if stopped >= fraction * total:
            break
        chosen.append(unit.unit_id)
        stopped += unit.capacity
    return tuple(chosen)
