"""Reduction accounting in columnar form: units × levels × pollutants as numpy arrays.

The object model is turned once into a :class:`UnitTable` (one row per production unit, one row
per measure-unit pair), every measure is evaluated by the vectorised formulas of
:mod:`hazeguard.reduction.formulas`, and the reductions are summed per enterprise with
``np.bincount``. Array axes are always (enterprise or unit, level, pollutant), with levels in the
order of :data:`~hazeguard.reduction.model.LEVELS` and pollutants in that of
:data:`~hazeguard.reduction.model.POLLUTANTS`. All emissions are daily. [t/d]

When several measures cover one unit at one level the largest share counts: a unit that is both
limited by 20 % and stopped is stopped, not cut by 120 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from hazeguard.gcpause import without_cycle_collection
from hazeguard.reduction.formulas import KIND_CODES, measure_share, truck_ban_reduction
from hazeguard.reduction.model import (
    LEVELS,
    POLLUTANTS,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    Grade,
    MeasureKind,
    UnitStatus,
)

__all__ = ["Accounting", "TruckFactors", "UnitTable", "account", "enterprise_reductions"]

FloatArray = NDArray[np.float64]
_N_LEVELS = len(LEVELS)
_N_POLLUTANTS = len(POLLUTANTS)
_N_STAGES = len(EmissionStage)
_NO_MEASURE = {MeasureKind.TRUCK_BAN, MeasureKind.EXEMPT}


def _default_factors() -> dict[EmissionStage, tuple[float, float, float, float]]:
    # Heavy diesel trucks, (SO2, NOx, PM, VOCs) [g/km]. Orders of magnitude of the national road
    # vehicle inventory guide (道路机动车大气污染物排放清单编制技术指南（试行）, 2014), written
    # from memory: confidence M, an editable default the command office replaces.
    stage = EmissionStage
    return {
        stage.CHINA_1: (0.02, 12.0, 1.00, 1.50),
        stage.CHINA_2: (0.02, 10.0, 0.50, 1.00),
        stage.CHINA_3: (0.01, 8.5, 0.35, 0.60),
        stage.CHINA_4: (0.01, 6.5, 0.08, 0.30),
        stage.CHINA_5: (0.01, 5.5, 0.05, 0.20),
        stage.CHINA_6: (0.01, 1.5, 0.01, 0.10),
    }


@dataclass(frozen=True, slots=True)
class TruckFactors:
    """Emission factors of heavy trucks by stage [g/km] and the trip length [km/trip]."""

    per_stage: Mapping[EmissionStage, tuple[float, float, float, float]] = field(
        default_factory=_default_factors
    )
    trip_length: float = 40.0  # [km/trip] within the jurisdiction, confidence M

    def matrix(self) -> FloatArray:
        """(stage, pollutant) emission per trip [t/trip], stages from China I."""
        factors = np.array([self.per_stage[s] for s in EmissionStage], dtype=np.float64)
        return truck_ban_reduction(1.0, self.trip_length, factors)


@dataclass(frozen=True, slots=True)
class UnitTable:
    """The columnar form of an emission list: raw columns, no computed reductions.

    Enterprise arrays have one row per enterprise; unit arrays one row per production unit,
    units of one enterprise being contiguous and in list order; measure arrays one row per
    (measure, unit it covers). Truck bans and exemptions have no measure rows.
    """

    credit_codes: tuple[str, ...]
    counties: tuple[str, ...]
    key: NDArray[np.bool_]  # category is key
    key_share_exempt: NDArray[np.bool_]  # A-grade (self-determined) or essential
    unit_enterprise: NDArray[np.int64]
    unit_baseline: FloatArray  # (unit, pollutant) [t/d]
    unit_operating: NDArray[np.bool_]
    unit_capacity: FloatArray  # [capacity unit/d]
    measure_unit: NDArray[np.int64]
    measure_level: NDArray[np.int64]  # level rank
    measure_kind: NDArray[np.int64]  # formulas.KIND_CODES
    measure_values: FloatArray  # (row, 4): fraction, amount, base_amount, batches; NaN if unset
    trips: FloatArray  # (enterprise, stage) heavy-truck trips [trips/d], China I..VI
    bans: NDArray[np.int64]  # (enterprise, level) newest banned stage rank, 0 = none
    factors: TruckFactors

    @classmethod
    def from_enterprises(
        cls, enterprises: Iterable[Enterprise], factors: TruckFactors | None = None
    ) -> UnitTable:
        """Build the table; the only Python loop of the accounting.

        The loop only copies attributes into flat lists (one entry per unit, per measure, per
        truck stage); expanding measures to units and evaluating them is done by numpy.
        """
        with without_cycle_collection():
            return cls._from_enterprises(enterprises, factors)

    @classmethod
    def _from_enterprises(
        cls, enterprises: Iterable[Enterprise], factors: TruckFactors | None
    ) -> UnitTable:
        nan = float("nan")
        operating_status = UnitStatus.OPERATING
        key_category, essential = EnterpriseCategory.KEY, EnterpriseCategory.ESSENTIAL
        level_rank = {level: level.rank for level in LEVELS}
        stage_rank = {stage: stage.rank for stage in EmissionStage}
        autonomous = {grade for grade in Grade if grade.self_determined}
        codes: list[str] = []
        counties: list[str] = []
        flags: list[bool] = []  # (key, exempt from the key-enterprise share) per enterprise
        unit_counts: list[int] = []
        baseline: list[float] = []
        operating: list[bool] = []
        capacity: list[float] = []
        m_rows: list[int] = []  # unit rows of every measure, measure after measure
        m_counts: list[int] = []  # how many unit rows each measure covers
        m_cells: list[int] = []  # (level rank, kind code) per measure
        m_values: list[float] = []  # (fraction, amount, base, batches), NaN where not given
        trip_cells: list[tuple[int, int, float]] = []  # (enterprise, stage rank, trips/d)
        ban_cells: list[tuple[int, int, int]] = []  # (enterprise, level rank, stage rank)
        first = 0
        for index, enterprise in enumerate(enterprises):
            codes.append(enterprise.credit_code)
            counties.append(enterprise.county)
            category = enterprise.category
            flags += (
                category is key_category,
                category is essential or enterprise.grade in autonomous,
            )
            units = enterprise.units
            n = len(units)
            unit_counts.append(n)
            rows: dict[str, int] | None = None
            for unit in units:
                e = unit.baseline
                baseline += (e.so2, e.nox, e.pm, e.vocs)
                operating.append(unit.status is operating_status)
                capacity.append(unit.capacity)
            for trip in enterprise.truck_trips:
                trip_cells.append((index, stage_rank[trip.stage], trip.trips_per_day))
            for m in enterprise.measures:
                kind = m.kind
                if kind in _NO_MEASURE:
                    if m.truck_stage is not None:
                        ban_cells.append((index, level_rank[m.level], stage_rank[m.truck_stage]))
                    continue
                if m.unit_ids:
                    if rows is None:
                        rows = {unit.unit_id: first + k for k, unit in enumerate(units)}
                    m_rows += [rows[u] for u in m.unit_ids]
                    m_counts.append(len(m.unit_ids))
                else:
                    m_rows += range(first, first + n)
                    m_counts.append(n)
                m_cells += (level_rank[m.level], KIND_CODES[kind])
                m_values += (
                    nan if m.fraction is None else m.fraction,
                    nan if m.amount is None else m.amount,
                    nan if m.base_amount is None else m.base_amount,
                    nan if m.batches is None else m.batches,
                )
            first += n
        n_enterprises = len(codes)
        counts = np.array(m_counts, dtype=np.int64)
        values = np.repeat(np.array(m_values, dtype=np.float64).reshape(-1, 4), counts, axis=0)
        cells = np.repeat(np.array(m_cells, dtype=np.int64).reshape(-1, 2), counts, axis=0)
        measure_unit = np.array(m_rows, dtype=np.int64)
        flag_array = np.array(flags, dtype=np.bool_).reshape(-1, 2)
        trips = np.zeros((n_enterprises, _N_STAGES))
        if trip_cells:
            trip_array = np.array(trip_cells, dtype=np.float64)
            where = (trip_array[:, 0].astype(np.int64), trip_array[:, 1].astype(np.int64) - 1)
            np.add.at(trips, where, trip_array[:, 2])
        bans = np.zeros((n_enterprises, _N_LEVELS), dtype=np.int64)
        if ban_cells:
            cell = np.array(ban_cells, dtype=np.int64)
            np.maximum.at(bans, (cell[:, 0], cell[:, 1]), cell[:, 2])
        return cls(
            credit_codes=tuple(codes),
            counties=tuple(counties),
            key=flag_array[:, 0],
            key_share_exempt=flag_array[:, 1],
            unit_enterprise=np.repeat(np.arange(n_enterprises), unit_counts),
            unit_baseline=np.array(baseline, dtype=np.float64).reshape(first, _N_POLLUTANTS),
            unit_operating=np.array(operating, dtype=np.bool_),
            unit_capacity=np.array(capacity, dtype=np.float64),
            measure_unit=measure_unit,
            measure_level=cells[:, 0],
            measure_kind=cells[:, 1],
            measure_values=values,
            trips=trips,
            bans=bans,
            factors=factors or TruckFactors(),
        )

    @property
    def unit_share(self) -> FloatArray:
        """(unit, level) share of each unit's baseline removed [0-1]; 0 for units not operating.

        Every measure row is evaluated by :func:`~hazeguard.reduction.formulas.measure_share`;
        the largest share per unit and level counts. Rows are evaluated in cache-sized blocks:
        whole-list temporaries (160 MB each at 1 M enterprises) were faulted in afresh on every
        call and made the accounting grow faster than the list.
        """
        n_units = len(self.unit_enterprise)
        unit_share = np.zeros(n_units * _N_LEVELS, dtype=np.float64)
        for rows in _blocks(len(self.measure_unit)):
            values = self.measure_values[rows]
            shares = measure_share(
                self.measure_kind[rows],
                values[:, 0],
                values[:, 1],
                values[:, 2],
                values[:, 3],
                self.unit_capacity[self.measure_unit[rows]],
            )
            cells = self.measure_unit[rows] * _N_LEVELS + self.measure_level[rows]
            np.maximum.at(unit_share, cells, shares)
        return unit_share.reshape(n_units, _N_LEVELS) * self.unit_operating[:, None]

    @property
    def truck_reduction(self) -> FloatArray:
        """(enterprise, level, pollutant) emissions of the banned trips [t/d], mobile class."""
        per_trip = self.factors.matrix()
        out = np.empty((len(self.trips), _N_LEVELS, _N_POLLUTANTS))
        for rows in _blocks(len(self.trips)):
            per_stage = self.trips[rows, :, None] * per_trip[None, :, :]
            # cumulative[:, s] = emissions of stages China I..s; index 0 = no ban.
            cumulative = np.concatenate(
                [np.zeros((len(per_stage), 1, _N_POLLUTANTS)), np.cumsum(per_stage, axis=1)],
                axis=1,
            )
            out[rows] = np.take_along_axis(cumulative, self.bans[rows, :, None], axis=1)
        return out

    @property
    def n_enterprises(self) -> int:
        """Number of enterprises."""
        return len(self.credit_codes)


@dataclass(frozen=True, slots=True)
class Accounting:
    """Reductions of a list per enterprise and in total. [t/d]"""

    table: UnitTable
    unit_share: FloatArray  # (unit, level) share removed [0-1]
    enterprise_baseline: FloatArray  # (enterprise, pollutant), operating units only
    enterprise_reduction: FloatArray  # (enterprise, level, pollutant), industrial source class
    truck_reduction: FloatArray  # (enterprise, level, pollutant), mobile source class
    industrial: FloatArray  # (level, pollutant) total of the production measures
    mobile: FloatArray  # (level, pollutant) total of the truck bans

    @property
    def total(self) -> FloatArray:
        """(level, pollutant) reduction booked to the list: industrial plus mobile. [t/d]"""
        return self.industrial + self.mobile

    def by_county(self) -> dict[str, FloatArray]:
        """County -> its (level, pollutant) reduction, industrial plus mobile. [t/d]

        For checking a county's share against its own inventory, account the county's
        enterprises alone and call :func:`~hazeguard.reduction.targets.check_targets`.
        """
        names, groups = np.unique(np.array(self.table.counties, dtype=str), return_inverse=True)
        cells = (self.enterprise_reduction + self.truck_reduction).reshape(
            len(groups), _N_LEVELS * _N_POLLUTANTS
        )
        sums = np.stack([_sum_by(groups, cells[:, j], len(names)) for j in range(cells.shape[1])])
        return {
            str(name): sums[:, i].reshape(_N_LEVELS, _N_POLLUTANTS) for i, name in enumerate(names)
        }


def _sum_by(groups: NDArray[np.int64], weights: FloatArray, n: int) -> FloatArray:
    return np.asarray(np.bincount(groups, weights, minlength=n), dtype=np.float64)


# Rows per block: a block's temporaries stay in cache and their memory is reused.
_BLOCK_UNITS = 1 << 16


def _blocks(size: int) -> Iterator[slice]:
    """Slices of at most ``_BLOCK_UNITS`` rows covering ``range(size)``."""
    for first in range(0, size, _BLOCK_UNITS):
        yield slice(first, min(first + _BLOCK_UNITS, size))


def _enterprise_sums(
    table: UnitTable, unit_share: FloatArray, baseline: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(enterprise, level, pollutant) reductions and (enterprise, pollutant) baselines. [t/d]

    Units of one enterprise are contiguous, so each sum is a segment sum (``np.add.reduceat``)
    over row-major blocks of units cut at enterprise starts: memory traffic stays linear in the
    list's length and no (unit, level, pollutant) array of the whole list is ever made (at 1 M
    enterprises it would be 400 MB, and its column-wise sums grew super-linearly).
    """
    n = table.n_enterprises
    owner = table.unit_enterprise
    reduction = np.zeros((n, _N_LEVELS * _N_POLLUTANTS))
    enterprise_baseline = np.zeros((n, _N_POLLUTANTS))
    if len(owner) == 0:
        return reduction.reshape(n, _N_LEVELS, _N_POLLUTANTS), enterprise_baseline
    starts = np.flatnonzero(np.concatenate([[True], owner[1:] != owner[:-1]]))
    block_starts = starts[np.searchsorted(starts, np.arange(0, len(owner), _BLOCK_UNITS))]
    edges = np.unique(np.concatenate([block_starts, [len(owner)]]))
    for begin, end in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        local = starts[(starts >= begin) & (starts < end)]
        cells = unit_share[begin:end, :, None] * baseline[begin:end, None, :]
        flat = cells.reshape(end - begin, _N_LEVELS * _N_POLLUTANTS)
        reduction[owner[local]] = np.add.reduceat(flat, local - begin, axis=0)
        enterprise_baseline[owner[local]] = np.add.reduceat(
            baseline[begin:end], local - begin, axis=0
        )
    return reduction.reshape(n, _N_LEVELS, _N_POLLUTANTS), enterprise_baseline


def account(table: UnitTable) -> Accounting:
    """Evaluate every measure and sum the reductions per enterprise, level and pollutant."""
    unit_share = table.unit_share
    baseline = table.unit_baseline * table.unit_operating[:, None]
    enterprise_reduction, enterprise_baseline = _enterprise_sums(table, unit_share, baseline)
    truck_reduction = table.truck_reduction
    return Accounting(
        table=table,
        unit_share=unit_share,
        truck_reduction=truck_reduction,
        enterprise_baseline=enterprise_baseline,
        enterprise_reduction=enterprise_reduction,
        industrial=enterprise_reduction.sum(axis=0),
        mobile=truck_reduction.sum(axis=0),
    )


def enterprise_reductions(
    enterprise: Enterprise, factors: TruckFactors | None = None
) -> tuple[FloatArray, FloatArray]:
    """(level, pollutant) industrial and mobile reductions of one enterprise. [t/d]

    The object-model path: the same formulas, one enterprise at a time.
    """
    accounting = account(UnitTable.from_enterprises([enterprise], factors))
    return accounting.enterprise_reduction[0], accounting.truck_reduction[0]
