"""Reads of tasks and reports, and who may see them (one function per object type, STYLE.md §12).

A member unit's staff see their unit's tasks and reports; a county's officers see the county's;
the command roles of the response's jurisdiction (or one above it) see all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.operations.assignment import local_day
from hazeguard_platform.operations.models import (
    DailyReport,
    PollutionProcess,
    ReportState,
    Response,
    ResponseState,
    SummaryReport,
    Task,
)


def _memberships(user: Actor) -> QuerySet[Membership]:
    if not isinstance(user, User) or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def assignee_keys_of(user: Actor) -> set[str]:
    """The assignees ``user`` reports for: their member units, and the counties (or
    jurisdictions reporting as themselves) where they are an officer or on the command."""
    keys: set[str] = set()
    for membership in _memberships(user):
        if membership.role == Role.MEMBER_UNIT_STAFF and membership.member_unit_id is not None:
            keys.add(f"unit:{membership.member_unit_id}")
        elif membership.role == Role.COUNTY_OFFICER or membership.role in COMMAND_ROLES:
            keys.add(f"county:{membership.jurisdiction_id}")
    return keys


def oversees(user: Actor, jurisdiction: Jurisdiction) -> bool:
    """Whether ``user`` holds a command role in ``jurisdiction`` or one above it."""
    places = [jurisdiction.pk, *(j.pk for j in jurisdiction.ancestors())]
    return (
        _memberships(user).filter(jurisdiction_id__in=places, role__in=list(COMMAND_ROLES)).exists()
    )


def may_submit(user: Actor, report: DailyReport | SummaryReport) -> bool:
    """Only the report's own assignee submits it (not the office on its behalf)."""
    return report.assignee_key in assignee_keys_of(user)


def report_for_user(user: Actor, report_id: int) -> DailyReport:
    """The report; ``Http404`` if unknown, ``ForbiddenError`` (audited) if not the user's."""
    return _assigned_for_user(user, DailyReport, report_id, "report")


def task_for_user(user: Actor, task_id: int) -> Task:
    """The task; ``Http404`` if unknown, ``ForbiddenError`` (audited) if not the user's."""
    return _assigned_for_user(user, Task, task_id, "task")


def summary_report_for_user(user: Actor, summary_id: int) -> SummaryReport:
    """The summary report; ``Http404`` if unknown, ``ForbiddenError`` (audited) if not the
    user's."""
    return _assigned_for_user(user, SummaryReport, summary_id, "summary")


_Assigned = TypeVar("_Assigned", DailyReport, Task, SummaryReport)


def _assigned_for_user(user: Actor, model: type[_Assigned], pk: int, noun: str) -> _Assigned:
    """A unit's task or report: its assignee may see it, and so may the command above it."""
    related = ["response__jurisdiction", "member_unit", "county"]
    if model is Task:
        related.append("process__jurisdiction")
    found = model.objects.select_related(*related).filter(pk=pk).first()
    if found is None:
        raise Http404(f"no {noun} {pk}")
    # A task under a pollution process has no response (operations.models.Task).
    owner = found.process if isinstance(found, Task) and found.process else found.response
    assert owner is not None
    if found.assignee_key not in assignee_keys_of(user) and not oversees(user, owner.jurisdiction):
        raise refuse(user, action=f"{noun}.view", obj=found, message=f"not your unit's {noun}")
    return found


def reports_for_user(user: Actor) -> QuerySet[DailyReport]:
    """The reports ``user`` submits (their units' and counties'), newest day first."""
    return DailyReport.objects.filter(assignee_key__in=assignee_keys_of(user)).select_related(
        "response__jurisdiction", "member_unit", "county"
    )


def tasks_for_user(user: Actor) -> QuerySet[Task]:
    """The tasks of ``user``'s units and counties (under a response or a pollution process)."""
    return Task.objects.filter(assignee_key__in=assignee_keys_of(user)).select_related(
        "response__jurisdiction", "process__jurisdiction", "member_unit", "county"
    )


def open_process(jurisdiction: Jurisdiction) -> PollutionProcess | None:
    """The jurisdiction's pollution process under way (002 §五(二)1), if any."""
    return PollutionProcess.objects.filter(
        jurisdiction=jurisdiction, state=ResponseState.OPEN
    ).first()


def recent_processes(jurisdiction: Jurisdiction, limit: int = 5) -> list[PollutionProcess]:
    """The jurisdiction's newest pollution processes, open or closed, with their tasks."""
    return list(
        PollutionProcess.objects.filter(jurisdiction=jurisdiction).prefetch_related(
            "tasks__member_unit"
        )[:limit]
    )


# What one cell of the office's matrix shows.
ON_TIME, LATE, OVERDUE, NOT_DUE = "on_time", "late", "overdue", "not_due"


def report_status(report: DailyReport | None, now: datetime) -> str:
    """``on_time``, ``late``, ``overdue`` or ``not_due`` (no report owed, or not yet due).

    A report past its deadline counts as overdue even before the worker has marked it.
    """
    if report is None:
        return NOT_DUE
    if report.state == ReportState.SUBMITTED:
        return LATE if report.late else ON_TIME
    if report.state == ReportState.OVERDUE or report.due_at <= now:
        return OVERDUE
    return NOT_DUE


@dataclass(frozen=True)
class MatrixCell:
    day: date
    status: str
    report_id: int | None


@dataclass(frozen=True)
class MatrixRow:
    assignee_key: str
    name: str
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class ReportMatrix:
    """Assignees × days of one jurisdiction's responses."""

    days: tuple[date, ...]
    rows: tuple[MatrixRow, ...]


def report_matrix(*, jurisdiction: Jurisdiction, now: datetime, days: int = 7) -> ReportMatrix:
    """The office's view: for each assignee and each of the last ``days`` days up to today
    (China time), whether its report came on time, late, is overdue or is not due."""
    last = local_day(now)
    columns = tuple(last - timedelta(days=offset) for offset in range(days - 1, -1, -1))
    reports = DailyReport.objects.filter(
        response__in=Response.objects.filter(jurisdiction=jurisdiction),
        day__gte=columns[0],
        day__lte=last,
    ).select_related("member_unit", "county")
    by_cell: dict[tuple[str, date], DailyReport] = {}
    names: dict[str, str] = {}
    for report in reports:
        by_cell[(report.assignee_key, report.day)] = report
        names[report.assignee_key] = report.assignee_name
    rows = tuple(
        MatrixRow(
            assignee_key=key,
            name=names[key],
            cells=tuple(
                MatrixCell(
                    day,
                    report_status(by_cell.get((key, day)), now),
                    getattr(by_cell.get((key, day)), "pk", None),
                )
                for day in columns
            ),
        )
        for key in sorted(names, key=lambda key: (names[key], key))
    )
    return ReportMatrix(days=columns, rows=rows)
