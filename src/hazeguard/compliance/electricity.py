"""Electricity check (耗电量核算): did a meter's consumption drop as its measure requires?

Implements the recommended algorithm of ``emission-list.md`` §8.1 (labelled [M] there; the stop
calibration is [V]) for every meter at once, on arrays ``[meter, day, slot]``:

* baseline ``B`` per meter and time-of-day slot: median over the most recent normal-production
  days before the order (public holidays, earlier alert days and incomplete days left out), with
  the spread ``σ = 1.4826 · MAD``;
* base load ``b0``: the site plan's standby power if given, else ``standby_share · B``;
* expected level ``E* = b0 + r · (B − b0)`` with ``r`` = 0 for stop, ``1 − x`` for limit x,
  ``c / Q0`` for a load cap;
* per day, over the slots after the grace period: compliant if the observed energy is within
  ``E* + k·σ``, suspicious up to ``E* + 2k·σ``, violation beyond; insufficient data when the
  day's coverage or the baseline is too thin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hazeguard.compliance.arrays import nan_median, robust_spread
from hazeguard.compliance.measures import remaining_share, standby_energy
from hazeguard.compliance.meters import FloatArray, MeterGrid, local_time, readings_grid
from hazeguard.compliance.thresholds import ElectricityThresholds, load_thresholds
from hazeguard.workdays import WorkingCalendar, load_calendar

CLAUSE = "emission-list.md §8.1 recommended algorithm [M], stop calibration [V]; §11.3 item 7"
RULES = {
    "stop": "stop: consumption <= base load b0 + tolerance",
    "limit": "limit x: consumption <= b0 + (1 - x)(B - b0) + tolerance",
    "load_cap": "load cap c: consumption <= b0 + c/Q0 (B - b0) + tolerance",
}
STATUSES = ("compliant", "suspicious", "violation", "insufficient_data")


@dataclass(frozen=True)
class AlertWindow:
    """The period a warning's measures are in force.

    ``ordered_at`` and ``lifted_at`` are tz-aware or naive Asia/Shanghai times;
    ``excluded_days`` are days that are not normal production (earlier alerts, known outages) and
    so never enter a baseline.
    """

    level: str
    ordered_at: dt.datetime
    lifted_at: dt.datetime
    excluded_days: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        if self.lifted_at <= self.ordered_at:
            raise ValueError("an alert window is lifted after it is ordered")


@dataclass(frozen=True)
class Baseline:
    """Normal-production consumption per meter and slot. [kWh per slot]"""

    median: FloatArray  # [meter, slot]
    spread: FloatArray  # [meter, slot], 1.4826 MAD
    days_used: np.ndarray  # [meter] number of complete normal days


def electricity_baseline(
    grid: MeterGrid,
    order_day: dt.date,
    excluded_days: tuple[dt.date, ...],
    thresholds: ElectricityThresholds,
    calendar: WorkingCalendar,
) -> Baseline:
    """Median and spread of the normal days before ``order_day`` (§8.1 "Baseline B")."""
    span = int(thresholds.baseline_days.value)
    days = [order_day - dt.timedelta(days=back) for back in range(span, 0, -1)]
    # §8.1: normal production only: no public holidays, no earlier alert days or outages.
    normal = [
        day for day in days if calendar.holiday_name(day) is None and day not in set(excluded_days)
    ]
    index = [(day - grid.first_day).days for day in normal if day >= grid.first_day]
    energy = grid.energy[:, index, :]
    coverage = np.mean(~np.isnan(energy), axis=2)
    complete = coverage >= thresholds.min_coverage.value  # incomplete days are not normal days
    energy = np.where(complete[:, :, None], energy, np.nan)
    median = nan_median(energy, axis=1)
    return Baseline(median, robust_spread(energy, median, axis=1), complete.sum(axis=1))


def check_electricity(
    readings: pd.DataFrame,
    measures: pd.DataFrame,
    window: AlertWindow,
    thresholds: ElectricityThresholds | None = None,
    calendar: WorkingCalendar | None = None,
    interval: pd.Timedelta | None = None,
) -> pd.DataFrame:
    """Judge every meter with a measure, for every local day of the alert window.

    Parameters
    ----------
    readings
        ``meter``, ``time`` (interval start), ``energy_kwh`` [kWh]; hourly or 15-min; must cover
        the baseline days before the order and the window.
    measures
        One row per meter: ``enterprise``, ``meter``, ``kind`` (stop | limit | load_cap),
        ``fraction`` (limit: share cut [1]), ``load_share`` (load cap: c/Q0 [1]), optional
        ``standby_kw`` (power kept on when stopped, e.g. a kiln kept hot [kW]).
    window
        The level and the period the measures are in force.

    Returns
    -------
    One finding per meter and day: ``enterprise, meter, day, level, measure, status,
    observed_kwh, expected_kwh, compliant_bound_kwh, violation_bound_kwh, baseline_kwh,
    ratio_to_baseline, hours_over, coverage, baseline_days, rule, clause``.
    """
    limits = thresholds if thresholds is not None else load_thresholds().electricity
    share = remaining_share(measures)  # checks the table before the readings are read
    first_day, last_day = window_days(window, limits)
    meters = tuple(measures["meter"].astype(str))
    grid = readings_grid(readings, meters, first_day, last_day, interval)

    def base_load(median: FloatArray) -> FloatArray:
        slot_hours = grid.interval / pd.Timedelta(hours=1)
        return standby_energy(measures, median, limits.standby_share.value, slot_hours)

    findings = judge_grid(grid, measures, share, base_load, window, limits, calendar)
    units = {name: f"{name}_kwh" for name in QUANTITIES}
    return findings.rename(columns=units | {"id": "meter"})


QUANTITIES = ("observed", "expected", "compliant_bound", "violation_bound", "baseline")


def window_days(window: AlertWindow, limits: ElectricityThresholds) -> tuple[dt.date, dt.date]:
    """The first baseline day and the last window day (local) a check needs."""
    order_day = local_time(window.ordered_at).date()
    first_day = order_day - dt.timedelta(days=int(limits.baseline_days.value))
    return first_day, (local_time(window.lifted_at) - pd.Timedelta(microseconds=1)).date()


def judge_grid(
    grid: MeterGrid,
    measures: pd.DataFrame,
    share: FloatArray,
    base_load: Callable[[FloatArray], FloatArray],
    window: AlertWindow,
    limits: ElectricityThresholds,
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """The §8.1 decision on any grid of consumption-like values (energy, flue-gas flow, mass).

    ``share`` is r per row of the grid; ``base_load(B)`` gives b0 per row and slot from the
    baseline. Columns are generic (``id``, ``observed``, ``expected``, ...); callers name them.
    """
    start, end = local_time(window.ordered_at), local_time(window.lifted_at)
    order_day = start.date()
    days_calendar = calendar if calendar is not None else load_calendar()
    baseline = electricity_baseline(grid, order_day, window.excluded_days, limits, days_calendar)
    # Window days and the slots in force: after the grace period, before the lift (§8.1 "g").
    w0 = (order_day - grid.first_day).days
    observed = grid.energy[:, w0:, :]
    slot_start = (
        pd.Timestamp(order_day).to_datetime64()
        + np.arange(observed.shape[1])[:, None] * np.timedelta64(1, "D")
        + np.arange(grid.slots_per_day)[None, :] * grid.interval.to_timedelta64()
    )
    checked_from = start + pd.Timedelta(hours=limits.grace_hours.value)
    in_force = (slot_start >= checked_from.to_datetime64()) & (
        slot_start + grid.interval.to_timedelta64() <= end.to_datetime64()
    )
    b0 = base_load(baseline.median)
    # §8.1 "Expected level during W": E* = b0 + r (B − b0).
    expected = b0 + share[:, None] * np.maximum(baseline.median - b0, 0.0)
    tolerance = np.maximum(
        limits.spread_factor.value * baseline.spread,
        limits.min_tolerance_share.value * baseline.median,
    )
    return _judge(
        grid, measures, window, limits, baseline, observed, in_force, expected, tolerance, w0
    )


def _judge(
    grid: MeterGrid,
    measures: pd.DataFrame,
    window: AlertWindow,
    limits: ElectricityThresholds,
    baseline: Baseline,
    observed: FloatArray,
    in_force: np.ndarray,
    expected: FloatArray,
    tolerance: FloatArray,
    w0: int,
) -> pd.DataFrame:
    """Sum slots in force per meter and day, and decide (§8.1 "Decision per day")."""
    has = in_force[None, :, :] & ~np.isnan(observed)
    weight = has.astype(np.float64)

    def day_sum(per_slot: FloatArray) -> FloatArray:
        # Σ over the slots with a reading: [meter, day, slot] @ [meter, slot, 1].
        known = np.nan_to_num(per_slot, nan=0.0)[:, :, None]
        return np.asarray(np.matmul(weight, known)[:, :, 0], dtype=np.float64)

    observed_kwh = np.where(has, observed, 0.0).sum(axis=2)
    expected_kwh = day_sum(expected)
    compliant_bound = day_sum(expected + tolerance)
    violation_bound = day_sum(expected + 2 * tolerance)
    baseline_kwh = day_sum(baseline.median)
    over = has & (observed > (expected + 2 * tolerance)[:, None, :])
    hours_over = over.sum(axis=2) * (grid.interval / pd.Timedelta(hours=1))
    required = in_force.sum(axis=1)  # [day]
    coverage = has.sum(axis=2) / np.maximum(required, 1)[None, :]
    baseline_known = ~np.isnan(np.where(in_force[None], baseline.median[:, None, :], 0.0)).any(
        axis=2
    )
    enough = (
        (coverage >= limits.min_coverage.value)
        & baseline_known
        & (baseline.days_used >= limits.min_baseline_days.value)[:, None]
    )
    status = np.select(
        [~enough, observed_kwh <= compliant_bound, observed_kwh <= violation_bound],
        ["insufficient_data", "compliant", "suspicious"],
        "violation",
    )
    n_meters, n_days = observed_kwh.shape
    days = grid.days[w0:]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(baseline_kwh > 0, observed_kwh / baseline_kwh, np.nan)
    kinds = measures["kind"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "enterprise": np.repeat(measures["enterprise"].astype(str).to_numpy(), n_days),
            "id": np.repeat(np.array(grid.meters, dtype=object), n_days),
            "day": np.tile(days.date, n_meters),
            "level": window.level,
            "measure": np.repeat(kinds, n_days),
            "status": status.ravel(),
            "observed": observed_kwh.ravel(),
            "expected": expected_kwh.ravel(),
            "compliant_bound": compliant_bound.ravel(),
            "violation_bound": violation_bound.ravel(),
            "baseline": baseline_kwh.ravel(),
            "ratio_to_baseline": ratio.ravel(),
            "hours_over": hours_over.ravel(),
            "coverage": coverage.ravel(),
            "baseline_days": np.repeat(baseline.days_used, n_days),
            "rule": np.repeat(np.array([RULES[kind] for kind in kinds], dtype=object), n_days),
            "clause": CLAUSE,
        }
    )
    # A day with no slot in force (the order came late in the evening) is not judged.
    return frame[np.tile(required > 0, n_meters)].reset_index(drop=True)
