"""A seeded synthetic city: a realistic emission-reduction list for tests and benchmarks.

``generate_city(n, seed)`` draws enterprises of key and non-key industries in realistic
proportions, their grades, units and trucks, scales the units' baselines so that the list's
industrial emissions equal the inventory's industrial source class, and writes each site plan
from the rule book (the floor of its table), so a generated list passes the enterprise checks
unless ``noncompliant_share`` asks for broken plans. The same seed gives the same list.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from hazeguard.reduction.model import (
    LEVELS,
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
from hazeguard.reduction.rules import RuleBook, RuleCell, default_rule_book
from hazeguard.reduction.uscc import credit_code_check_character, organization_code_check_character

__all__ = ["DEFAULT_INVENTORY", "INDUSTRIES", "INDUSTRIES_FILE", "Industry", "generate_city"]


@dataclass(frozen=True, slots=True)
class Industry:
    """How enterprises of one industry look in the synthetic city."""

    name_zh: str
    industry_code: str  # GB/T 4754-2017
    key_industry: str | None
    category: EnterpriseCategory
    share: float  # share of the list's enterprises
    processes: tuple[str, ...]  # process tag of each unit, cycled
    units: tuple[int, int]  # min and max number of units
    capacity: float  # typical unit capacity [t/d]
    mix: tuple[float, float, float, float]  # relative SO2, NOx, PM, VOCs per unit
    size: float  # relative emission scale of one unit
    trucks: float  # mean heavy-truck trips per day


INDUSTRIES_FILE = Path(__file__).parent / "data" / "synthetic_industries.csv"


def _load_industries(path: Path) -> tuple[Industry, ...]:
    """Read the industry mix; shares are roughly a north-China prefecture list, where small-micro
    and other enterprises outnumber the key-industry ones that carry most emissions (M)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return tuple(
            Industry(
                name_zh=row["name_zh"],
                industry_code=row["industry_code"],
                key_industry=row["key_industry"] or None,
                category=EnterpriseCategory(row["category"]),
                share=float(row["share"]),
                processes=tuple(row["processes"].split()),
                units=(int(row["units_min"]), int(row["units_max"])),
                capacity=float(row["capacity_tpd"]),
                mix=(float(row["so2"]), float(row["nox"]), float(row["pm"]), float(row["vocs"])),
                size=float(row["size"]),
                trucks=float(row["trucks_per_day"]),
            )
            for row in csv.DictReader(stream)
        )


INDUSTRIES: tuple[Industry, ...] = _load_industries(INDUSTRIES_FILE)

DEFAULT_INVENTORY = Inventory(
    {
        # An illustrative prefecture-level inventory (same order as a city like Liaocheng),
        # confidence M: for tests and benchmarks, never for a real jurisdiction. [t/d]
        SourceClass.INDUSTRIAL: Emissions(so2=40.0, nox=110.0, pm=55.0, vocs=120.0),
        SourceClass.MOBILE: Emissions(so2=1.0, nox=70.0, pm=4.0, vocs=35.0),
        SourceClass.DUST: Emissions(pm=90.0),
        SourceClass.OTHER: Emissions(so2=15.0, nox=10.0, pm=25.0, vocs=45.0),
    }
)

_COUNTIES = (
    ("371502", "东昌府区"),
    ("371503", "茌平区"),
    ("371521", "阳谷县"),
    ("371522", "莘县"),
    ("371524", "东阿县"),
    ("371525", "冠县"),
    ("371526", "高唐县"),
    ("371581", "临清市"),
)
# Graded key industries: A and leading are rare, most firms are C or D (Anhui to 2023-10:
# 5,689 graded, 21 A, 105 B, 29 leading; reference emission-list.md §10 item 5, confidence V).
_GRADES = (Grade.A, Grade.LEADING, Grade.B, Grade.B_MINUS, Grade.C, Grade.D, Grade.UNGRADED)
_GRADE_WEIGHTS = (0.01, 0.01, 0.06, 0.02, 0.50, 0.35, 0.05)
_STAGES = (
    EmissionStage.CHINA_3,
    EmissionStage.CHINA_4,
    EmissionStage.CHINA_5,
    EmissionStage.CHINA_6,
)
_STAGE_WEIGHTS = (0.05, 0.30, 0.40, 0.25)
_SMALL_MICRO_DAILY = 0.25 / 330.0 / 1000.0  # a quarter of the 100 kg/a limit per unit [t/d]


