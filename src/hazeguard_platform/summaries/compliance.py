"""六、企业落实与执法检查: each enterprise's part in the episode, from what the platform holds.

Per enterprise given tasks by the episode's warnings (or inspected, or judged by electricity):
the tasks and whether it acknowledged every warning that gave them; its daily production status
(每日生产状态) against the share its site plan removes from each unit at the level in force; the
inspections linked to the episode's warnings with their penalties and grade downgrades
(seed 000 §6.8: 依法处罚，并按规定下调绩效分级); and the newest electricity check of the
episode (耗电量核算, seed 002 §电量核查; emission-list.md §8.1), meter-days per status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
from django.db.models import Max
from django.utils import timezone

from hazeguard.documents.summary import EnterpriseCompliance, Inspection
from hazeguard.reduction.accounting import UnitTable
from hazeguard.reduction.model import Enterprise, WarningLevel
from hazeguard_platform.enterprises.models import (
    EnterpriseTask,
    ListedEnterprise,
    ProductionReport,
    WarningAcknowledgement,
)
from hazeguard_platform.meters.models import ElectricityFinding, MeterReading
from hazeguard_platform.meters.selectors import latest_check
from hazeguard_platform.summaries.reductions import core_enterprises
from hazeguard_platform.supervision.models import GradeDowngrade
from hazeguard_platform.supervision.models import Inspection as InspectionRow
from hazeguard_platform.warnings.models import Episode, Warning

# Share of a unit's production each reported status leaves out [1] (entries of
# enterprises.services.production_status_report).
REPORTED_CUT = {"stopped": 1.0, "normal": 0.0}
SHORT_TOLERANCE = 1e-9  # rounding, not policy


def _window_days(warning: Warning, today: dt.date) -> set[dt.date]:
    start = warning.starts_at or warning.issued_at
    if start is None:
        return set()
    first = timezone.localtime(start).date()
    end = warning.ended_at
    last = timezone.localtime(end - dt.timedelta(microseconds=1)).date() if end else today
    last = min(last, today)
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


def _required_cuts(cores: dict[int, Enterprise]) -> dict[int, dict[str, np.ndarray]]:
    """Enterprise id -> unit id -> share its site plan removes per level [1] (yellow, orange,
    red), from the core's accounting (the largest measure per unit and level counts)."""
    shares = UnitTable.from_enterprises(cores.values()).unit_share
    cuts: dict[int, dict[str, np.ndarray]] = {}
    row = 0
    for pk, core in cores.items():
        cuts[pk] = {}
        for unit in core.units:
            cuts[pk][unit.unit_id] = shares[row]
            row += 1
    return cuts


def _short(entries: list[dict[str, object]], cuts: dict[str, np.ndarray], level: str) -> bool:
    """True when a reported unit status removes less than the site plan asks at ``level``."""
    if level not in {lvl.value for lvl in WarningLevel}:
        return False
    rank = WarningLevel(level).rank
    for entry in entries:
        required = cuts.get(str(entry.get("unit_id")))
        if required is None:
            continue
        status = str(entry.get("status"))
        percent = entry.get("limited_percent")
        if status == "limited" and isinstance(percent, int | float):
            reported = float(percent) / 100
        else:
            reported = REPORTED_CUT.get(status, 0.0)
        if reported < required[rank] - SHORT_TOLERANCE:
            return True
    return False


def _inspection(row: InspectionRow) -> Inspection:
    penalty = getattr(row, "penalty", None)
    downgrade: GradeDowngrade | None = getattr(penalty, "downgrade", None) if penalty else None
    downgrade_zh = ""
    if downgrade is not None:
        state = "已确认" if downgrade.state == GradeDowngrade.State.CONFIRMED else "待确认"
        downgrade_zh = f"绩效分级 {downgrade.from_grade} → {downgrade.to_grade}（{state}）"
    return Inspection(
        timezone.localtime(row.inspected_at),
        row.enterprise.name,
        row.findings,
        "未落实应急减排措施 (measures not carried out)" if row.violation else "",
        violation=row.violation,
        penalty_zh=f"处罚：{penalty.description}" if penalty else "",
        downgrade_zh=downgrade_zh,
    )


def inspections_of(warnings: list[Warning]) -> list[InspectionRow]:
    """The inspections linked to the episode's warnings, oldest first."""
    return list(
        InspectionRow.objects.filter(warning__in=warnings)
        .select_related("enterprise", "penalty__downgrade")
        .order_by("inspected_at", "pk")
    )


