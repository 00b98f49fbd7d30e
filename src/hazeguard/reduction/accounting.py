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
    MeasureKind,
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
        """Build the table; the only Python loop of the accounting."""
        codes: list[str] = []
        key: list[bool] = []
        exempt: list[bool] = []
        unit_enterprise: list[int] = []
        baseline: list[tuple[float, float, float, float]] = []
        operating: list[bool] = []
        capacity: list[float] = []
        # measure-unit rows
        m_unit: list[int] = []
        m_level: list[int] = []
        m_kind: list[int] = []
        m_values: list[tuple[float | None, float | None, float | None, int | None]] = []
        trips: list[list[float]] = []
        bans: list[list[int]] = []  # newest banned stage rank per level, 0 = none
        rank = {level: level.rank for level in LEVELS}
        for index, enterprise in enumerate(enterprises):
            codes.append(enterprise.credit_code)
            key.append(enterprise.category is EnterpriseCategory.KEY)
            exempt.append(
                enterprise.grade.self_determined
                or enterprise.category is EnterpriseCategory.ESSENTIAL
            )
            first = len(unit_enterprise)
            rows = {}
            for offset, unit in enumerate(enterprise.units):
                rows[unit.unit_id] = first + offset
                unit_enterprise.append(index)
                baseline.append(unit.baseline.as_tuple())
                operating.append(unit.operating)
                capacity.append(unit.capacity)
            trip_row = [0.0] * _N_STAGES
            for trip in enterprise.truck_trips:
                trip_row[trip.stage.rank - 1] += trip.trips_per_day
            trips.append(trip_row)
            ban_row = [0, 0, 0]
            for measure in enterprise.measures:
                if measure.kind in _NO_MEASURE:
                    if measure.kind is MeasureKind.TRUCK_BAN and measure.truck_stage is not None:
                        level = rank[measure.level]
                        ban_row[level] = max(ban_row[level], measure.truck_stage.rank)
                    continue
                targets = [rows[u] for u in measure.unit_ids] if measure.unit_ids else rows.values()
                numbers = (measure.fraction, measure.amount, measure.base_amount, measure.batches)
                for row in targets:
                    m_unit.append(row)
                    m_level.append(rank[measure.level])
                    m_kind.append(KIND_CODES[measure.kind])
                    m_values.append(numbers)
            bans.append(ban_row)
        n_units = len(unit_enterprise)
        unit_operating = np.array(operating, dtype=np.bool_)
        unit_capacity = np.array(capacity, dtype=np.float64)
        values = np.array(m_values, dtype=np.float64).reshape(-1, 4)  # None -> NaN
        measure_unit = np.array(m_unit, dtype=np.int64)
        shares = measure_share(
            np.array(m_kind, dtype=np.int64),
            values[:, 0],
            values[:, 1],
            values[:, 2],
            values[:, 3],
            unit_capacity[measure_unit],
        )
        unit_share = np.zeros(n_units * _N_LEVELS, dtype=np.float64)
        np.maximum.at(
            unit_share, measure_unit * _N_LEVELS + np.array(m_level, dtype=np.int64), shares
        )
        unit_share = unit_share.reshape(n_units, _N_LEVELS) * unit_operating[:, None]
        return cls(
            credit_codes=tuple(codes),
            key=np.array(key, dtype=np.bool_),
            key_share_exempt=np.array(exempt, dtype=np.bool_),
            unit_enterprise=np.array(unit_enterprise, dtype=np.int64),
            unit_baseline=np.array(baseline, dtype=np.float64).reshape(n_units, _N_POLLUTANTS),
            unit_operating=unit_operating,
            unit_share=unit_share,
            truck_reduction=_truck_reduction(
                np.array(trips, dtype=np.float64).reshape(-1, _N_STAGES),
                np.array(bans, dtype=np.int64).reshape(-1, _N_LEVELS),
                factors or TruckFactors(),
            ),
        )

    @property
    def n_enterprises(self) -> int:
        """Number of enterprises."""
        return len(self.credit_codes)


def _truck_reduction(
    trips: FloatArray, bans: NDArray[np.int64], factors: TruckFactors
) -> FloatArray:
    """(enterprise, level, pollutant) emissions of the banned trips. [t/d]"""
    per_stage = trips[:, :, None] * factors.matrix()[None, :, :]  # (enterprise, stage, pollutant)
    # cumulative[:, s] = emissions of stages China I..s; index 0 = no ban.
    cumulative = np.concatenate(
        [np.zeros((trips.shape[0], 1, _N_POLLUTANTS)), np.cumsum(per_stage, axis=1)], axis=1
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
