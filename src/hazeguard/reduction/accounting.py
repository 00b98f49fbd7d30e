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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

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
    """The columnar form of an emission list.

    Enterprise arrays have one row per enterprise; unit arrays one row per production unit,
    units of one enterprise being contiguous and in list order.
    """

    credit_codes: tuple[str, ...]
    key: NDArray[np.bool_]  # category is key
    key_share_exempt: NDArray[np.bool_]  # A-grade (self-determined) or essential
    unit_enterprise: NDArray[np.int64]
    unit_baseline: FloatArray  # (unit, pollutant) [t/d]
    unit_operating: NDArray[np.bool_]
    unit_share: FloatArray  # (unit, level) share removed [0-1], 0 for units not operating
    truck_reduction: FloatArray  # (enterprise, level, pollutant) [t/d], mobile source class

    @classmethod
    def from_enterprises(
        cls, enterprises: Iterable[Enterprise], factors: TruckFactors | None = None
    ) -> UnitTable:
        """Build the table; the only Python loop of the accounting.

        The loop only copies attributes into flat lists (one entry per unit, per measure, per
        truck stage); expanding measures to units and evaluating them is done by numpy.
        """
        nan = float("nan")
        operating_status = UnitStatus.OPERATING
        key_category, essential = EnterpriseCategory.KEY, EnterpriseCategory.ESSENTIAL
        level_rank = {level: level.rank for level in LEVELS}
        stage_rank = {stage: stage.rank for stage in EmissionStage}
        autonomous = {grade for grade in Grade if grade.self_determined}
        codes: list[str] = []
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
                b = unit.baseline
                baseline += (b.so2, b.nox, b.pm, b.vocs)
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
        unit_operating = np.array(operating, dtype=np.bool_)
        unit_capacity = np.array(capacity, dtype=np.float64)
        shares = measure_share(
            cells[:, 1],
            values[:, 0],
            values[:, 1],
            values[:, 2],
            values[:, 3],
            unit_capacity[measure_unit],
        )
        unit_share = np.zeros(first * _N_LEVELS, dtype=np.float64)
        np.maximum.at(unit_share, measure_unit * _N_LEVELS + cells[:, 0], shares)
        unit_share = unit_share.reshape(first, _N_LEVELS) * unit_operating[:, None]
        flag_array = np.array(flags, dtype=np.bool_).reshape(-1, 2)
        return cls(
            credit_codes=tuple(codes),
            key=flag_array[:, 0],
            key_share_exempt=flag_array[:, 1],
            unit_enterprise=np.repeat(np.arange(n_enterprises), unit_counts),
            unit_baseline=np.array(baseline, dtype=np.float64).reshape(first, _N_POLLUTANTS),
            unit_operating=unit_operating,
            unit_share=unit_share,
            truck_reduction=_truck_reduction(
                n_enterprises, trip_cells, ban_cells, factors or TruckFactors()
            ),
        )

    @property
    def n_enterprises(self) -> int:
        """Number of enterprises."""
        return len(self.credit_codes)


def _truck_reduction(
    n_enterprises: int,
    trip_cells: list[tuple[int, int, float]],
    ban_cells: list[tuple[int, int, int]],
    factors: TruckFactors,
) -> FloatArray:
    """(enterprise, level, pollutant) emissions of the banned trips. [t/d]"""
    trips = np.zeros((n_enterprises, _N_STAGES))
    if trip_cells:
        t = np.array(trip_cells, dtype=np.float64)
        np.add.at(trips, (t[:, 0].astype(np.int64), t[:, 1].astype(np.int64) - 1), t[:, 2])
    bans = np.zeros((n_enterprises, _N_LEVELS), dtype=np.int64)  # newest banned stage, 0 = none
    if ban_cells:
        b = np.array(ban_cells, dtype=np.int64)
        np.maximum.at(bans, (b[:, 0], b[:, 1]), b[:, 2])
    per_stage = trips[:, :, None] * factors.matrix()[None, :, :]  # (enterprise, stage, pollutant)
    # cumulative[:, s] = emissions of stages China I..s; index 0 = no ban.
    cumulative = np.concatenate(
        [np.zeros((n_enterprises, 1, _N_POLLUTANTS)), np.cumsum(per_stage, axis=1)], axis=1
    )
    return np.take_along_axis(cumulative, bans[:, :, None], axis=1)


@dataclass(frozen=True, slots=True)
class Accounting:
    """Reductions of a list per enterprise and in total. [t/d]"""

    table: UnitTable
    enterprise_baseline: FloatArray  # (enterprise, pollutant), operating units only
    enterprise_reduction: FloatArray  # (enterprise, level, pollutant), industrial source class
    industrial: FloatArray  # (level, pollutant) total of the production measures
    mobile: FloatArray  # (level, pollutant) total of the truck bans

    @property
    def total(self) -> FloatArray:
        """(level, pollutant) reduction booked to the list: industrial plus mobile. [t/d]"""
        return self.industrial + self.mobile


def _sum_by(groups: NDArray[np.int64], weights: FloatArray, n: int) -> FloatArray:
    return np.asarray(np.bincount(groups, weights, minlength=n), dtype=np.float64)


def account(table: UnitTable) -> Accounting:
    """Sum the reductions of every unit per enterprise, level and pollutant."""
    n = table.n_enterprises
    baseline = table.unit_baseline * table.unit_operating[:, None]
    reduction = table.unit_share[:, :, None] * baseline[:, None, :]  # (unit, level, pollutant)
    flat = reduction.reshape(len(reduction), _N_LEVELS * _N_POLLUTANTS)
    enterprise_reduction = np.stack(
        [_sum_by(table.unit_enterprise, flat[:, j], n) for j in range(flat.shape[1])],
        axis=1,
    ).reshape(n, _N_LEVELS, _N_POLLUTANTS)
    enterprise_baseline = np.stack(
        [_sum_by(table.unit_enterprise, baseline[:, p], n) for p in range(4)], axis=1
    )
    return Accounting(
        table=table,
        enterprise_baseline=enterprise_baseline,
        enterprise_reduction=enterprise_reduction,
        industrial=enterprise_reduction.sum(axis=0),
        mobile=table.truck_reduction.sum(axis=0),
    )


def enterprise_reductions(
    enterprise: Enterprise, factors: TruckFactors | None = None
) -> tuple[FloatArray, FloatArray]:
    """(level, pollutant) industrial and mobile reductions of one enterprise. [t/d]

    The object-model path: the same formulas, one enterprise at a time.
    """
    accounting = account(UnitTable.from_enterprises([enterprise], factors))
    return accounting.enterprise_reduction[0], accounting.table.truck_reduction[0]