def _electricity_note(
    episode: Episode, enterprise_ids: set[int]
) -> tuple[tuple[str, str], dict[int, Counter[str]]]:
    """The note on the electricity check, in Chinese and in English, and each enterprise's
    meter-days by status."""
    check = latest_check(episode)
    if check is None:
        return (
            (
                "尚未运行用电量核查 (the electricity check has not been run for this episode).",
                "The electricity check has not been run for this episode.",
            ),
            {},
        )
    days: dict[int, Counter[str]] = defaultdict(Counter)
    for enterprise_id, status in ElectricityFinding.objects.filter(check_run=check).values_list(
        "enterprise_id", "status"
    ):
        days[enterprise_id][status] += 1
    run = f"{timezone.localtime(check.run_at):%Y-%m-%d %H:%M}"
    zh = (
        f"用电量核查 {run} 运行：企业 {check.enterprises} 家，电表 {check.meters} 块，读数 "
        f"{check.readings} 条 (electricity check run: enterprises, meters, readings)."
    )
    en = (
        f"Electricity check run {run}: {check.enterprises} enterprises, {check.meters} meters, "
        f"{check.readings} readings."
    )
    if check.without_readings:
        zh += f" 无用电数据 (no readings): {'、'.join(check.without_readings)}."
        en += f" No readings: {', '.join(check.without_readings)}."
    newest = MeterReading.objects.filter(enterprise_id__in=enterprise_ids).aggregate(
        Max("upload__uploaded_at")
    )["upload__uploaded_at__max"]
    if newest is not None and newest > check.run_at:
        zh += " 核查后又导入了用电量数据，请重新核查 (readings uploaded since: run it again)."
        en += " Readings were uploaded since: run it again."
    return (zh, en), days


def enterprise_compliance(
    episode: Episode,
    warnings: list[Warning],
    inspections: list[InspectionRow],
    listed: dict[int, Enterprise],
) -> tuple[tuple[EnterpriseCompliance, ...], tuple[str, str]]:
    """One record per enterprise concerned, and the note on the electricity check (Chinese,
    English); ``listed``
    holds the core enterprises already built (``reductions.core_enterprises``)."""
    today = timezone.localdate()
    tasks = list(
        EnterpriseTask.objects.filter(warning__in=warnings).values_list(
            "enterprise_id", "warning_id"
        )
    )
    tasked: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, warning_id in tasks:
        tasked[enterprise_id].add(warning_id)
    task_counts = Counter(enterprise_id for enterprise_id, _ in tasks)
    ids = set(tasked) | {row.enterprise_id for row in inspections}
    note, electricity = _electricity_note(episode, ids)
    ids |= set(electricity)
    enterprises = list(ListedEnterprise.objects.filter(pk__in=ids).order_by("county", "name"))
    missing = ListedEnterprise.objects.filter(pk__in=ids - set(listed))  # delisted since
    cores = {e.pk: listed[e.pk] for e in enterprises if e.pk in listed}
    cores.update(core_enterprises(missing))
    by_id = {warning.pk: warning for warning in warnings}
    acknowledged = set(
        WarningAcknowledgement.objects.filter(warning__in=warnings).values_list(
            "enterprise_id", "warning_id"
        )
    )
    cuts = _required_cuts(cores)
    reports_of: dict[int, list[ProductionReport]] = defaultdict(list)
    for report in ProductionReport.objects.filter(enterprise_id__in=ids).only(
        "enterprise_id", "day", "entries"
    ):
        reports_of[report.enterprise_id].append(report)
    inspected: dict[int, list[InspectionRow]] = defaultdict(list)
    for row in inspections:
        inspected[row.enterprise_id].append(row)
    records = []
    for enterprise in enterprises:
        given = tasked.get(enterprise.pk, set())
        level_of: dict[dt.date, str] = {}
        for warning_id in sorted(
            given, key=lambda pk: by_id[pk].issued_at or by_id[pk].proposed_at
        ):
            for day in _window_days(by_id[warning_id], today):
                level_of[day] = by_id[warning_id].level  # a later warning's level wins
        reports = [r for r in reports_of[enterprise.pk] if r.day in level_of]
        short = sum(_short(r.entries, cuts[enterprise.pk], level_of[r.day]) for r in reports)
        mine = inspected[enterprise.pk]
        penalties = [row.penalty for row in mine if hasattr(row, "penalty")]
        downgrades = [p.downgrade for p in penalties if hasattr(p, "downgrade")]
        days = electricity.get(enterprise.pk, Counter())
        records.append(
            EnterpriseCompliance(
                enterprise.name,
                compliant=days["compliant"],
                suspicious=days["suspicious"],
                violation=days["violation"],
                insufficient_data=days["insufficient_data"],
                credit_code=enterprise.credit_code,
                tasks=task_counts[enterprise.pk],
                acknowledged=bool(given) and all((enterprise.pk, w) in acknowledged for w in given),
                reports_due=len(level_of),
                reports_made=len(reports),
                reports_short=short,
                inspections=len(mine),
                violations_found=sum(row.violation for row in mine),
                penalties=len(penalties),
                downgrades_proposed=len(downgrades),
                downgrades_confirmed=sum(
                    d.state == GradeDowngrade.State.CONFIRMED for d in downgrades
                ),
            )
        )
    return tuple(records), note


def inspection_records(inspections: list[InspectionRow]) -> tuple[Inspection, ...]:
    """The inspections as the summary's records, with penalties and downgrades."""
    return tuple(_inspection(row) for row in inspections)
