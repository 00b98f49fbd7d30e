"""Daily reports of Dalian Xigang's member units, due at 17:00 the same day (seed 000 §5.1)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from flows import in_force
from page_text import assert_notice_speaks_one_language

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.errors import ConflictError, ForbiddenError, InvalidInputError
from hazeguard_platform.notices.models import Event, Notice
from hazeguard_platform.operations.models import (
    DailyReport,
    Reminder,
    ReportState,
    Task,
    TaskState,
)
from hazeguard_platform.operations.selectors import report_for_user, report_matrix
from hazeguard_platform.operations.services import (
    ItemInput,
    report_submit,
    reports_mark_overdue,
    reports_remind,
    reports_schedule,
)

from .conftest import xigang_orange

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 5)
# 17:00 China time on the first day of the response (09:00 UTC).
DUE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _report_of(user: User) -> DailyReport:
    unit = user.memberships.get().member_unit
    return DailyReport.objects.get(member_unit=unit, day=DAY)


def _all_done(report: DailyReport) -> list[ItemInput]:
    tasks = Task.objects.filter(response=report.response, assignee_key=report.assignee_key)
    return [ItemInput(task_id=task.pk, status="done") for task in tasks]


def test_it_schedules_one_report_per_unit_due_at_17_00_the_same_day(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)

    reports = DailyReport.objects.filter(day=DAY)
    units = set(Task.objects.values_list("assignee_key", flat=True))
    assert reports_schedule(now=DUE - timedelta(hours=7)) == []  # idempotent
    assert set(reports.values_list("assignee_key", flat=True)) == units
    assert {(r.due_at, r.deadline_clause, r.state) for r in reports} == {
        (DUE, "000 §5.1", ReportState.DUE)
    }


def test_a_report_before_17_00_is_on_time_and_marks_its_tasks_done(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    clock.move_to(DUE - timedelta(minutes=1))

    submitted = report_submit(
        actor=environment_officer,
        report_id=report.pk,
        items=_all_done(report),
        sites_inspected=12,
        vehicles_checked=40,
        enterprises_stopped=3,
        notes="全部落实",
        photos=[("site.jpg", JPEG), ("sign.png", PNG)],
    )

    assert submitted.state == ReportState.SUBMITTED
    assert not submitted.late
    assert (submitted.sites_inspected, submitted.vehicles_checked) == (12, 40)
    assert sorted(submitted.photos.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
    ]
    tasks = Task.objects.filter(assignee_key=report.assignee_key)
    assert {task.state for task in tasks} == {TaskState.DONE}
    assert report_matrix(jurisdiction=xigang.jurisdiction, now=DUE, days=1).rows
    assert AuditEntry.objects.filter(action="report.submit", outcome=Outcome.DONE).count() == 1


def test_a_report_after_17_00_is_accepted_and_marked_late(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    clock.move_to(DUE + timedelta(minutes=30))

    submitted = report_submit(
        actor=environment_officer, report_id=report.pk, items=_all_done(report)
    )

    assert submitted.state == ReportState.SUBMITTED
    assert submitted.late
    with pytest.raises(ConflictError):
        report_submit(actor=environment_officer, report_id=report.pk, items=_all_done(report))


def test_the_worker_marks_unsubmitted_reports_overdue_once(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)

    assert reports_mark_overdue(now=DUE - timedelta(seconds=1)) == []
    marked = reports_mark_overdue(now=DUE)
    again = reports_mark_overdue(now=DUE + timedelta(hours=1))

    assert report.pk in marked
    assert again == []
    assert DailyReport.objects.get(pk=report.pk).state == ReportState.OVERDUE
    assert AuditEntry.objects.filter(action="report.overdue").count() == len(marked)
    # An overdue report may still come in; it counts as late.
    clock.move_to(DUE + timedelta(hours=2))
    late = report_submit(actor=environment_officer, report_id=report.pk, items=_all_done(report))
    assert late.state == ReportState.SUBMITTED
    assert late.late


def test_the_command_runs_one_round_of_the_worker(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    clock.move_to(DUE + timedelta(days=1, minutes=1))  # past the second day's 17:00 too

    out = io.StringIO()
    call_command("work_reports", "--once", stdout=out)

    report = _report_of(environment_officer)
    second = DailyReport.objects.get(member_unit=report.member_unit, day=DAY + timedelta(days=1))
    assert report.state == ReportState.OVERDUE
    assert second.state == ReportState.OVERDUE
    assert "marked overdue" in out.getvalue()


def test_it_reminds_the_unit_two_hours_before_the_deadline_once(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)

    assert reports_remind(now=DUE - timedelta(hours=2, minutes=1)) == []
    sent = reports_remind(now=DUE - timedelta(hours=2))
    assert reports_remind(now=DUE - timedelta(hours=1)) == []

    reminder = Reminder.objects.get(report=report)
    assert reminder in sent
    assert reminder.due_at == DUE
    notice = Notice.objects.get(pk=reminder.notice_id)
    assert notice.event == Event.REMINDER
    assert list(notice.recipients.values_list("user", flat=True)) == [environment_officer.pk]
    assert notice.title == f"{report.assignee_name} 2026-01-05 信息报送提醒"
    assert_notice_speaks_one_language(notice, xigang.office_clerk)


def test_it_refuses_a_photo_that_is_not_jpeg_or_png(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)

    with pytest.raises(InvalidInputError) as error:
        report_submit(
            actor=environment_officer,
            report_id=report.pk,
            items=_all_done(report),
            photos=[("fake.jpg", b"GIF89a" + b"\x00" * 64)],
        )

    assert error.value.field == "photos"
    assert "fake.jpg" in error.value.message
    assert DailyReport.objects.get(pk=report.pk).state == ReportState.DUE


def test_it_refuses_a_photo_above_5_mb(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    big = JPEG + b"\x00" * (5 * 1024 * 1024)

    with pytest.raises(InvalidInputError) as error:
        report_submit(
            actor=environment_officer,
            report_id=report.pk,
            items=_all_done(report),
            photos=[("big.jpg", big)],
        )

    assert error.value.field == "photos"
    assert "5 MB" in error.value.message
    assert not report.photos.exists()


def test_it_requires_a_reason_for_a_measure_not_fully_done(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    items = _all_done(report)
    items[0] = ItemInput(task_id=items[0].task_id, status="partly", reason=" ")

    with pytest.raises(InvalidInputError) as error:
        report_submit(actor=environment_officer, report_id=report.pk, items=items)

    assert error.value.field == f"reason_{items[0].task_id}"
    assert DailyReport.objects.get(pk=report.pk).state == ReportState.DUE


def test_a_unit_cannot_read_or_submit_another_units_report(
    xigang: Staff,
    environment_officer: User,
    housing_officer: User,
    clock: time_machine.Coordinates,
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)

    with pytest.raises(ForbiddenError):
        report_for_user(housing_officer, report.pk)
    with pytest.raises(ForbiddenError):
        report_submit(actor=housing_officer, report_id=report.pk, items=_all_done(report))

    denials = AuditEntry.objects.filter(outcome=Outcome.DENIED, action="report.view")
    assert denials.count() == 2
    assert {d.actor_id for d in denials} == {housing_officer.pk}
    assert report_for_user(xigang.office_clerk, report.pk) == report  # the office oversees


def test_the_office_matrix_shows_on_time_late_overdue_and_not_due(
    xigang: Staff,
    environment_officer: User,
    housing_officer: User,
    clock: time_machine.Coordinates,
) -> None:
    xigang_orange(xigang, clock)
    on_time, late = _report_of(environment_officer), _report_of(housing_officer)
    clock.move_to(DUE - timedelta(hours=1))
    report_submit(actor=environment_officer, report_id=on_time.pk, items=_all_done(on_time))
    clock.move_to(DUE + timedelta(hours=1))
    report_submit(actor=housing_officer, report_id=late.pk, items=_all_done(late))
    reports_mark_overdue(now=DUE + timedelta(hours=1))
    reports_schedule(now=DUE + timedelta(hours=1))

    matrix = report_matrix(jurisdiction=xigang.jurisdiction, now=DUE + timedelta(hours=1), days=2)

    assert matrix.days == (DAY - timedelta(days=1), DAY)
    cells = {row.assignee_key: [cell.status for cell in row.cells] for row in matrix.rows}
    assert cells[on_time.assignee_key] == ["not_due", "on_time"]
    assert cells[late.assignee_key] == ["not_due", "late"]
    others = [v for k, v in cells.items() if k not in (on_time.assignee_key, late.assignee_key)]
    assert others
    assert all(v == ["not_due", "overdue"] for v in others)


def test_kashgar_reports_on_the_previous_day_by_the_end_of_the_next(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(kashgar, clock, "orange")  # in force from 08:00 China time on 5 January 2026

    reports_schedule(now=datetime(2026, 1, 6, 1, 0, tzinfo=UTC))

    # "每日报送前1日应急响应情况" (001 §5.1): 5 January's report by 24:00 on 6 January.
    days = DailyReport.objects.values_list("day", "due_at", "deadline_clause").distinct()
    assert set(days) == {
        (DAY, datetime(2026, 1, 6, 16, 0, tzinfo=UTC), "001 §5.1"),
        (DAY + timedelta(days=1), datetime(2026, 1, 7, 16, 0, tzinfo=UTC), "001 §5.1"),
    }
    counties = kashgar.jurisdiction.children.count()
    # The prefecture's response (each county warning's own response reports to the county).
    city = DailyReport.objects.filter(response__jurisdiction=kashgar.jurisdiction)
    assert city.filter(day=DAY, county__isnull=False).count() == counties
