"""Inspection → violation → penalty → proposed downgrade → the office confirms the new grade
(seed 000 监督检查: 依法处罚，并按规定下调绩效分级)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from enterprises.list_helpers import Firms
from flows import in_force

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.errors import ConflictError, ForbiddenError, InvalidInputError
from hazeguard_platform.operations.photos import MAX_PHOTO_BYTES
from hazeguard_platform.supervision.models import GradeDowngrade, Inspection, InspectionPhoto
from hazeguard_platform.supervision.services import grade_downgrade_confirm, inspection_record

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _violation(inspector: User, firm: ListedEnterprise) -> Inspection:
    return inspection_record(
        actor=inspector,
        enterprise_id=firm.pk,
        kind="tour",
        inspected_at=timezone.now() - timedelta(hours=1),
        findings="1号熟料生产线仍在生产，未按橙色预警停产",
        violation=True,
        penalty="责令改正，罚款十万元",
        photos=[("kiln.jpg", JPEG), ("meter.png", PNG)],
    )


def test_an_inspection_stores_its_findings_and_checked_photos(
    liaocheng: Staff, firms: Firms, inspector: User, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "orange")
    inspection = inspection_record(
        actor=inspector,
        enterprise_id=firms.cement.pk,
        kind="on_site",
        inspected_at=timezone.now(),
        findings="熟料线已停产，水泥磨限产50%",
        photos=[("kiln.jpg", JPEG)],
    )
    assert (inspection.warning, inspection.violation) == (warning, False)
    photo = InspectionPhoto.objects.get()
    assert (photo.filename, photo.content_type) == ("kiln.jpg", "image/jpeg")
    assert not GradeDowngrade.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [("report.pdf", b"%PDF-1.7 ..."), ("big.jpg", JPEG + b"\x00" * MAX_PHOTO_BYTES)],
)
def test_it_rejects_a_photo_of_the_wrong_type_or_too_large(
    firms: Firms, inspector: User, name: str, data: bytes
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        inspection_record(
            actor=inspector, enterprise_id=firms.cement.pk, kind="tour",
            inspected_at=timezone.now(), findings="检查", photos=[(name, data)],
        )  # fmt: skip
    assert refused.value.field == "photos"
    assert name in refused.value.message
    assert not Inspection.objects.exists()


def test_a_violation_needs_its_penalty(firms: Firms, inspector: User) -> None:
    with pytest.raises(InvalidInputError) as refused:
        inspection_record(
            actor=inspector, enterprise_id=firms.cement.pk, kind="tour",
            inspected_at=timezone.now(), findings="未停产", violation=True,
        )  # fmt: skip
    assert refused.value.field == "penalty"


def test_an_enterprise_contact_cannot_record_an_inspection(firms: Firms) -> None:
    with pytest.raises(ForbiddenError):
        inspection_record(
            actor=firms.cement_contact, enterprise_id=firms.cement.pk, kind="tour",
            inspected_at=timezone.now(), findings="自查",
        )  # fmt: skip
    assert AuditEntry.objects.filter(action="inspection.record", outcome="denied").exists()


def test_a_violation_leads_to_a_penalty_and_a_proposed_downgrade_the_office_confirms(
    liaocheng: Staff, firms: Firms, inspector: User
) -> None:
    inspection = _violation(inspector, firms.cement)
    assert inspection.penalty.description == "责令改正，罚款十万元"
    proposal = GradeDowngrade.objects.get()
    assert (proposal.from_grade, proposal.to_grade, proposal.state) == ("B", "C", "proposed")
    firms.cement.refresh_from_db()
    assert firms.cement.grade == "B"  # nothing changes on the list before the office confirms

    enterprise = grade_downgrade_confirm(proposal=proposal, actor=liaocheng.office_director)
    assert enterprise.grade == "C"
    assert ListedEnterprise.objects.get(pk=firms.cement.pk).grade == "C"
    entry = AuditEntry.objects.get(action="enterprise.grade_downgrade")
    assert (entry.before, entry.after["grade"]) == ({"grade": "B"}, "C")
    assert entry.actor == liaocheng.office_director
    with pytest.raises(ConflictError):
        grade_downgrade_confirm(proposal=proposal, actor=liaocheng.office_director)


def test_the_inspector_cannot_confirm_a_downgrade(
    liaocheng: Staff, firms: Firms, inspector: User
) -> None:
    _violation(inspector, firms.cement)
    with pytest.raises(ForbiddenError):
        grade_downgrade_confirm(proposal=GradeDowngrade.objects.get(), actor=inspector)
    assert ListedEnterprise.objects.get(pk=firms.cement.pk).grade == "B"


def test_the_lowest_grade_gets_a_penalty_and_no_downgrade(firms: Firms, inspector: User) -> None:
    firms.chemicals.grade = "D"
    firms.chemicals.save(update_fields=["grade"])
    inspection = _violation(inspector, firms.chemicals)
    assert inspection.penalty is not None
    assert not GradeDowngrade.objects.exists()


def test_the_pages_record_an_inspection_with_photos_and_confirm_the_downgrade(
    liaocheng: Staff, firms: Firms, inspector: User
) -> None:
    client = Client()
    client.force_login(inspector)
    response = client.post(
        f"/supervision/enterprise/{firms.cement.pk}/inspect/",
        {
            "kind": "tour",
            "inspected_at": "2020-01-05 10:00",
            "findings": "未停产",
            "violation": "on",
            "penalty": "罚款",
            "photos": [SimpleUploadedFile("a.jpg", JPEG), SimpleUploadedFile("b.png", PNG)],
        },
    )
    assert response.status_code == 302
    assert InspectionPhoto.objects.count() == 2
    office = Client()
    office.force_login(liaocheng.office_director)
    page = office.get("/supervision/downgrades/liaocheng/")
    assert "B → C" in page.content.decode()
    proposal = GradeDowngrade.objects.get()
    assert office.post(f"/supervision/downgrade/{proposal.pk}/confirm/").status_code == 302
    assert ListedEnterprise.objects.get(pk=firms.cement.pk).grade == "C"


def test_the_inspection_page_refuses_a_pdf_naming_the_photos_field(
    firms: Firms, inspector: User
) -> None:
    client = Client()
    client.force_login(inspector)
    response = client.post(
        f"/supervision/enterprise/{firms.cement.pk}/inspect/",
        {"kind": "tour", "inspected_at": "2020-01-05 10:00", "findings": "检查",
         "photos": [SimpleUploadedFile("x.pdf", b"%PDF-1.7")]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "x.pdf：只接受 JPEG 或 PNG 照片" in response.content.decode()
    assert not Inspection.objects.exists()


def test_staff_see_the_photos_and_the_enterprise_contact_does_not(
    liaocheng: Staff, firms: Firms, inspector: User
) -> None:
    _violation(inspector, firms.cement)
    photo = InspectionPhoto.objects.get(filename="kiln.jpg")
    office = Client()
    office.force_login(liaocheng.office_clerk)
    page = office.get(f"/enterprises/{firms.cement.pk}/").content.decode()
    assert f"/supervision/photo/{photo.pk}/" in page
    response = office.get(f"/supervision/photo/{photo.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert response.content == JPEG
    contact = Client()
    contact.force_login(firms.cement_contact)
    assert contact.get(f"/supervision/photo/{photo.pk}/").status_code == 403
    assert (
        "/supervision/photo/"
        not in contact.get(f"/enterprises/{firms.cement.pk}/").content.decode()
    )
