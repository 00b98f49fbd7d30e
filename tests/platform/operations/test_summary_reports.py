"""Summary reports (总结报告) owed after a response ends, due in working days on the Chinese
calendar: Liaocheng's counties within 3 working days (003 §4.9), Xigang's member units the same
day (000 §5.2), Chaoyang's bureaus by their department plans (002 §五(三)1, 004 §4)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import docx
import pytest
import time_machine
from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone, translation
from flows import in_force
from page_text import assert_notice_speaks_one_language

from conftest import MakePerson, Staff
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.errors import ConflictError, ForbiddenError, InvalidInputError
from hazeguard_platform.jurisdictions.models import MemberUnit
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.notices.models import Event, Notice
from hazeguard_platform.operations.models import SummaryReport, SummaryRevision, SummaryState
from hazeguard_platform.operations.summary_deadlines import (
    summaries_mark_overdue,
    summaries_remind,
    summaries_schedule,
    summary_due,
)
from hazeguard_platform.operations.summary_selectors import (
    LATE,
    ON_TIME,
    OVERDUE,
    lateness,
    response_summary_rows,
)
from hazeguard_platform.operations.summary_services import (
    summary_report_accept,
    summary_report_return,
    summary_report_submit,
)

from .conftest import xigang_orange
from .summary_flows import (
    DUE_2024,
    LIFTED_2024,
    county_officer,
    liaocheng_lifted_before_national_day,
    lifted,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CONTENT = {
    "measures_taken": "全区停止土石方作业，重点企业按一厂一策限产。",
    "results": "PM2.5 日均浓度较预警前下降 18%。",
    "problems_found": "个别工地夜间违规施工。",
    "improvements_proposed": "加强夜间巡查。",
}


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("应急响应总结")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _summary_of(user: User) -> SummaryReport:
    membership = user.memberships.get()
    if membership.member_unit_id is not None:
        return SummaryReport.objects.get(member_unit_id=membership.member_unit_id)
    return SummaryReport.objects.get(county_id=membership.jurisdiction_id)


@pytest.fixture
def dongchangfu(liaocheng: Staff, make_person: MakePerson) -> User:
    return county_officer(make_person, liaocheng, "dongchangfu")


@pytest.fixture
def guanxian(liaocheng: Staff, make_person: MakePerson) -> User:
    return county_officer(make_person, liaocheng, "guanxian")


def test_lifting_owes_every_county_a_summary_due_3_working_days_later_across_national_day(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    response = liaocheng_lifted_before_national_day(liaocheng, clock)

    summaries = SummaryReport.objects.filter(response=response)
    counties = set(liaocheng.jurisdiction.children.values_list("pk", flat=True))
    assert set(summaries.values_list("county_id", flat=True)) == counties
    # Sunday 29 September 2024 is an adjusted working day and 1-7 October are holidays: the
    # third working day after Friday 27 September is Tuesday 8 October (not 2 or 9 October).
    assert {(s.due_at, s.deadline_clause, s.state) for s in summaries} == {
        (DUE_2024, "003 §4.9", SummaryState.DUE)
    }
    assert summaries_schedule(now=LIFTED_2024 + timedelta(hours=1)) == []  # idempotent


def test_a_summary_sent_before_the_deadline_is_on_time_and_keeps_its_attachment(
    liaocheng: Staff, dongchangfu: User, clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary_of(dongchangfu)
    clock.move_to(datetime(2024, 9, 30, 8, 0, tzinfo=UTC))

    sent = summary_report_submit(
        actor=dongchangfu, summary_id=summary.pk, attachment=("总结.docx", _docx()), **CONTENT
    )

    assert (sent.state, sent.late, sent.late_working_days) == (SummaryState.SUBMITTED, False, None)
    revision = sent.revisions.get()
    assert revision.attachment_type.endswith("wordprocessingml.document")
    assert (revision.results, revision.submitted_by) == (CONTENT["results"], dongchangfu)
    assert AuditEntry.objects.filter(action="summary.submit", actor=dongchangfu).exists()


def test_the_reminder_comes_a_day_before_and_the_overdue_mark_at_the_deadline(
    liaocheng: Staff, dongchangfu: User, clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary_of(dongchangfu)

    assert summaries_remind(now=DUE_2024 - timedelta(days=1, minutes=1)) == []
    reminded = summaries_remind(now=DUE_2024 - timedelta(hours=23))
    assert summary.pk in reminded
    assert summaries_remind(now=DUE_2024 - timedelta(hours=1)) == []  # once per summary
    reminder = Notice.objects.get(event=Event.REMINDER, recipients__user=dongchangfu)
    assert "2024-10-08 10:00" in reminder.body

    assert summaries_mark_overdue(now=DUE_2024 - timedelta(seconds=1)) == []
    overdue = summaries_mark_overdue(now=DUE_2024)
    assert summary.pk in overdue
    assert summaries_mark_overdue(now=DUE_2024 + timedelta(hours=1)) == []  # idempotent
    summary.refresh_from_db()
    assert summary.state == SummaryState.OVERDUE
    assert Notice.objects.filter(event=Event.OVERDUE, recipients__user=dongchangfu).exists()
    assert AuditEntry.objects.filter(action="summary.overdue", object_id=str(summary.pk)).exists()
    rows = response_summary_rows(summary.response, DUE_2024)
    assert {row.summary.pk: row.timeliness for row in rows}[summary.pk] == OVERDUE


def test_an_overdue_summary_is_still_accepted_and_flagged_late_by_working_days(
    liaocheng: Staff, dongchangfu: User, clock: time_machine.Coordinates
) -> None:
    response = liaocheng_lifted_before_national_day(liaocheng, clock)
    summaries_mark_overdue(now=DUE_2024)
    # Thursday 10 October, 11:00: two working days (9 and 10 October) after the due day.
    clock.move_to(datetime(2024, 10, 10, 3, 0, tzinfo=UTC))

    sent = summary_report_submit(
        actor=dongchangfu, summary_id=_summary_of(dongchangfu).pk, **CONTENT
    )

    assert (sent.state, sent.late, sent.late_working_days) == (SummaryState.SUBMITTED, True, 2)
    with translation.override("zh-hans"):
        assert lateness(sent) == "迟报 2 个工作日"
    with translation.override("en"):
        assert lateness(sent) == "Late by 2 working days"
    rows = response_summary_rows(response, timezone.now())
    assert {row.summary.pk: row.timeliness for row in rows}[sent.pk] == LATE
    assert AuditEntry.objects.get(action="summary.submit").message == "late"


def test_another_county_can_neither_read_nor_submit_the_summary_and_is_audited(
    liaocheng: Staff, dongchangfu: User, guanxian: User, clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    theirs = _summary_of(dongchangfu)

    with pytest.raises(ForbiddenError):
        summary_report_submit(actor=guanxian, summary_id=theirs.pk, **CONTENT)
    with pytest.raises(Http404):
        summary_report_submit(actor=guanxian, summary_id=theirs.pk + 10_000, **CONTENT)

    refusal = AuditEntry.objects.get(actor=guanxian, outcome=Outcome.DENIED)
    assert (refusal.action, refusal.object_id) == ("summary.view", str(theirs.pk))
    assert not SummaryRevision.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "只接受 PDF 或 Word"),
        ("sheet.docx", b"PK\x03\x04not really a zip", "只接受 PDF 或 Word"),
        ("big.pdf", PDF + b"\x00" * (10 * 1024 * 1024), "超过 10 MB 的上限"),
    ],
    ids=["png-named-pdf", "not-a-zip", "above-10-mb"],
)
def test_it_refuses_an_attachment_that_is_not_a_small_pdf_or_docx_naming_the_field(
    liaocheng: Staff,
    dongchangfu: User,
    clock: time_machine.Coordinates,
    name: str,
    content: bytes,
    message: str,
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary_of(dongchangfu)

    with pytest.raises(InvalidInputError, match=message) as refused:
        summary_report_submit(
            actor=dongchangfu, summary_id=summary.pk, attachment=(name, content), **CONTENT
        )

    assert refused.value.field == "attachment"
    assert name in refused.value.message
    summary.refresh_from_db()
    assert (summary.state, summary.revisions.count()) == (SummaryState.DUE, 0)


def test_it_refuses_a_summary_without_its_results_naming_the_field(
    liaocheng: Staff, dongchangfu: User, clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)

    with pytest.raises(InvalidInputError) as refused:
        summary_report_submit(
            actor=dongchangfu,
            summary_id=_summary_of(dongchangfu).pk,
            **{**CONTENT, "results": "  "},
        )

    assert refused.value.field == "results"


def test_the_summary_notices_speak_the_readers_language(
    liaocheng: Staff, dongchangfu: User, guanxian: User, clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summaries_remind(now=DUE_2024 - timedelta(hours=23))
    summary = _summary_of(dongchangfu)
    summary_report_submit(actor=dongchangfu, summary_id=summary.pk, **CONTENT)
    summary_report_return(
        actor=liaocheng.office_clerk, summary_id=summary.pk, reason="缺少扬尘源管控成效数据"
    )
    summaries_mark_overdue(now=DUE_2024)  # Guanxian's, never sent
    told = Notice.objects.filter(object_type="operations.summaryreport")
    assert sorted(told.values_list("title_en", flat=True).distinct()) == [
        "Dongchangfu District: summary report due",
        "Dongchangfu District: summary report returned",
        "Guan County: summary report due",
        "Guan County: summary report overdue",
    ]
    for notice in told.filter(recipients__user__in=[dongchangfu, guanxian]).distinct():
        assert_notice_speaks_one_language(notice, liaocheng.office_clerk)


def test_the_office_returns_a_summary_and_the_second_submission_keeps_the_first(
    liaocheng: Staff, dongchangfu: User, clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary_of(dongchangfu)
    summary_report_submit(
        actor=dongchangfu, summary_id=summary.pk, attachment=("总结.pdf", PDF), **CONTENT
    )
    with pytest.raises(ForbiddenError):
        summary_report_accept(actor=dongchangfu, summary_id=summary.pk)  # not the office
    with pytest.raises(InvalidInputError) as no_reason:
        summary_report_return(actor=liaocheng.office_clerk, summary_id=summary.pk, reason="")
    assert no_reason.value.field == "reason"

    returned = summary_report_return(
        actor=liaocheng.office_clerk, summary_id=summary.pk, reason="缺少扬尘源管控成效数据"
    )
    assert returned.state == SummaryState.RETURNED
    assert returned.return_reason == "缺少扬尘源管控成效数据"
    told = Notice.objects.get(event=Event.REMINDER, recipients__user=dongchangfu)
    assert "缺少扬尘源管控成效数据" in told.body

    clock.move_to(DUE_2024 + timedelta(days=3))  # sent again after the deadline: still on time
    again = summary_report_submit(
        actor=dongchangfu,
        summary_id=summary.pk,
        **{**CONTENT, "results": "PM2.5 下降 18%，扬尘源检查工地 42 处。"},
    )
    assert (again.state, again.late) == (SummaryState.SUBMITTED, False)
    first, second = again.revisions.order_by("number")
    assert (first.results, first.attachment_name) == (CONTENT["results"], "总结.pdf")
    assert second.results.startswith("PM2.5 下降 18%，扬尘源")
    assert AuditEntry.objects.filter(action="summary.resubmit").count() == 1

    accepted = summary_report_accept(actor=liaocheng.office_director, summary_id=summary.pk)
    assert accepted.state == SummaryState.ACCEPTED
    assert accepted.reviewed_by == liaocheng.office_director
    with pytest.raises(ConflictError):
        summary_report_submit(actor=dongchangfu, summary_id=summary.pk, **CONTENT)
    rows = {row.summary.pk: row for row in response_summary_rows(accepted.response, timezone.now())}
    assert (rows[summary.pk].timeliness, rows[summary.pk].revisions) == (ON_TIME, 2)


def test_xigangs_member_units_owe_their_summary_by_midnight_of_the_day_it_ended(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    warning = xigang_orange(xigang, clock)
    # Lifted at 15:00 China time on 6 January 2026.
    response = lifted(xigang, clock, warning, at=datetime(2026, 1, 6, 7, 0, tzinfo=UTC))

    summaries = SummaryReport.objects.filter(response=response)
    assert summaries.exists()
    assert not summaries.filter(county_id=xigang.jurisdiction.pk).exists()  # not to itself
    assert summaries.filter(member_unit__isnull=True).count() == 0
    # "在每次应急响应终止当日形成总结报告" (000 §5.2): 24:00 China time that day.
    assert {(s.due_at, s.deadline_clause) for s in summaries} == {
        (datetime(2026, 1, 6, 16, 0, tzinfo=UTC), "000 §5.2")
    }
    # Within a day of its deadline at once: the worker reminds the unit on its next round.
    mine = _summary_of(environment_officer)
    assert mine.pk in summaries_remind(now=datetime(2026, 1, 6, 7, 1, tzinfo=UTC))


def test_chaoyangs_bureaus_follow_their_department_plans_and_its_counties_the_earliest(
    db: None,
) -> None:
    version = plan_import(actor=None, plan_id="chaoyang-2024")
    units = {u.code: u for u in MemberUnit.objects.filter(jurisdiction=version.jurisdiction)}
    ended = datetime(2024, 9, 27, 2, 0, tzinfo=UTC)  # Friday 27 September 2024, 10:00

    industry = summary_due(version.snapshot, units["industry_it"], ended)
    environment = summary_due(version.snapshot, units["ecology_environment"], ended)
    county = summary_due(version.snapshot, None, ended)

    assert industry is not None
    assert environment is not None
    assert county is not None
    # 5 working days (004 §4): 29, 30 September, then 8, 9, 10 October.
    assert (industry.deadline.clause, industry.due_at) == (
        "004 §4",
        datetime(2024, 10, 10, 2, 0, tzinfo=UTC),
    )
    # 10:00 the next day (002 §五(三)1), holiday or not.
    assert (environment.deadline.clause, environment.due_at) == (
        "002 §五(三)1",
        datetime(2024, 9, 28, 2, 0, tzinfo=UTC),
    )
    assert county.deadline.clause == "002 §五(三)1"


def test_a_deadline_running_into_a_year_without_a_holiday_notice_is_left_unknown(
    db: None,
) -> None:
    version = plan_import(actor=None, plan_id="liaocheng-2020")

    due = summary_due(version.snapshot, None, datetime(2026, 12, 30, 2, 0, tzinfo=UTC))

    assert due is not None
    assert due.due_at is None
    assert "2027" in due.error


def test_kashgars_assignees_owe_their_summary_within_a_day_of_the_end(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(kashgar, clock, "orange")
    clock.shift(timedelta(days=2, hours=3))
    response = lifted(kashgar, clock, warning, at=timezone.now())

    summaries = SummaryReport.objects.filter(response=response)
    counties = set(kashgar.jurisdiction.children.values_list("pk", flat=True))
    # "每次重污染天气应急响应解除后1日内，发生重污染天气的县市……报送" (001 §5.1).
    assert counties <= set(summaries.values_list("county_id", flat=True))
    assert response.closed_at is not None
    assert {(s.due_at, s.deadline_clause) for s in summaries} == {
        (response.closed_at + timedelta(days=1), "001 §5.1")
    }
