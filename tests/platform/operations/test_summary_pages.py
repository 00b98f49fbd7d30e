"""The summary-report pages: a county sends its summary with an attachment, another county gets
403 (audited), a bad file 400 naming the field, and the office sees every unit's timeliness
and accepts or returns each summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import MakePerson, Staff
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.operations.models import SummaryReport, SummaryState
from hazeguard_platform.operations.summary_deadlines import summaries_mark_overdue
from hazeguard_platform.operations.summary_services import summary_report_submit

from .summary_flows import DUE_2024, county_officer, liaocheng_lifted_before_national_day
from .test_summary_reports import CONTENT, PDF

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _summary(code: str) -> SummaryReport:
    return SummaryReport.objects.get(county__code=code)


@pytest.fixture
def officers(liaocheng: Staff, make_person: MakePerson) -> dict[str, User]:
    """The officers of three of Liaocheng's counties."""
    codes = ("dongchangfu", "guanxian", "linqing")
    return {code: county_officer(make_person, liaocheng, code) for code in codes}


def test_the_county_sends_its_summary_with_a_pdf_through_the_page(
    liaocheng: Staff, officers: dict[str, User], clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary("dongchangfu")
    client = _client(officers["dongchangfu"])

    listing = client.get("/operations/summaries/").content.decode()
    form = client.get(f"/operations/summaries/{summary.pk}/")
    data = CONTENT | {"attachment": SimpleUploadedFile("总结.pdf", PDF, "application/pdf")}
    answer = client.post(f"/operations/summaries/{summary.pk}/", data)

    assert 'href="/operations/summaries/"' in listing  # the menu entry
    assert f'data-summary="{summary.pk}" data-timeliness="pending"' in listing
    assert form.status_code == 200
    assert b'id="summary-form"' in form.content
    assert answer.status_code == 302
    page = client.get(f"/operations/summaries/{summary.pk}/").content.decode()
    assert 'data-timeliness="on_time"' in page
    assert CONTENT["problems_found"] in page
    download = client.get(f"/operations/summaries/{summary.pk}/attachment/1/")
    assert (download.content, download["Content-Type"]) == (PDF, "application/pdf")


def test_the_page_answers_400_naming_the_attachment_and_stores_nothing(
    liaocheng: Staff, officers: dict[str, User], clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary("dongchangfu")
    photo = SimpleUploadedFile("总结.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "application/pdf")

    answer = _client(officers["dongchangfu"]).post(
        f"/operations/summaries/{summary.pk}/", CONTENT | {"attachment": photo}
    )

    assert answer.status_code == 400
    assert b'data-field="attachment"' in answer.content
    assert not summary.revisions.exists()


def test_another_county_gets_403_audited_and_an_unknown_summary_404(
    liaocheng: Staff, officers: dict[str, User], clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary("dongchangfu")
    client = _client(officers["guanxian"])

    read = client.get(f"/operations/summaries/{summary.pk}/")
    post = client.post(f"/operations/summaries/{summary.pk}/", CONTENT)
    office = client.get(f"/operations/responses/{summary.response_id}/summaries/")
    unknown = client.get(f"/operations/summaries/{summary.pk + 10_000}/")

    assert (read.status_code, post.status_code, office.status_code) == (403, 403, 403)
    assert unknown.status_code == 404
    refusals = AuditEntry.objects.filter(actor=officers["guanxian"], outcome=Outcome.DENIED)
    assert set(refusals.values_list("action", flat=True)) == {"summary.view", "summary.list"}
    assert not summary.revisions.exists()


def test_the_office_sees_each_unit_on_time_late_or_overdue_and_returns_then_accepts(
    liaocheng: Staff, officers: dict[str, User], clock: time_machine.Coordinates
) -> None:
    response = liaocheng_lifted_before_national_day(liaocheng, clock)
    on_time = _summary("dongchangfu")
    summary_report_submit(actor=officers["dongchangfu"], summary_id=on_time.pk, **CONTENT)
    summaries_mark_overdue(now=DUE_2024)
    clock.move_to(DUE_2024 + timedelta(days=1))  # Wednesday 9 October: 1 working day late
    late = _summary("linqing")
    summary_report_submit(actor=officers["linqing"], summary_id=late.pk, **CONTENT)
    office = _client(liaocheng.office_clerk)

    page = office.get(f"/operations/responses/{response.pk}/summaries/").content.decode()
    listing = office.get("/operations/summaries/").content.decode()

    dongchangfu, linqing = on_time.assignee_key, late.assignee_key
    guanxian = _summary("guanxian").assignee_key
    assert f'data-assignee="{dongchangfu}" data-timeliness="on_time"' in page
    assert f'data-assignee="{linqing}" data-timeliness="late"' in page
    assert "迟报 1 个工作日" in page
    assert f'data-assignee="{guanxian}" data-timeliness="overdue"' in page
    assert page.count("data-assignee=") == liaocheng.jurisdiction.children.count()
    assert f'href="/operations/responses/{response.pk}/summaries/"' in listing

    no_reason = office.post(f"/operations/summaries/{late.pk}/return/", {"reason": ""})
    returned = office.post(f"/operations/summaries/{late.pk}/return/", {"reason": "缺少数据"})
    accepted = office.post(f"/operations/summaries/{on_time.pk}/accept/")
    twice = office.post(f"/operations/summaries/{on_time.pk}/accept/")

    assert no_reason.status_code == 400
    assert b'data-field="reason"' in no_reason.content
    assert (returned.status_code, accepted.status_code, twice.status_code) == (302, 302, 409)
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.state, late.return_reason) == (SummaryState.RETURNED, "缺少数据")
    assert on_time.state == SummaryState.ACCEPTED
    county_page = _client(officers["linqing"]).get(f"/operations/summaries/{late.pk}/")
    assert "缺少数据" in county_page.content.decode()


def test_a_unit_cannot_accept_its_own_summary(
    liaocheng: Staff, officers: dict[str, User], clock: time_machine.Coordinates
) -> None:
    liaocheng_lifted_before_national_day(liaocheng, clock)
    summary = _summary("dongchangfu")
    summary_report_submit(actor=officers["dongchangfu"], summary_id=summary.pk, **CONTENT)
    clock.move_to(datetime(2024, 10, 1, 0, 0, tzinfo=UTC))

    answer = _client(officers["dongchangfu"]).post(f"/operations/summaries/{summary.pk}/accept/")

    assert answer.status_code == 403
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED
