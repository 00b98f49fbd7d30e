"""Who carries out which measure: the plan's responsible units, else the counties.

Read from the warning's stored plan snapshot (``Plan.from_dict``), never from plan files
(STYLE.md §6).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from hazeguard_platform import core
from hazeguard_platform.core import CHINA
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit
from hazeguard_platform.warnings.models import Warning

if TYPE_CHECKING:
    from hazeguard.plans.organisation import Deadline

# The plans state times in China Standard Time (UTC+8).


@dataclass(frozen=True)
class Duty:
    """One measure for one assignee (exactly one of ``member_unit`` and ``county``)."""

    measure_key: str
    category: str
    clause: str
    text_zh: str
    member_unit: MemberUnit | None
    county: Jurisdiction | None

    @property
    def assignee_key(self) -> str:
        return assignee_key(self.member_unit, self.county)


def assignee_key(member_unit: MemberUnit | None, county: Jurisdiction | None) -> str:
    """``unit:<id>`` or ``county:<id>``."""
    if member_unit is not None:
        return f"unit:{member_unit.pk}"
    assert county is not None
    return f"county:{county.pk}"


def measure_key(clause: str, text_zh: str) -> str:
    """A stable key of one measure, the same at every level that restates it word for word."""
    return hashlib.sha256(f"{clause}\n{text_zh}".encode()).hexdigest()[:32]


def duties(warning: Warning) -> list[Duty]:
    """Every (measure, assignee) of the warning's level.

    A measure names its responsible units (e.g. Kashgar 001 §4.3); a measure that names none is
    carried out by every county of the jurisdiction, which must put the city's measures into effect
    (Liaocheng 003 §4.2: "各县（市、区）人民政府……立即按照预警要求启动应急响应"); a jurisdiction
    without counties carries it out through its own command.
    """
    plan = core.plan_from_snapshot(warning.plan_version.snapshot)
    jurisdiction = warning.jurisdiction
    units = {unit.code: unit for unit in MemberUnit.objects.filter(jurisdiction=jurisdiction)}
    counties = list(jurisdiction.children.order_by("code")) or [jurisdiction]
    result: list[Duty] = []
    for measure in plan.measures_for(warning.level):
        key = measure_key(measure.clause, measure.text_zh)
        named = [units[code] for code in measure.responsible_units if code in units]
        assignees: list[tuple[MemberUnit | None, Jurisdiction | None]] = (
            [(unit, None) for unit in named] if named else [(None, county) for county in counties]
        )
        result.extend(
            Duty(key, str(measure.category), measure.clause, measure.text_zh, unit, county)
            for unit, county in assignees
        )
    return result


def daily_deadline(snapshot: dict[str, object]) -> Deadline | None:
    """The plan's daily-report deadline (e.g. 17:00 the same day, seed 000 §5.1), if it has one."""
    return core.workflow_from_snapshot(snapshot).deadline("daily_report")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Start and end of a day in China time [aware datetimes]."""
    start = datetime.combine(day, time(), CHINA)
    return start, start + timedelta(days=1)


def report_due(deadline: Deadline, day: date) -> datetime:
    """When the report about ``day`` is due [aware datetime].

    A clock-time deadline counts from the start of that day: 17:00 the same day (seed 000 §5.1),
    or 09:00 the next day for a report on the previous day (seed 004 §3.4). A deadline "within"
    a span counts from the end of the day reported on, which must be over before it can be
    reported: Kashgar's "每日报送前1日应急响应情况" (001 §5.1, within 1 day) is due by the end of
    the next day.
    """
    start, end = day_bounds(day)
    return deadline.due(end if deadline.within is not None else start)


def local_day(moment: datetime) -> date:
    """The day in China time of an aware datetime."""
    return moment.astimezone(CHINA).date()
