"""Background tasks of operations: thin, by id, enqueued on commit (STYLE.md §10)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from hazeguard_platform.context import request_id_scope


@task()
def report_reminder_task(report_id: int) -> bool:
    """Remind the unit's staff of a report due soon (nothing if submitted or reminded)."""
    from hazeguard_platform.operations.deadlines import reports_remind

    with request_id_scope(f"task-report-reminder-{report_id}"):
        return bool(reports_remind(now=timezone.now(), report_id=report_id))


@task()
def report_deadline_task(report_id: int) -> bool:
    """Mark a report overdue at its deadline if it was not submitted."""
    from hazeguard_platform.operations.deadlines import reports_mark_overdue

    with request_id_scope(f"task-report-deadline-{report_id}"):
        return bool(reports_mark_overdue(now=timezone.now(), report_id=report_id))


@task()
def response_reports_task(response_id: int) -> int:
    """At the response's start, create its first day's report rows (idempotent)."""
    from hazeguard_platform.operations.deadlines import schedule_response_reports
    from hazeguard_platform.operations.models import Response

    with request_id_scope(f"task-response-reports-{response_id}"):
        response = Response.objects.filter(pk=response_id).first()
        if response is None:
            return 0
        return len(schedule_response_reports(response, now=timezone.now()))


@task()
def summary_reminder_task(summary_id: int) -> bool:
    """Remind the unit's staff of a summary report due soon (nothing if submitted or reminded)."""
    from hazeguard_platform.operations.summary_deadlines import summaries_remind

    with request_id_scope(f"task-summary-reminder-{summary_id}"):
        return bool(summaries_remind(now=timezone.now(), summary_id=summary_id))


@task()
def summary_deadline_task(summary_id: int) -> bool:
    """Mark a summary report overdue at its deadline if it was not submitted."""
    from hazeguard_platform.operations.summary_deadlines import summaries_mark_overdue

    with request_id_scope(f"task-summary-deadline-{summary_id}"):
        return bool(summaries_mark_overdue(now=timezone.now(), summary_id=summary_id))
