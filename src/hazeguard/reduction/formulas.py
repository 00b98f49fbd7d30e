"""Reduction formulas, one per measure kind (reference emission-list.md §7.2).

Every formula accepts scalars or arrays (numpy broadcasting) and returns a float64 array, so the
same code serves one enterprise and a city of 100,000. NaN inputs propagate. A reduction is the
share of a unit's baseline daily emissions that the measure removes: ΔE[p] = share · e[p]
(emissions assumed proportional to activity, reference §7.2 "Limit process k by x%", confidence M).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hazeguard.reduction.model import MeasureKind

__all__ = [
    "KIND_CODES",
    "OPERATING_DAYS_PER_YEAR",
    "SMALL_MICRO_LIMIT",
    "annual_from_daily",
    "cap_share",
    "capacity_base",
    "coking_share",
    "is_small_micro",
    "measure_share",
    "rotation_share",
    "stopped_capacity_share",
    "truck_ban_reduction",
]

FloatArray = NDArray[np.float64]

KIND_CODES: dict[MeasureKind, int] = {kind: code for code, kind in enumerate(MeasureKind)}
"""Integer code of each measure kind, used in the columnar (array) form."""

OPERATING_DAYS_PER_YEAR = 330.0
"""Days per year used to convert annual list emissions to daily ones and back. [d/a]

Hebei converts list emissions with 330 days (reference emission-list.md §7.1, confidence V).
"""

SMALL_MICRO_LIMIT = 100.0
"""Annual SO2 + NOx + PM2.5 + VOCs below which a clean emitter is small-micro. [kg/a]

