"""Summary-report deadlines as columns, worked by idempotent functions (STYLE.md §9).

When a response ends, every assignee that had tasks in it owes a summary report (总结报告), due
at the plan's ``summary`` deadline counted from the end of the response — in working days on the
Chinese calendar where the plan says so (Liaocheng 003 §4.9, Chaoyang 004 §4; the core's
``Deadline.due`` and ``hazeguard.workdays`` count them). ``summaries_schedule`` creates the rows
(also called on lifting), ``summaries_remind`` reminds the unit once before the deadline and
``summaries_mark_overdue`` marks the summaries past it; each claims its rows with a conditional
``UPDATE … WHERE`` the old state, so a task, the command and another worker never repeat a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hazeguard.workdays import UnknownYearError
from hazeguard_platform import core
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA
from hazeguard_platform.jurisdictions.models import MemberUnit
from hazeguard_platform.operations.deadlines import assignee_staff, claim_each
from hazeguard_platform.operations.models import (
    Response,
    ResponseState,
    SummaryReport,
    SummaryState,
    Task,
)

if TYPE_CHECKING:
    from hazeguard.plans.organisation import Deadline

# The reminder goes out this long before the deadline (at once when the deadline is nearer, e.g.
# Xigang's "the same day", 000 §5.2).
REMIND_BEFORE = timedelta(days=1)
# The worker creates the rows of responses that ended this recently (lifting creates them at
# once; the worker only catches up after a crash), so responses closed before this feature
# existed are not suddenly owed long-past summaries.
SCHEDULE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class SummaryDue:
    """The deadline that binds one assignee, and when it falls.

    ``due_at`` is ``None`` (and ``error`` says why) when the core's calendar lacks the holiday
    notice of a year the deadline runs into: a working day is never guessed.
    """

    deadline: Deadline
    due_at: datetime | None
    error: str = ""


def _due(deadline: Deadline, ended_at: datetime) -> SummaryDue:
    try:
        # The core counts from the local (China) clock time of the end of the response.
        return SummaryDue(deadline, deadline.due(ended_at.astimezone(CHINA)))
    except UnknownYearError as error:
        return SummaryDue(deadline, None, str(error)[:300])


def summary_due(
    snapshot: dict[str, object], member_unit: MemberUnit | None, ended_at: datetime
) -> SummaryDue | None:
    """The summary deadline of one assignee of a response that ended at ``ended_at``.

    A member unit with a department plan of its own follows that plan's summary deadline (Chaoyang
    environment bureau: 10:00 the next day, 002 §五(三)1; industry bureau: 5 working days, 004 §4);
    any other assignee follows the plan's own (Xigang 000 §5.2, Kashgar 001 §5.1, Liaocheng
    003 §4.9). A plan that states only department deadlines (Chaoyang) binds its counties by the
    earliest of them: the county's summary covers the measures of every department's county
    branch. ``None`` when the plan states no summary deadline at all.
    """
    plan = core.plan_from_snapshot(snapshot)
    own = list(core.workflow_from_snapshot(snapshot).deadlines("summary"))
    by_department = {
        department.unit: [d for d in department.deadlines if d.kind == "summary"]
        for department in plan.department_plans
    }
    if member_unit is not None and by_department.get(member_unit.name_zh):
        candidates = by_department[member_unit.name_zh]
    elif own:
        candidates = own
    else:
        candidates = [d for deadlines in by_department.values() for d in deadlines]
    dues = [_due(deadline, ended_at) for deadline in candidates]
    if not dues:
        return None
    known = [due for due in dues if due.due_at is not None]
    return min(known, key=lambda due: due.due_at or ended_at) if known else dues[0]


def schedule_response_summaries(response: Response, *, now: datetime) -> list[SummaryReport]:
    """Create the missing summary rows of one ended response (idempotent).

    Every assignee that had a task in the response owes one, except the jurisdiction's own
    command (a jurisdiction without counties carries unassigned measures itself): the summaries
    go to its office, which writes the episode summary from them.
    """
    if response.state != ResponseState.CLOSED or response.closed_at is None:
        return []
    rows = list(
        Task.objects.filter(response=response)
        .exclude(county_id=response.jurisdiction_id)
        .values("assignee_key", "member_unit_id", "county_id")
        .order_by()
        .distinct()
    )
    have = set(
        SummaryReport.objects.filter(response=response).values_list("assignee_key", flat=True)
    )
    units = MemberUnit.objects.in_bulk([row["member_unit_id"] for row in rows])
    created: list[SummaryReport] = []
    for row in sorted(rows, key=lambda row: row["assignee_key"]):
        if row["assignee_key"] in have:
            continue
        have.add(row["assignee_key"])
        due = summary_due(
            response.plan_version.snapshot, units.get(row["member_unit_id"]), response.closed_at
        )
        if due is None:
            continue
        try:
            with transaction.atomic():
                summary = SummaryReport.objects.create(
                    response=response,
                    due_at=due.due_at,
                    deadline_clause=due.deadline.clause,
                    deadline_text=due.deadline.describe(),
                    deadline_error=due.error,
                    created_at=now,
                    **row,
                )
        except IntegrityError:
            continue  # another worker created it a moment ago
        created.append(summary)
        _enqueue_deadline_tasks(summary)
    return created


def _enqueue_deadline_tasks(summary: SummaryReport) -> None:
    from hazeguard_platform.operations.tasks import summary_deadline_task, summary_reminder_task

    if summary.due_at is None:
        return
    summary_id, due = summary.pk, summary.due_at
    transaction.on_commit(
        lambda: summary_reminder_task.using(run_after=due - REMIND_BEFORE).enqueue(summary_id)
    )
    transaction.on_commit(lambda: summary_deadline_task.using(run_after=due).enqueue(summary_id))


def summaries_schedule(*, now: datetime) -> list[SummaryReport]:
    """Create the summary rows owed by every response that ended within ``SCHEDULE_WINDOW``."""
    created: list[SummaryReport] = []
    for response in Response.objects.filter(
        state=ResponseState.CLOSED, closed_at__gte=now - SCHEDULE_WINDOW
    ).select_related("plan_version"):
        created.extend(schedule_response_summaries(response, now=now))
    return created


def notify_staff(
    summary: SummaryReport,
    *,
    event: str,
    title: str,
    body: str,
    title_en: str,
    body_en: str,
) -> int | None:
    """A notice to the people who submit ``summary`` (its text in Chinese and in English); its
    id, or ``None`` if there is nobody."""
    from hazeguard_platform.notices.services import notice_create

    staff = assignee_staff(summary)
    if not staff:
        return None
    notice = notice_create(
        event=event,
        recipients=staff,
        actor=None,
        subject_object=summary,
        jurisdiction=summary.response.jurisdiction,
        title=title,
        body=body,
        title_en=title_en,
        body_en=body_en,
    )
    return notice.pk


def _due_text(summary: SummaryReport) -> str:
    assert summary.due_at is not None
    return f"{timezone.localtime(summary.due_at):%Y-%m-%d %H:%M}"


def _remind(summary: SummaryReport) -> int:
    from hazeguard_platform.notices.models import Event

    notify_staff(
        summary,
        event=Event.REMINDER,
        title=f"{summary.assignee_name_in('zh')} 总结报告提醒",
        body=f"本次应急响应总结报告请于 {_due_text(summary)} 前报送（{summary.deadline_clause}）。",
        title_en=f"{summary.assignee_name_in('en')}: summary report due",
        body_en=f"Please submit the summary report of this response by {_due_text(summary)} "
        f"({summary.deadline_text}, {summary.deadline_clause}).",
    )
    return summary.pk


def summaries_remind(*, now: datetime, summary_id: int | None = None) -> list[int]:
    """Remind the staff of every summary due within ``REMIND_BEFORE`` and not yet submitted
    (a ``reminder`` notice, once per summary). Returns the ids reminded now."""
    due = SummaryReport.objects.filter(
        state=SummaryState.DUE,
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + REMIND_BEFORE,
    )
    if summary_id is not None:
        due = due.filter(pk=summary_id)
    return claim_each(
        due,
        still={"state": SummaryState.DUE, "reminded_at__isnull": True},
        update={"reminded_at": now},
        then=_remind,
    )


def _overdue(summary: SummaryReport) -> int:
    from hazeguard_platform.notices.models import Event

    audit_record(
        actor=None,
        action="summary.overdue",
        obj=summary,
        before={"state": SummaryState.DUE},
        after={"state": SummaryState.OVERDUE},
        message=f"not submitted by {_due_text(summary)} ({summary.deadline_clause})",
    )
    notify_staff(
        summary,
        event=Event.OVERDUE,
        title=f"{summary.assignee_name_in('zh')} 总结报告逾期",
        body=f"本次应急响应总结报告应于 {_due_text(summary)} 前报送，已逾期；"
        f"请尽快报送（{summary.deadline_clause}）。",
        title_en=f"{summary.assignee_name_in('en')}: summary report overdue",
        body_en=f"The summary report of this response was due by {_due_text(summary)} and is "
        f"overdue; please submit it soon ({summary.deadline_clause}).",
    )
    return summary.pk


def summaries_mark_overdue(*, now: datetime, summary_id: int | None = None) -> list[int]:
    """Mark every summary past its deadline and not submitted as overdue, and tell its staff
    (an ``overdue`` notice). Idempotent: a summary marked or submitted already is left alone."""
    due = SummaryReport.objects.filter(state=SummaryState.DUE, due_at__lte=now)
    if summary_id is not None:
        due = due.filter(pk=summary_id)
    return claim_each(
        due,
        still={"state": SummaryState.DUE},
        update={"state": SummaryState.OVERDUE, "overdue_at": now, "version": F("version") + 1},
        then=_overdue,
    )