def _credit_code(division: str, rng: np.random.Generator, used: set[str]) -> str:
    while True:
        organization = "".join(str(d) for d in rng.integers(0, 10, 8))
        organization += organization_code_check_character(organization)
        body = f"91{division}{organization}"
        code = body + credit_code_check_character(body)
        if code not in used:
            used.add(code)
            return code


def generate_city(
    n_enterprises: int,
    seed: int,
    inventory: Inventory = DEFAULT_INVENTORY,
    *,
    jurisdiction: str = "合成市",
    rule_book: RuleBook | None = None,
    noncompliant_share: float = 0.0,
) -> EmissionList:
    """Generate a synthetic emission-reduction list.

    Parameters
    ----------
    n_enterprises
        Number of enterprises on the list (about four units each on average).
    seed
        Seed of the random generator; the same seed gives the same list.
    inventory
        The jurisdiction's inventory [t/d]; the units' baselines sum to its industrial class.
    rule_book
        Tables the site plans are written from; default the shipped national tables and defaults.
    noncompliant_share
        Share of enterprises (grade A aside) whose orange and red plans are dropped, to exercise
        the checks.
    """
    if n_enterprises < 1:
        raise ValueError(f"n_enterprises must be >= 1, got {n_enterprises}")
    rng = np.random.default_rng(seed)
    book = rule_book or default_rule_book()
    weights = np.array([industry.share for industry in INDUSTRIES])
    picks = rng.choice(len(INDUSTRIES), size=n_enterprises, p=weights / weights.sum())
    drafts = [_draft(INDUSTRIES[i], k, rng) for k, i in enumerate(picks)]
    _scale_to_inventory(drafts, inventory.source(SourceClass.INDUSTRIAL))
    used: set[str] = set()
    enterprises = []
    for draft in drafts:
        division, county = _COUNTIES[int(rng.integers(len(_COUNTIES)))]
        broken = draft.grade is not Grade.A and rng.random() < noncompliant_share
        enterprises.append(
            draft.build(_credit_code(division, rng, used), county, book, broken, rng)
        )
    return EmissionList(jurisdiction, tuple(enterprises), inventory)


@dataclass(slots=True)
class _Draft:
    """An enterprise before its baselines are scaled and its plan written."""

    index: int
    industry: Industry
    grade: Grade
    processes: list[str]
    capacities: list[float]
    statuses: list[UnitStatus]
    emissions: np.ndarray  # (unit, pollutant), relative until scaled
    trips: list[TruckTrips]

    def build(
        self, code: str, county: str, book: RuleBook, broken: bool, rng: np.random.Generator
    ) -> Enterprise:
        industry = self.industry
        units = tuple(
            ProductionUnit(
                f"U{n + 1:02d}", f"{process}-{n + 1}", process, capacity, Emissions(*row), status
            )
            for n, (process, capacity, status, row) in enumerate(
                zip(
                    self.processes,
                    self.capacities,
                    self.statuses,
                    self.emissions.tolist(),
                    strict=True,
                )
            )
        )
        essential = industry.category is EnterpriseCategory.ESSENTIAL
        enterprise = Enterprise(
            credit_code=code,
            name=f"{county}{industry.name_zh}第{self.index + 1:06d}号有限公司",
            county=county,
            industry_code=industry.industry_code,
            key_industry=industry.key_industry,
            grade=self.grade,
            category=industry.category,
            units=units,
            essential_basis=EssentialBasis.HEATING if essential else None,
            truck_trips=tuple(self.trips),
            power_meters=(f"{code[-8:]}-M1",),
        )
        measures = _site_plan(enterprise, book, rng)
        if broken:
            measures = [m for m in measures if m.level is WarningLevel.YELLOW]
        return replace(enterprise, measures=tuple(measures))


