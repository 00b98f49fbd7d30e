"""The daily-report deadlines as columns, worked by idempotent functions (STYLE.md §9).

``reports_schedule`` creates each day's report rows, ``reports_remind`` sends one reminder per
report shortly before its deadline, ``reports_mark_overdue`` marks the reports past it. Each
claims its rows with a conditional ``UPDATE … WHERE`` the old state, so two workers (or a task
and the command) never do the same thing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from hazeguard_platform.accounts.models import COMMAND_ROLES, Role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.operations.assignment import (
    daily_deadline,
    day_bounds,
    local_day,
    report_due,
)
from hazeguard_platform.operations.models import (
    Assignee,
    DailyReport,
    Reminder,
    ReportState,
    Response,
    ResponseState,
    SummaryReport,
    Task,
)

# A reminder goes out this long before a report is due.
REMIND_BEFORE = timedelta(hours=2)


def _response_days(response: Response, now: datetime) -> list[date]:
    last = local_day(min(now, response.closed_at) if response.closed_at else now)
    day, days = local_day(response.starts_at), []
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def schedule_response_reports(response: Response, *, now: datetime) -> list[DailyReport]:
    """Create the missing report rows of one response for every day it ran up to ``now``.

    A day's report is owed by every assignee with a task live that day; a day whose deadline
    falls before the response started is covered by the next day's report. A plan without a
    daily-report deadline (Liaocheng 2020 states none) owes no rows.
    """
    deadline = daily_deadline(response.plan_version.snapshot)
    if deadline is None or response.starts_at > now:
        return []
    created: list[DailyReport] = []
    for day in _response_days(response, now):
        due = report_due(deadline, day)
        if due <= response.starts_at:
            continue
        start, end = day_bounds(day)
        tasks = (
            Task.objects.filter(response=response, opened_at__lt=end)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=start))
            .values("assignee_key", "member_unit_id", "county_id")
            .distinct()
        )
        have = set(
            DailyReport.objects.filter(response=response, day=day).values_list(
                "assignee_key", flat=True
            )
        )
        for row in tasks:
            if row["assignee_key"] in have:
                continue
            have.add(row["assignee_key"])
            try:
                with transaction.atomic():
                    report = DailyReport.objects.create(
                        response=response,
                        day=day,
                        due_at=due,
                        deadline_clause=deadline.clause,
                        **row,
                    )
            except IntegrityError:
                continue  # another worker created it a moment ago
            created.append(report)
            _enqueue_deadline_tasks(report)
    return created


def _enqueue_deadline_tasks(report: DailyReport) -> None:
    from hazeguard_platform.operations.tasks import report_deadline_task, report_reminder_task

    report_id, due = report.pk, report.due_at
    transaction.on_commit(
        lambda: report_reminder_task.using(run_after=due - REMIND_BEFORE).enqueue(report_id)
    )
    transaction.on_commit(lambda: report_deadline_task.using(run_after=due).enqueue(report_id))


def reports_schedule(*, now: datetime) -> list[DailyReport]:
    """Create the report rows owed up to ``now`` by every open response (idempotent)."""
    created: list[DailyReport] = []
    for response in Response.objects.filter(state=ResponseState.OPEN).select_related(
        "plan_version"
    ):
        created.extend(schedule_response_reports(response, now=now))
    return created


def assignee_staff(assignee: Assignee) -> list[User]:
    """The people who submit an assignee's reports: the unit's staff, or the county's officers."""
    if assignee.member_unit_id is not None:
        query = Q(
            memberships__role=Role.MEMBER_UNIT_STAFF,
            memberships__member_unit_id=assignee.member_unit_id,
        )
    else:
        query = Q(
            memberships__role__in=[Role.COUNTY_OFFICER, *COMMAND_ROLES],
            memberships__jurisdiction_id=assignee.county_id,
        )
    return list(User.objects.filter(query, is_active=True).distinct().order_by("pk"))


def _remind(report: DailyReport, now: datetime) -> Reminder:
    from hazeguard_platform.notices.models import Event
    from hazeguard_platform.notices.services import notice_create

    staff = assignee_staff(report)
    notice = None
    due = timezone.localtime(report.due_at)
    if staff:
        notice = notice_create(
            event=Event.REMINDER,
            recipients=staff,
            actor=None,
            subject_object=report,
            jurisdiction=report.response.jurisdiction,
            title=f"{report.assignee_name_in('zh')} {report.day:%Y-%m-%d} 信息报送提醒",
            body=(
                f"{report.day:%Y-%m-%d} 应急响应措施落实情况请于 {due:%Y-%m-%d %H:%M} 前报送"
                f"（{report.deadline_clause}）。"
            ),
            title_en=f"{report.assignee_name_in('en')}: daily report of {report.day:%Y-%m-%d} due",
            body_en=(
                f"Please report how the response measures of {report.day:%Y-%m-%d} were carried "
                f"out by {due:%Y-%m-%d %H:%M} ({report.deadline_clause})."
            ),
        )
    return Reminder.objects.create(
        report=report,
        sent_at=now,
        due_at=report.due_at,
        notice_id=notice.pk if notice is not None else None,
    )


_Row = TypeVar("_Row", DailyReport, SummaryReport)
_Result = TypeVar("_Result")


def claim_each(
    candidates: QuerySet[_Row],
    *,
    still: dict[str, object],
    update: dict[str, object],
    then: Callable[[_Row], _Result],
) -> list[_Result]:
    """Claim each candidate row with ``UPDATE … SET update WHERE pk = … AND still`` in its own
    transaction, and call ``then`` on each row this worker claimed (re-read with its assignee
    and jurisdiction). A row claimed meanwhile by another worker or changed by a submission no
    longer matches ``still`` and is skipped: every step happens once."""
    model = candidates.model
    done: list[_Result] = []
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            if model.objects.filter(pk=pk, **still).update(**update) != 1:
                continue
            row = model.objects.select_related(
                "response__jurisdiction", "member_unit", "county"
            ).get(pk=pk)
            done.append(then(row))
    return done


def reports_remind(*, now: datetime, report_id: int | None = None) -> list[Reminder]:
    """Remind the staff of every report due within ``REMIND_BEFORE`` and not yet submitted:
    a notice through the notices app and a ``Reminder`` row, once per report."""
    due = DailyReport.objects.filter(
        state=ReportState.DUE,
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + REMIND_BEFORE,
    )
    if report_id is not None:
        due = due.filter(pk=report_id)
    return claim_each(
        due,
        still={"state": ReportState.DUE, "reminded_at__isnull": True},
        update={"reminded_at": now},
        then=lambda report: _remind(report, now),
    )


def _audit_overdue(report: DailyReport) -> int:
    audit_record(
        actor=None,
        action="report.overdue",
        obj=report,
        before={"state": ReportState.DUE},
        after={"state": ReportState.OVERDUE},
        message=f"not submitted by {report.due_at.isoformat()} ({report.deadline_clause})",
    )
    return report.pk


def reports_mark_overdue(*, now: datetime, report_id: int | None = None) -> list[int]:
    """Mark every report past its deadline and not submitted as overdue (idempotent: a report
    marked or submitted already is left alone). Returns the ids marked now."""
    due = DailyReport.objects.filter(state=ReportState.DUE, due_at__lte=now)
    if report_id is not None:
        due = due.filter(pk=report_id)
    return claim_each(
        due,
        still={"state": ReportState.DUE},
        update={"state": ReportState.OVERDUE, "overdue_at": now, "version": F("version") + 1},
        then=_audit_overdue,
    )
