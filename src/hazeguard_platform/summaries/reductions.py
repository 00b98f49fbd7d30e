"""八、减排清单核算与目标: the stored list's claimed reductions against the plan's targets.

For each level in force during the episode, the core's accounting of the jurisdiction's listed
enterprises (``hazeguard.reduction.accounting.account``) is compared with the plan's targets
(``targets_from_plan`` of the warning's stored plan version) by ``check_targets``. The
denominator is the society-wide inventory the office entered (:class:`InventoryEntry`, the newest
entry per source class); a pollutant no entry gives has no share: the row says the inventory is
missing, never a made-up figure.
"""

from __future__ import annotations

import math

import numpy as np
from django.db.models import QuerySet
from django.utils import translation

from hazeguard.documents.summary import KeyEnterpriseCheck, ReductionCheck
from hazeguard.documents.summary_model import Level
from hazeguard.reduction.accounting import UnitTable, account
from hazeguard.reduction.model import (
    POLLUTANTS,
    Emissions,
    Enterprise,
    Inventory,
    SourceClass,
    WarningLevel,
)
from hazeguard.reduction.targets import check_targets, targets_from_plan
from hazeguard_platform.core import plan_from_snapshot
from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.enterprises.selectors import core_enterprise
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.summaries.models import InventoryEntry
from hazeguard_platform.warnings.models import Warning

FIELDS = ("so2", "nox", "pm", "vocs")  # in the order of the core's POLLUTANTS


def core_enterprises(rows: QuerySet[ListedEnterprise]) -> dict[int, Enterprise]:
    """Stored enterprise id -> the core's ``Enterprise`` (units and site measures), for ``rows``.

    Built once per summary and shared by both sections: turning a list into core objects is most
    of a summary's time (about 1 s per 150 enterprises).
    """
    return {row.pk: core_enterprise(row) for row in rows.prefetch_related("units", "measures")}


def current_inventory(place: Jurisdiction) -> list[InventoryEntry]:
    """The newest entry of each source class the office entered for ``place``."""
    newest: dict[str, InventoryEntry] = {}
    for entry in InventoryEntry.objects.filter(jurisdiction=place).order_by("-entered_at", "-id"):
        newest.setdefault(entry.source_class, entry)
    return [newest[name] for name in sorted(newest)]


def _inventory(entries: list[InventoryEntry]) -> tuple[Inventory, list[bool], str]:
    """The core's inventory (unknown figures as 0), which pollutants are known, the sources."""
    known = [any(getattr(e, name) is not None for e in entries) for name in FIELDS]
    by_source = {
        SourceClass(e.source_class): Emissions(*(getattr(e, name) or 0.0 for name in FIELDS))
        for e in entries
    }
    with translation.override("zh-hans"):  # the summary's Chinese text (inventory_source_zh)
        sources = "；".join(f"{e.get_source_class_display()}：{e.source}" for e in entries)
    return Inventory(by_source), known, sources


def _levels_in_force(warnings: list[Warning]) -> dict[WarningLevel, Warning]:
    """Each list level in force during the episode, with the newest warning at that level."""
    levels: dict[WarningLevel, Warning] = {}
    for warning in warnings:
        if warning.level in {level.value for level in WarningLevel}:
            levels[WarningLevel(warning.level)] = warning
    return levels


def _value(array: np.ndarray, index: int) -> float | None:
    value = float(array[index])
    return None if math.isnan(value) else value


def reduction_checks(
    place: Jurisdiction, warnings: list[Warning], listed: dict[int, Enterprise]
) -> tuple[tuple[ReductionCheck, ...], tuple[KeyEnterpriseCheck, ...], tuple[str, str]]:
    """The rows of section 八 for ``warnings`` (the episode's issued warnings) and a note
    (Chinese, English);
    ``listed`` is :func:`core_enterprises` of the jurisdiction's listed enterprises."""
    levels = _levels_in_force(warnings)
    if not levels:
        return (
            (),
            (),
            (
                "本次过程无黄色及以上预警，清单无减排目标 (no list level in force).",
                "No yellow or higher warning in this episode: the list has no reduction target.",
            ),
        )
    enterprises = list(listed.values())
    books = account(UnitTable.from_enterprises(enterprises))
    names = {e.credit_code: e.name for e in enterprises}
    entries = current_inventory(place)
    inventory, known, sources = _inventory(entries)
    checks: list[ReductionCheck] = []
    keys: list[KeyEnterpriseCheck] = []
    for level, warning in sorted(levels.items(), key=lambda item: item[0].rank):
        plan = plan_from_snapshot(warning.plan_version.snapshot)
        plan_targets = plan.reduction_targets
        targets = targets_from_plan({str(k): v for k, v in plan_targets.items()}, plan.id)
        level_targets = targets.levels.get(level)
        if level_targets is None:
            continue
        clause = plan_targets[level.value].clause
        report = check_targets(books, inventory, targets)
        outcome = report.levels[level.rank]
        total = np.array(inventory.total().as_tuple())
        name: Level = level.value
        for p, pollutant in enumerate(POLLUTANTS):
            target = level_targets.pollutants.get(pollutant)
            if target is None:
                continue
            checks.append(
                ReductionCheck(
                    pollutant.value,
                    name,
                    target,
                    _value(outcome.ratio, p) if known[p] else None,
                    float(outcome.reduction[p]),
                    float(total[p]) if known[p] else None,
                    sources if known[p] else "",
                    clause,
                )
            )
        if level_targets.so2_nox_sum is not None:
            pair_known = known[0] and known[1]
            checks.append(
                ReductionCheck(
                    "SO2+NOx",
                    name,
                    level_targets.so2_nox_sum,
                    outcome.so2_nox_ratio if pair_known else None,
                    float(outcome.reduction[0] + outcome.reduction[1]),
                    float(total[0] + total[1]) if pair_known else None,
                    sources if pair_known else "",
                    clause,
                )
            )
        if level_targets.key_enterprise is not None:
            short = [
                names.get(f.credit_code or "", f.credit_code or "")
                for f in report.findings
                if f.check == "key_enterprise" and f.level is level
            ]
            table = books.table
            keys.append(
                KeyEnterpriseCheck(
                    name,
                    level_targets.key_enterprise,
                    int(np.sum(table.key & ~table.key_share_exempt)),
                    tuple(short),
                    plan_targets[level.value].key_enterprise_clause,
                )
            )
    note = (
        f"按清单一厂一策核算 {len(enterprises)} 家在列企业的减排量（清单声称的减排，非实测） "
        f"(the list's claimed reductions of {len(enterprises)} listed enterprises, not measured)."
    )
    note_en = (
        f"The list's claimed reductions of {len(enterprises)} listed enterprises (as the site "
        "plans book them, not measured)."
    )
    if not entries:
        note += " 未录入全社会排放基数 (no society-wide inventory entered)."
        note_en += " No society-wide inventory entered."
    return tuple(checks), tuple(keys), (note, note_en)