Seed 001 §4.3.1.1 (1)–(2) and seed 003 §4.7: 年排放总量在100千克以下.
"""


def _floats(value: ArrayLike) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def capacity_base(
    capacity_eia: ArrayLike, capacity_permit: ArrayLike, output_last_year: ArrayLike
) -> FloatArray:
    """The capacity base for percentage limits. [same unit as the inputs, per day]

    The smallest of the daily averages of the EIA-approved capacity, the permitted capacity and
    last year's actual output (2020 guide, cement; reference emission-list.md §5.1 rule 3, V).
    """
    return np.minimum(np.minimum(_floats(capacity_eia), _floats(capacity_permit)), output_last_year)


def cap_share(base: ArrayLike, cap: ArrayLike) -> FloatArray:
    """Share cut by capping activity at ``cap`` from ``base``: max(0, 1 − cap/base). [0-1]

    Used for an absolute feed target "投料量由 A 吨降低到 B 吨" (1 − B/A, reference §7.2,
    Xingtai flat glass) and for the approved maximum load of essential enterprises
    (以热定产/以量定产: max(0, 1 − cap/Q), reference §5.10 and §7.2). A zero base gives 0.
    """
    base_ = _floats(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 1.0 - _floats(cap) / base_
    return np.where(base_ > 0.0, np.clip(share, 0.0, 1.0), np.where(np.isnan(base_), np.nan, 0.0))


def coking_share(hours_normal: ArrayLike, hours_extended: ArrayLike) -> FloatArray:
    """Share cut by extending the coking time from t0 to t1: max(0, 1 − t0/t1). [0-1]

    Reference emission-list.md §5.5 and §7.2 (confidence M): 24 h → 36 h cuts one third.
    """
    t1 = _floats(hours_extended)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 1.0 - _floats(hours_normal) / t1
    return np.clip(share, 0.0, 1.0)


def rotation_share(batches: ArrayLike) -> FloatArray:
    """Daily-average share cut by a rotating shutdown in n batches, one batch stopped at a time.

    Each unit stops one day in n, so ΔE = e/n averaged per day (reference §7.2, confidence M).
    Seed 003 §2.2 and seed 000 §6.5 allow at most 3 batches; that limit is a check, not a formula.
    """
    with np.errstate(divide="ignore"):
        return 1.0 / _floats(batches)


def stopped_capacity_share(stopped_capacity: ArrayLike, total_capacity: ArrayLike) -> FloatArray:
    """Share of capacity in the stopped lines: Σ cap(stopped) / Σ cap. [0-1]

    "停产 X%，以生产线计" is met when this share reaches X (reference §5.1 rule 4, cement, V).
    """
    total = _floats(total_capacity)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0.0, _floats(stopped_capacity) / total, 0.0)


def truck_ban_reduction(
    trips_per_day: ArrayLike, trip_length: ArrayLike, emission_factor: ArrayLike
) -> FloatArray:
    """Daily emissions removed by banning heavy trucks of some stages. [t/d]

    ΔE[p] = trips · km · EF[p] (reference §7.2, confidence M), with ``trips_per_day`` [trips/d],
    ``trip_length`` [km/trip] and ``emission_factor`` [g/km]; 1 t = 10⁶ g. Booked to the mobile
    source class unless the city books it to the enterprise.
    """
    return _floats(trips_per_day) * _floats(trip_length) * _floats(emission_factor) / 1.0e6


def measure_share(
    kind_code: ArrayLike,
    fraction: ArrayLike,
    amount: ArrayLike,
    base_amount: ArrayLike,
    batches: ArrayLike,
    capacity: ArrayLike,
) -> FloatArray:
    """Share of a unit's baseline that one production measure removes, for any kind. [0-1]

    Parameters
    ----------
    kind_code
        :data:`KIND_CODES` of the measure kind.
    fraction
        LIMIT / STOP_LINES / VOLUNTARY share [0-1]; NaN when not given.
    amount, base_amount
        FEED_CAP / LOAD_CAP cap and stated base [capacity unit/d]; EXTEND_COKING t1 and t0 [h].
    batches
        ROTATE number of batches.
    capacity
        The unit's capacity base [capacity unit/d], the base of FEED_CAP without ``base_amount``
        and of LOAD_CAP.

    Returns
    -------
    Share per row: STOP and STOP_LINES (a listed line stops) 1; LIMIT x; FEED_CAP 1 − B/A;
    EXTEND_COKING 1 − t0/t1; ROTATE 1/n; LOAD_CAP max(0, 1 − cap/Q); VOLUNTARY its fraction or 0;
    TRUCK_BAN and EXEMPT 0 (trucks are counted separately, exemptions cut nothing).
    """
    code = np.asarray(kind_code)
    fraction_ = _floats(fraction)
    amount_ = _floats(amount)
    base_ = _floats(base_amount)
    feed_base = np.where(np.isnan(base_), _floats(capacity), base_)
    shares: list[tuple[MeasureKind, FloatArray]] = [
        (MeasureKind.STOP, _floats(1.0)),
        (MeasureKind.STOP_LINES, _floats(1.0)),  # the listed lines stop whole: 以生产线计
        (MeasureKind.LIMIT, fraction_),
        (MeasureKind.FEED_CAP, cap_share(feed_base, amount_)),
        (MeasureKind.EXTEND_COKING, coking_share(base_, amount_)),
        (MeasureKind.ROTATE, rotation_share(batches)),
        (MeasureKind.LOAD_CAP, cap_share(capacity, amount_)),
        (MeasureKind.VOLUNTARY, np.nan_to_num(fraction_, nan=0.0)),
    ]
    selected = np.select(
        [code == KIND_CODES[kind] for kind, _ in shares],
        [np.broadcast_to(share, code.shape) for _, share in shares],
        default=0.0,
    )
    return np.asarray(selected, dtype=np.float64)


def annual_from_daily(daily: ArrayLike, days: float = OPERATING_DAYS_PER_YEAR) -> FloatArray:
    """Annual emissions from daily ones: daily · days. [same mass unit per year]"""
    return _floats(daily) * days


def is_small_micro(annual_total_kg: float, coal_or_oil_fired: bool, toxic_pollutants: bool) -> bool:
    """True when an emitter qualifies as small-micro (小微涉气企业).

    Seed 001 §4.3.1.1 (2): 非燃煤、非燃油、大气污染物中无有毒有害物质、SO2、NOx、PM2.5 和 VOCs
    合计年排放总量在100千克以下. ``annual_total_kg`` is that sum [kg/a].
    """
    return not coal_or_oil_fired and not toxic_pollutants and annual_total_kg < SMALL_MICRO_LIMIT
