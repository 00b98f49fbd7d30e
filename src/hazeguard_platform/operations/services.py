"""Every change to response tasks and daily reports (STYLE.md §7).

The response (``hazeguard_platform.response.services``) calls :func:`response_tasks_open` when a
warning is issued (it retargets the open response when the warning adjusts its level) and
:func:`response_tasks_close` when a warning is lifted, for the warning and for each county warning
of its regional cascade, inside its own transaction, so the tasks change with the warning or not
at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.operations.assignment import day_bounds, duties
from hazeguard_platform.operations.deadlines import (
    reports_mark_overdue,
    reports_remind,
    reports_schedule,
    schedule_response_reports,
)
from hazeguard_platform.operations.models import (
    DailyReport,
    ItemStatus,
    ReportItem,
    ReportPhoto,
    ReportState,
    Response,
    ResponseState,
    Task,
    TaskState,
)
from hazeguard_platform.operations.photos import checked_photo
from hazeguard_platform.operations.selectors import may_submit, report_for_user
from hazeguard_platform.operations.summary_deadlines import schedule_response_summaries
from hazeguard_platform.warnings.models import Warning

__all__ = [
    "ItemInput",
    "report_submit",
    "reports_mark_overdue",
    "reports_remind",
    "reports_schedule",
    "response_tasks_close",
    "response_tasks_open",
    "response_tasks_retarget",
]


def _carried_above(warning: Warning) -> set[tuple[str, str]]:
    """The (assignee, measure) pairs the regional source's open response already gives the
    county of a county warning (Liaocheng's city measures go to every county, 003 §4.2): the
    county carries each measure once, so its own response leaves them out."""
    if warning.regional_source_id is None:
        return set()
    above = Task.objects.filter(
        response__jurisdiction=warning.jurisdiction.parent_id,
        response__state=ResponseState.OPEN,
        county_id=warning.jurisdiction_id,
    ).exclude(state=TaskState.CLOSED)
    return set(above.values_list("assignee_key", "measure_key"))


def _open_tasks(response: Response, warning: Warning, skip: set[tuple[str, str]]) -> int:
    now = timezone.now()
    skip = skip | _carried_above(warning)
    new = [
        Task(
            response=response,
            warning=warning,
            level=warning.level,
            measure_key=duty.measure_key,
            category=duty.category,
            clause=duty.clause,
            text_zh=duty.text_zh,
            member_unit=duty.member_unit,
            county=duty.county,
            assignee_key=duty.assignee_key,
            opened_at=now,
        )
        for duty in duties(warning)
        if (duty.assignee_key, duty.measure_key) not in skip
    ]
    Task.objects.bulk_create(new)
    return len(new)


def response_tasks_open(*, warning: Warning, actor: Actor) -> Response | None:
    """Open the response of an issued warning and give every assignee its tasks: the plan's
    measures for the warning's level with their responsible units.

    When the jurisdiction's response is open already (the warning adjusts the level), the tasks
    are retargeted instead (:func:`response_tasks_retarget`). A county warning leaves out what
    the city's response gives the county already, and opens no response when nothing is left
    (``None``).
    """
    current = Response.objects.filter(
        jurisdiction=warning.jurisdiction, state=ResponseState.OPEN
    ).first()
    if current is not None:
        return response_tasks_retarget(response=current, warning=warning, actor=actor)
    carried = _carried_above(warning)
    if warning.regional_source_id is not None and all(
        (duty.assignee_key, duty.measure_key) in carried for duty in duties(warning)
    ):
        return None
    with transaction.atomic():
        response = Response.objects.create(
            jurisdiction=warning.jurisdiction,
            warning=warning,
            level=warning.level,
            plan_version=warning.plan_version,
            starts_at=warning.starts_at or timezone.now(),
        )
        count = _open_tasks(response, warning, skip=set())
        audit_record(
            actor=actor,
            action="response.open",
            obj=response,
            after={"level": warning.level, "warning": warning.pk, "tasks": count},
            message=f"{count} tasks at {warning.level}",
        )
        _schedule_at_start(response)
    return response


def _schedule_at_start(response: Response) -> None:
    now = timezone.now()
    if response.starts_at <= now:
        schedule_response_reports(response, now=now)
        return
    from hazeguard_platform.operations.tasks import response_reports_task

    response_id, start = response.pk, response.starts_at
    transaction.on_commit(lambda: response_reports_task.using(run_after=start).enqueue(response_id))


def response_tasks_retarget(*, response: Response, warning: Warning, actor: Actor) -> Response:
    """Follow a level change: close the open tasks the new level no longer has, open its new
    ones, and keep the tasks carried on at both levels and those reported done."""
    with transaction.atomic():
        before = {"level": response.level, "warning": response.warning_id}
        wanted = {(duty.assignee_key, duty.measure_key) for duty in duties(warning)}
        wanted -= _carried_above(warning)
        live = Task.objects.filter(response=response).exclude(state=TaskState.CLOSED)
        kept: set[tuple[str, str]] = set()
        obsolete: list[int] = []
        for task in live:
            key = (task.assignee_key, task.measure_key)
            if key in wanted or task.state == TaskState.DONE:
                kept.add(key)
            else:
                obsolete.append(task.pk)
        now = timezone.now()
        Task.objects.filter(pk__in=obsolete, state=TaskState.OPEN).update(
            state=TaskState.CLOSED, closed_at=now, close_reason=f"level changed to {warning.level}"
        )
        count = _open_tasks(response, warning, skip=kept)
        Response.objects.filter(pk=response.pk).update(
            warning=warning, level=warning.level, plan_version=warning.plan_version
        )
        response.refresh_from_db()
        audit_record(
            actor=actor,
            action="response.retarget",
            obj=response,
            before=before,
            after={"level": warning.level, "warning": warning.pk},
            message=f"{len(obsolete)} tasks closed, {count} opened, {len(kept)} kept",
        )
    return response


def response_tasks_close(*, warning: Warning, actor: Actor) -> Response | None:
    """Lifting ends the response (Liaocheng 003 §4.8): close every task still open or done.

    The reports of the days the response ran stay due. ``None`` when the jurisdiction has no
    response open (e.g. a warning issued before this app existed).
    """
    with transaction.atomic():
        response = Response.objects.filter(
            jurisdiction=warning.jurisdiction, state=ResponseState.OPEN
        ).first()
        if response is None:
            return None
        now = timezone.now()
        # The last day's reports are owed even after lifting: schedule them before closing.
        schedule_response_reports(response, now=now)
        closed = (
            Task.objects.filter(response=response)
            .exclude(state=TaskState.CLOSED)
            .update(state=TaskState.CLOSED, closed_at=now, close_reason="lifted")
        )
        Response.objects.filter(pk=response.pk).update(state=ResponseState.CLOSED, closed_at=now)
        response.refresh_from_db()
        # Each assignee now owes its summary report (docs/unit-summaries.md).
        summaries = schedule_response_summaries(response, now=now)
        audit_record(
            actor=actor,
            action="response.close",
            obj=response,
            before={"state": ResponseState.OPEN},
            after={"state": ResponseState.CLOSED, "warning": warning.pk},
            message=f"{closed} tasks closed, {len(summaries)} summary reports owed",
        )
    return response


@dataclass(frozen=True)
class ItemInput:
    """One measure's status in a submitted report (``reason`` required unless done)."""

    task_id: int
    status: str
    reason: str = ""


def report_tasks(report: DailyReport) -> list[Task]:
    """The assignee's tasks that were live during the report's day."""
    start, end = day_bounds(report.day)
    return list(
        Task.objects.filter(
            response_id=report.response_id, assignee_key=report.assignee_key, opened_at__lt=end
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=start))
        .order_by("id")
    )


