"""The office's list upload: a file that is not a workbook is refused at once, before it is
queued; the page links the Excel template to fill in."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from conftest import Staff
from hazeguard_platform.enterprises.models import ListImport

pytestmark = pytest.mark.django_db


def _office(liaocheng: Staff) -> Client:
    client = Client()
    client.force_login(liaocheng.office_clerk)
    return client


def test_an_xlsx_that_is_not_a_workbook_is_refused_at_once_in_the_page_language(
    liaocheng: Staff,
) -> None:
    fake = SimpleUploadedFile("清单.xlsx", "企业名称,信用代码\n".encode(), content_type="text/csv")

    response = _office(liaocheng).post("/enterprises/list/liaocheng/", {"file": fake})

    assert response.status_code == 400
    page = response.content.decode()
    assert "清单.xlsx 不是 Excel 工作簿（.xlsx）" in page
    assert not ListImport.objects.exists()  # nothing queued


def test_the_list_page_links_the_excel_template_which_is_a_workbook(liaocheng: Staff) -> None:
    office = _office(liaocheng)
    page = office.get("/enterprises/list/liaocheng/").content.decode()

    assert 'href="/enterprises/list/liaocheng/template.xlsx"' in page
    template = office.get("/enterprises/list/liaocheng/template.xlsx")
    assert template.status_code == 200
    workbook = load_workbook(io.BytesIO(template.content))
    assert workbook.sheetnames  # a real workbook, with its sheets
