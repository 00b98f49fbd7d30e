"""The inputs of the core's electricity check for one episode, read from the database.

For every warning of the episode at yellow, orange or red: the enterprises that got tasks from it,
the share of production their site plan (一厂一策) removes at that level — from the core's
reduction accounting, weighted by the units' baseline emissions — and their stored readings from
the first baseline day to the lift. A meter stands for its whole enterprise (the list's 电表编号
are enterprise meters, not unit meters), so its measure is ``stop`` when the site plan stops
every operating unit and ``limit`` by the accounted share otherwise (emission-list.md §8.1
"Expected level during W": r = 1 − x). Enterprises whose measures at the level remove nothing
from production (truck bans only, exemptions) are not judged by electricity.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

from hazeguard.compliance import AlertWindow, check_electricity, load_thresholds
from hazeguard.reduction.accounting import UnitTable, account
from hazeguard.reduction.model import LEVELS, WarningLevel
from hazeguard_platform.enterprises.models import EnterpriseTask, ListedEnterprise
from hazeguard_platform.enterprises.selectors import core_enterprise
from hazeguard_platform.meters.models import MeterReading
from hazeguard_platform.warnings.models import Episode, Warning

CHECKED_LEVELS = {level.value for level in LEVELS}
FULL_STOP = 1.0 - 1e-9  # a share this close to 1 is a stop (rounding, not policy)


@dataclass
class CheckResult:
    """What one run found: findings as model fields, and what it read."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    enterprises: int = 0
    meters: int = 0
    readings: int = 0
    without_readings: set[str] = field(default_factory=set)  # enterprise names


def production_share(enterprises: list[ListedEnterprise], level: WarningLevel) -> np.ndarray:
    """Per enterprise, the share of production its site plan removes at ``level`` [1].

    The accounting's reduction over the baseline, summed over the pollutants (emissions are
    proportional to activity, reference emission-list.md §7.2); an enterprise whose units carry
    no baseline emissions falls back to its units' capacity-weighted share.
    """
    table = UnitTable.from_enterprises(core_enterprise(e) for e in enterprises)
    books = account(table)
    reduced = books.enterprise_reduction[:, level.rank, :].sum(axis=1)
    baseline = books.enterprise_baseline.sum(axis=1)
    weight = table.unit_capacity * table.unit_operating
    n = table.n_enterprises
    by_capacity = np.bincount(
        table.unit_enterprise, weight * table.unit_share[:, level.rank], minlength=n
    ) / np.maximum(np.bincount(table.unit_enterprise, weight, minlength=n), 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(baseline > 0, reduced / baseline, by_capacity)
    return np.clip(share, 0.0, 1.0)


def _local_days(start: dt.datetime, end: dt.datetime) -> Iterable[dt.date]:
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
    return (first + dt.timedelta(days=n) for n in range((last - first).days + 1))


def _window(warning: Warning, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    ordered = warning.starts_at or warning.issued_at
    lifted = warning.ended_at or now
    if ordered is None or lifted <= ordered:
        return None
    return ordered, lifted


def _excluded_days(warning: Warning, first_day: dt.date, now: dt.datetime) -> tuple[dt.date, ...]:
    """Days of the jurisdiction's other warnings before this one: not normal production, so
    never part of a baseline (emission-list.md §8.1 "earlier alert days")."""
    days: set[dt.date] = set()
    others = Warning.objects.filter(
        jurisdiction_id=warning.jurisdiction_id, issued_at__isnull=False
    ).exclude(pk=warning.pk)
    for other in others:
        span = _window(other, now)
        if span is not None:
            days.update(d for d in _local_days(*span) if d >= first_day)
    return tuple(sorted(days))


def _readings(
    enterprises: list[ListedEnterprise], start: dt.datetime, end: dt.datetime
) -> pd.DataFrame:
    codes = {e.pk: e.credit_code for e in enterprises}
    rows = MeterReading.objects.filter(
        enterprise_id__in=list(codes), time__gte=start, time__lt=end
    ).values_list("enterprise_id", "meter", "time", "energy_kwh")
    frame = pd.DataFrame.from_records(
        list(rows), columns=["enterprise_id", "meter_id", "time", "energy_kwh"]
    )
    frame["enterprise"] = frame["enterprise_id"].map(codes)
    frame["meter"] = frame["enterprise"] + "/" + frame["meter_id"]
    return frame


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _judge_warning(
    warning: Warning, span: tuple[dt.datetime, dt.datetime], now: dt.datetime, result: CheckResult
) -> None:
    level = WarningLevel(warning.level)
    tasked = EnterpriseTask.objects.filter(warning=warning).values("enterprise_id")
    enterprises = list(
        ListedEnterprise.objects.filter(pk__in=tasked).prefetch_related("units", "measures")
    )
    if not enterprises:
        return
    shares = production_share(enterprises, level)
    judged = [(e, s) for e, s in zip(enterprises, shares, strict=True) if s > 0]
    if not judged:
        return
    limits = load_thresholds().electricity
    ordered, lifted = span
    order_day = timezone.localtime(ordered).date()
    first_day = order_day - dt.timedelta(days=int(limits.baseline_days.value))
    start = dt.datetime.combine(first_day, dt.time(), timezone.get_default_timezone())
    readings = _readings([e for e, _ in judged], start, lifted)
    result.readings += len(readings)
    metered = set(readings["enterprise"])
    by_code = {e.credit_code: (e, s) for e, s in judged}
    result.without_readings.update(e.name for e, _ in judged if e.credit_code not in metered)
    if readings.empty:
        return
    meters = readings[["enterprise", "meter", "meter_id"]].drop_duplicates("meter")
    cut = meters["enterprise"].map(lambda code: by_code[code][1]).to_numpy(dtype=np.float64)
    measures = pd.DataFrame(
        {
            "enterprise": meters["enterprise"].to_numpy(),
            "meter": meters["meter"].to_numpy(),
            "kind": np.where(cut >= FULL_STOP, "stop", "limit"),
            "fraction": cut,
        }
    )
    window = AlertWindow(warning.level, ordered, lifted, _excluded_days(warning, first_day, now))
    findings = check_electricity(readings, measures, window, limits)
    result.enterprises += len(metered)
    result.meters += len(measures)
    share_of = dict(zip(measures["meter"], cut, strict=True))
    rows: Iterable[Any] = findings.itertuples(index=False)  # fields: the findings' columns
    for row in rows:
        enterprise, _ = by_code[row.enterprise]
        result.findings.append(
            {
                "enterprise": enterprise,
                "meter": str(row.meter).split("/", 1)[1],
                "day": row.day,
                "level": warning.level,
                "measure": row.measure,
                "share_cut": float(share_of[row.meter]),
                "status": row.status,
                "observed_kwh": _number(row.observed_kwh),
                "expected_kwh": _number(row.expected_kwh),
                "violation_bound_kwh": _number(row.violation_bound_kwh),
                "baseline_kwh": _number(row.baseline_kwh),
                "coverage": _number(row.coverage),
            }
        )


def episode_findings(episode: Episode, *, now: dt.datetime) -> CheckResult:
    """Judge every metered enterprise with a production measure, per warning of the episode."""
    result = CheckResult()
    warnings = episode.warnings.filter(issued_at__isnull=False, level__in=CHECKED_LEVELS).order_by(
        "issued_at", "pk"
    )
    for warning in warnings:
        span = _window(warning, now)
        if span is not None:
            _judge_warning(warning, span, now, result)
    return result