def _checked_items(report: DailyReport, items: Sequence[ItemInput]) -> list[ItemInput]:
    tasks = {task.pk for task in report_tasks(report)}
    given = {item.task_id: item for item in items}
    for task_id in given:
        if task_id not in tasks:
            raise InvalidInputError(
                _("This measure is not in this report: reload the page."),
                field=f"status_{task_id}",
            )
    for task_id in sorted(tasks):
        item = given.get(task_id)
        if item is None or item.status not in ItemStatus.values:
            raise InvalidInputError(
                _("State whether this measure was done, partly done or not done."),
                field=f"status_{task_id}",
            )
        if item.status != ItemStatus.DONE and not item.reason.strip():
            raise InvalidInputError(
                _("This measure was not fully done: state the reason."),
                field=f"reason_{task_id}",
            )
    return [given[task_id] for task_id in sorted(tasks)]


def _checked_count(name: str, value: int | None) -> int | None:
    if value is not None and value < 0:
        message = _("A count is 0 or more, not %(value)s.") % {"value": value}
        raise InvalidInputError(message, field=name)
    return value


def report_submit(
    *,
    actor: Actor,
    report_id: int,
    items: Sequence[ItemInput],
    sites_inspected: int | None = None,
    vehicles_checked: int | None = None,
    enterprises_stopped: int | None = None,
    notes: str = "",
    photos: Sequence[tuple[str, bytes]] = (),
) -> DailyReport:
    """Submit a daily report: a status per task, the day's figures, notes and photos.

    Only the staff of the report's member unit (or the county's officers) submit it. After its
    deadline it is still accepted and marked late. Bad input raises ``InvalidInputError`` naming
    the field; nothing is stored.
    """
    report = report_for_user(actor, report_id)
    if not may_submit(actor, report):
        raise refuse(actor, action="report.submit", obj=report, message="not your unit's report")
    checked = _checked_items(report, items)
    counts = {
        "sites_inspected": _checked_count("sites_inspected", sites_inspected),
        "vehicles_checked": _checked_count("vehicles_checked", vehicles_checked),
        "enterprises_stopped": _checked_count("enterprises_stopped", enterprises_stopped),
    }
    stored_photos = [checked_photo(name, content) for name, content in photos]
    now = timezone.now()
    with transaction.atomic():
        before = report.snapshot()
        updated = DailyReport.objects.filter(
            pk=report.pk,
            state__in=(ReportState.DUE, ReportState.OVERDUE),
            version=report.version,
        ).update(
            state=ReportState.SUBMITTED,
            version=F("version") + 1,
            submitted_at=now,
            submitted_by=actor,
            late=now > report.due_at,
            notes=notes,
            **counts,
        )
        if updated != 1:
            raise ConflictError(_("This report was submitted already: reload the page."))
        ReportItem.objects.bulk_create(
            ReportItem(report=report, task_id=item.task_id, status=item.status, reason=item.reason)
            for item in checked
        )
        ReportPhoto.objects.bulk_create(
            ReportPhoto(report=report, uploaded_at=now, **photo) for photo in stored_photos
        )
        done = [item.task_id for item in checked if item.status == ItemStatus.DONE]
        Task.objects.filter(pk__in=done, state=TaskState.OPEN).update(
            state=TaskState.DONE, done_at=now
        )
        report.refresh_from_db()
        audit_record(
            actor=actor,
            action="report.submit",
            obj=report,
            before=before,
            after=report.snapshot(),
            message="late" if report.late else "",
        )
    return report
