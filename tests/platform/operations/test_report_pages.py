"""The report pages: a unit's staff submit their own report; others get 403; bad input 400."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.operations.models import DailyReport, ReportState, Task

from .conftest import xigang_orange
from .test_daily_reports import DUE, JPEG, _report_of

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(report: DailyReport) -> dict[str, object]:
    data: dict[str, object] = {"sites_inspected": "5", "vehicles_checked": "", "notes": "ok"}
    for task in Task.objects.filter(response=report.response, assignee_key=report.assignee_key):
        data[f"status_{task.pk}"] = "done"
    return data


def test_the_unit_submits_its_report_with_a_photo_through_the_page(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    client = _client(environment_officer)

    page = client.get(f"/operations/reports/{report.pk}/")
    data = _form(report) | {"photos": SimpleUploadedFile("site.jpg", JPEG, "image/jpeg")}
    answer = client.post(f"/operations/reports/{report.pk}/", data)

    assert page.status_code == 200
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.sites_inspected == 5
    photo = report.photos.get()
    assert client.get(f"/operations/reports/{report.pk}/photos/{photo.pk}/").content == JPEG
    listing = client.get("/operations/").content
    assert f'data-report="{report.pk}" data-status="on_time"'.encode() in listing


def test_the_page_answers_400_naming_the_missing_reason_and_stores_nothing(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    task = Task.objects.filter(assignee_key=report.assignee_key).first()
    assert task is not None
    data = _form(report) | {f"status_{task.pk}": "not_done", f"reason_{task.pk}": ""}

    answer = _client(environment_officer).post(f"/operations/reports/{report.pk}/", data)

    assert answer.status_code == 400
    assert f'data-field="reason_{task.pk}"'.encode() in answer.content
    assert DailyReport.objects.get(pk=report.pk).state == ReportState.DUE


def test_the_page_answers_400_for_a_photo_that_is_not_an_image(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    fake = SimpleUploadedFile("notes.png", b"%PDF-1.7 not a photo", "image/png")

    answer = _client(environment_officer).post(
        f"/operations/reports/{report.pk}/", _form(report) | {"photos": fake}
    )

    assert answer.status_code == 400
    assert b'data-field="photos"' in answer.content
    assert not report.photos.exists()


def test_the_page_refuses_a_photo_over_5_mb_naming_it_before_reading_it_all(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    big = SimpleUploadedFile("工地.jpg", JPEG + b"\x00" * (5 * 1024 * 1024), "image/jpeg")

    answer = _client(environment_officer).post(
        f"/operations/reports/{report.pk}/", _form(report) | {"photos": big}
    )

    assert answer.status_code == 400
    assert b'data-field="photos"' in answer.content
    assert "工地.jpg: the file is larger than 5 MB" in answer.content.decode()
    assert not report.photos.exists()


def test_another_unit_gets_403_and_the_refusal_is_audited(
    xigang: Staff,
    environment_officer: User,
    housing_officer: User,
    clock: time_machine.Coordinates,
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    client = _client(housing_officer)

    assert client.get(f"/operations/reports/{report.pk}/").status_code == 403
    assert client.post(f"/operations/reports/{report.pk}/", _form(report)).status_code == 403
    assert client.get(f"/operations/{xigang.jurisdiction.code}/matrix/").status_code == 403
    assert AuditEntry.objects.filter(actor=housing_officer, outcome=Outcome.DENIED).count() == 3
    assert DailyReport.objects.get(pk=report.pk).state == ReportState.DUE


def test_the_office_sees_the_matrix_page(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    xigang_orange(xigang, clock)
    report = _report_of(environment_officer)
    clock.move_to(DUE + timedelta(minutes=5))

    page = _client(xigang.office_clerk).get(f"/operations/{xigang.jurisdiction.code}/matrix/")

    assert page.status_code == 200
    row = f'data-assignee="{report.assignee_key}"'.encode()
    assert row in page.content
    assert b'data-day="2026-01-05" data-status="overdue"' in page.content


def test_the_matrix_page_answers_400_for_a_bad_number_of_days(xigang: Staff) -> None:
    page = _client(xigang.office_clerk).get(
        f"/operations/{xigang.jurisdiction.code}/matrix/", {"days": "-3"}
    )

    assert page.status_code == 400
    assert b'data-field="days"' in page.content