def _draft(industry: Industry, index: int, rng: np.random.Generator) -> _Draft:
    n_units = int(rng.integers(industry.units[0], industry.units[1] + 1))
    processes = [industry.processes[n % len(industry.processes)] for n in range(n_units)]
    capacities = (industry.capacity * rng.lognormal(0.0, 0.4, n_units)).round(1).tolist()
    status_draw = rng.random(n_units)
    statuses = [
        UnitStatus.OPERATING
        if d < 0.92
        else UnitStatus.LONG_IDLE
        if d < 0.97
        else UnitStatus.OFF_PEAK_STOPPED
        for d in status_draw
    ]
    sizes = industry.size * rng.lognormal(0.0, 0.8, n_units)
    emissions = (
        sizes[:, None] * np.array(industry.mix)[None, :] * rng.lognormal(0, 0.3, (n_units, 4))
    )
    if industry.category is EnterpriseCategory.SMALL_MICRO:
        emissions = np.array(industry.mix)[None, :] / sum(industry.mix) * _SMALL_MICRO_DAILY
        emissions = np.repeat(emissions, n_units, axis=0)
    grade = Grade.UNGRADED
    if industry.key_industry is not None:
        grade = _GRADES[int(rng.choice(len(_GRADES), p=_GRADE_WEIGHTS))]
    trips: list[TruckTrips] = []
    if industry.trucks > 0:
        total = float(rng.poisson(industry.trucks))
        for stage, share in zip(_STAGES, _STAGE_WEIGHTS, strict=True):
            if total * share >= 0.5:
                trips.append(TruckTrips(stage, round(total * share, 1)))
    return _Draft(index, industry, grade, processes, capacities, statuses, emissions, trips)


def _scale_to_inventory(drafts: list[_Draft], industrial: Emissions) -> None:
    """Scale the baselines so the list's operating units sum to the industrial class.

    Small-micro units keep their tiny fixed emissions; units stopped before the warning keep
    their (scaled) baseline but are outside the inventory, which counts what is emitted.
    """
    fixed = np.zeros(4)
    scalable = np.zeros(4)
    for draft in drafts:
        operating = np.array([s is UnitStatus.OPERATING for s in draft.statuses])
        running = draft.emissions[operating].sum(axis=0)
        if draft.industry.category is EnterpriseCategory.SMALL_MICRO:
            fixed += running
        else:
            scalable += running
    target = np.array(industrial.as_tuple()) - fixed
    if np.any(target < 0):
        raise ValueError("the inventory's industrial class is smaller than the small-micro total")
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(scalable > 0, target / scalable, 0.0)
    for draft in drafts:
        if draft.industry.category is not EnterpriseCategory.SMALL_MICRO:
            draft.emissions = draft.emissions * factor[None, :]


def _site_plan(enterprise: Enterprise, book: RuleBook, rng: np.random.Generator) -> list[Measure]:
    """Measures meeting the enterprise's rule-table floor at every level."""
    measures: list[Measure] = []
    if enterprise.category is EnterpriseCategory.ESSENTIAL:
        # 以热定产: an approved maximum load, tighter at higher levels (seed 003 §4.4.1.2).
        for level, load in zip(LEVELS, (0.9, 0.8, 0.7), strict=True):
            for unit in (u for u in enterprise.units if u.operating):
                cap = round(unit.capacity * load, 1)
                measures.append(Measure(level, MeasureKind.LOAD_CAP, (unit.unit_id,), amount=cap))
        return measures
    table = book.table_for(enterprise)
    rotate = enterprise.category is EnterpriseCategory.OTHER and rng.random() < 0.1
    for level in LEVELS:
        cell = table.cell(enterprise.grade, level) if table is not None else None
        measures.extend(_from_cell(enterprise, level, cell, rotate))
    return measures


def _from_cell(
    enterprise: Enterprise, level: WarningLevel, cell: RuleCell | None, rotate: bool
) -> list[Measure]:
    all_ids = tuple(u.unit_id for u in enterprise.units if u.operating)
    if cell is None:
        return [Measure(level, MeasureKind.EXEMPT, all_ids, reason="无适用行业规则表")]
    if cell.voluntary:
        return [Measure(level, MeasureKind.VOLUNTARY, reason="自主减排", rule_ref=cell.ref)]
    out: list[Measure] = []
    covered: set[str] = set()
    for rule in cell.measures:
        ref = rule.ref
        if rule.kind is MeasureKind.TRUCK_BAN:
            if enterprise.truck_trips:
                out.append(Measure(level, rule.kind, truck_stage=rule.truck_stage, rule_ref=ref))
            continue
        units = [u for u in enterprise.units if u.operating and rule.covers(u.process)]
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
    total = sum(u.capacity for u in units)
    chosen: list[str] = []
    stopped = 0.0
    for unit in sorted(units, key=lambda u: -u.capacity):
        if stopped >= fraction * total:
            break
        chosen.append(unit.unit_id)
        stopped += unit.capacity
    return Measure(level, MeasureKind.STOP_LINES, tuple(chosen), fraction=fraction, rule_ref=ref)
