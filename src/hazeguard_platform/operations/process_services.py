"""Opening and closing a pollution process below the warning level and its tasks (STYLE.md §7).

002 §五(二)1 has the bureau follow "未达到预警启动条件的污染过程" with its own tasks; the plan
file's ``pollution_process`` names the member unit and the department-plan tasks (by clause). The
worker (``hazeguard_platform.response.processes``) decides with the core and calls these; a
warning issued closes the process (``response.services``): the response takes over.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from hazeguard_platform import core
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit, PlanVersion
from hazeguard_platform.operations.models import (
    PollutionProcess,
    ResponseState,
    Task,
    TaskState,
)

PROCESS_CATEGORY = "pollution_process"


def process_open(
    *,
    jurisdiction: Jurisdiction,
    plan_version: PlanVersion,
    because_zh: str,
    because_en: str,
    now: datetime,
    actor: Actor = None,
) -> PollutionProcess:
    """Open the jurisdiction's process and give the plan's unit its department-plan tasks.

    ``ValueError`` if the plan version has no pollution process. One open process per
    jurisdiction (a database constraint): a second call while one is open returns it unchanged.
    """
    rule = core.plan_from_snapshot(plan_version.snapshot).pollution_process
    if rule is None:
        raise ValueError(f"plan {plan_version} provides for no pollution process")
    with transaction.atomic():
        current = open_process_locked(jurisdiction)
        if current is not None:
            return current
        process = PollutionProcess.objects.create(
            jurisdiction=jurisdiction,
            plan_version=plan_version,
            clause=rule.clause,
            opened_at=now,
            opened_because_zh=because_zh,
            opened_because_en=because_en,
        )
        count = _open_tasks(process, rule.unit, rule.tasks, now)
        audit_record(
            actor=actor,
            action="process.open",
            obj=process,
            after={"reason": because_en, "tasks": count, "clause": rule.clause},
            message=because_zh,
        )
    return process


def open_process_locked(jurisdiction: Jurisdiction) -> PollutionProcess | None:
    """The jurisdiction's open process, locked for the transaction in hand."""
    return (
        PollutionProcess.objects.select_for_update()
        .filter(jurisdiction=jurisdiction, state=ResponseState.OPEN)
        .first()
    )


def _open_tasks(
    process: PollutionProcess, unit_code: str, clauses: tuple[str, ...], now: datetime
) -> int:
    plan = core.plan_from_snapshot(process.plan_version.snapshot)
    unit = MemberUnit.objects.filter(jurisdiction=process.jurisdiction, code=unit_code).first()
    if unit is None:
        # The plan's member units are imported with the plan version: a missing row means the
        # jurisdiction was set up by hand; the process still opens, with no one to task.
        return 0
    wanted = set(clauses)
    tasks = [
        Task(
            process=process,
            member_unit=unit,
            assignee_key=f"unit:{unit.pk}",
            level="",
            measure_key=f"process:{task.clause}",
            category=PROCESS_CATEGORY,
            clause=task.clause,
            text_zh=f"{task.name_zh}：{task.text_zh}",
            opened_at=now,
        )
        for department in plan.department_plans
        for task in department.tasks
        if task.clause in wanted
    ]
    Task.objects.bulk_create(tasks)
    return len(tasks)


def process_close(
    *,
    jurisdiction: Jurisdiction,
    because_zh: str,
    because_en: str,
    now: datetime,
    actor: Actor = None,
) -> PollutionProcess | None:
    """Close the jurisdiction's open process (if any) and its open tasks; ``None`` if none."""
    with transaction.atomic():
        process = open_process_locked(jurisdiction)
        if process is None:
            return None
        process.state = ResponseState.CLOSED
        process.closed_at = now
        process.closed_because_zh = because_zh
        process.closed_because_en = because_en
        process.save(update_fields=["state", "closed_at", "closed_because_zh", "closed_because_en"])
        closed = Task.objects.filter(process=process, state=TaskState.OPEN).update(
            state=TaskState.CLOSED, closed_at=now, close_reason="process closed"
        )
        audit_record(
            actor=actor,
            action="process.close",
            obj=process,
            after={"reason": because_en, "tasks_closed": closed},
            message=because_zh,
        )
    return process
