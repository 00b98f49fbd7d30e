"""What a daily production report is checked against: the site plan (一厂一策) at the level in
force and the days of the episode.

* :func:`expected_statuses` — per unit, what the site plan asks at a level: ``stopped`` (a stop
  of the unit or of the whole site, a stop of listed lines), ``limited`` with its cut [%] (a
  limit, a feed cap), else nothing asked (the unit runs normally).
* :func:`plan_deviations` — the units a report says run more than the site plan allows.
* :func:`report_window` — the first and last day a report may be about while a warning applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from hazeguard.reduction.enums import MeasureKind
from hazeguard_platform.enterprises.models import ListedEnterprise, SiteMeasure
from hazeguard_platform.warnings.models import Warning

STOPPED, LIMITED, NORMAL = "stopped", "limited", "normal"


@dataclass(frozen=True)
class Expected:
    """What the site plan asks of one unit: a status and, when limited, the cut [%]."""

    status: str
    percent: float | None = None

    def allows(self, status: str, percent: float | None) -> bool:
        """Whether a reported status and cut [%] do at least what is asked."""
        if self.status == STOPPED:
            return status == STOPPED
        if self.status == LIMITED:
            return status == STOPPED or (
                status == LIMITED and (percent or 0.0) + 1e-9 >= (self.percent or 0.0)
            )
        return True


def _expected_of(measure: SiteMeasure) -> Expected | None:
    kind = measure.kind
    if kind in (MeasureKind.STOP, MeasureKind.STOP_LINES):
        return Expected(STOPPED)
    if kind == MeasureKind.LIMIT and measure.fraction is not None:
        return Expected(LIMITED, round(measure.fraction * 100.0, 1))
    if kind == MeasureKind.FEED_CAP and measure.amount and measure.base_amount:
        return Expected(LIMITED, round((1.0 - measure.amount / measure.base_amount) * 100.0, 1))
    return None  # rotation, trucks, load caps, voluntary, exemptions: not a unit's status


def _stricter(first: Expected | None, second: Expected) -> Expected:
    if first is None or second.status == STOPPED:
        return second
    if first.status == STOPPED:
        return first
    return first if (first.percent or 0.0) >= (second.percent or 0.0) else second


def expected_statuses(enterprise: ListedEnterprise, level: str | None) -> dict[str, Expected]:
    """Unit id -> what the enterprise's site plan asks at ``level`` (the strictest when several
    measures cover a unit); units it asks nothing of run normally. No level: all normal."""
    unit_ids = [unit.unit_id for unit in enterprise.units.all()]
    found: dict[str, Expected | None] = dict.fromkeys(unit_ids)
    for measure in enterprise.measures.all():
        expected = _expected_of(measure) if measure.level == level else None
        if expected is None:
            continue
        for unit_id in measure.unit_ids or unit_ids:  # [] covers every unit
            if unit_id in found:
                found[unit_id] = _stricter(found[unit_id], expected)
    return {unit_id: found[unit_id] or Expected(NORMAL) for unit_id in unit_ids}


def plan_deviations(
    expected: dict[str, Expected], entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The reported entries that do less than the site plan asks: ``[{"unit_id", "name",
    "reported", "reported_percent", "expected", "expected_percent"}]``."""
    deviations = []
    for entry in entries:
        asked = expected.get(entry["unit_id"])
        if asked is None or asked.allows(entry["status"], entry["limited_percent"]):
            continue
        deviations.append(
            {
                "unit_id": entry["unit_id"],
                "name": entry["name"],
                "reported": entry["status"],
                "reported_percent": entry["limited_percent"],
                "expected": asked.status,
                "expected_percent": asked.percent,
            }
        )
    return deviations


def report_window(warning: Warning | None) -> tuple[date, date] | None:
    """The days a report may be about while ``warning`` applies: from the day its episode began
    (or the warning started) to today, or to the day it ended; ``None`` without a warning."""
    if warning is None:
        return None
    episode = warning.episode
    begun = (episode.started_at if episode else None) or warning.starts_at or warning.issued_at
    if begun is None:
        return None
    ended = warning.ended_at
    last = timezone.localdate(ended) if ended else timezone.localdate()
    return timezone.localdate(begun), max(last, timezone.localdate(begun))
