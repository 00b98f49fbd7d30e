"""The office's list pages: one page of the list at a time in a fixed number of queries, search
and grade filter, and an upload that the worker imports while its status page tells the state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from flows import in_force
from pytest_django import DjangoAssertNumQueries

from conftest import Staff
from hazeguard.reduction.io_excel import ListWorkbook, write_workbook
from hazeguard.reduction.synthetic import generate_city
from hazeguard_platform.enterprises.list_views import PAGE_SIZE
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport

from .list_helpers import CEMENT_CODE, Firms, import_list, spoil, write_list

pytestmark = pytest.mark.django_db

LIST = "/enterprises/list/liaocheng/"
ROW = re.compile(r'<td data-label="[^"]*"><a href="/enterprises/\d+/">')
# Session, user, place, membership, warning in force, count of the list, count of the match,
# the page, acknowledgements (count and page), today's reports, the uploads.
LIST_QUERIES = 14


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _city(staff: Staff, folder: Path, enterprises: int) -> None:
    """A synthetic list of ``enterprises`` imported over the two of ``firms``."""
    path = folder / "city.xlsx"
    write_workbook(ListWorkbook(generate_city(enterprises, 3, jurisdiction="聊城市")), path)
    import_list(staff.office_clerk, staff.jurisdiction, path)


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_list_page_shows_one_page_in_the_same_queries_for_2_or_250_enterprises(
    liaocheng: Staff,
    firms: Firms,
    clock: time_machine.Coordinates,
    tmp_path: Path,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    in_force(liaocheng, clock, "red")
    client = _client(liaocheng.office_clerk)
    with_two = _queries(client, LIST)
    _city(liaocheng, tmp_path, 250)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST)

    assert _queries(client, LIST) == with_two
    page = response.content.decode()
    assert len(ROW.findall(page)) == PAGE_SIZE
    assert "第 1 / 3 页" in page
    assert "已确认 0 / 250" in page
    assert 'rel="next" href="?page=2"' in page


def test_the_last_page_holds_the_rest_and_an_unknown_page_number_shows_the_last(
    liaocheng: Staff, firms: Firms, tmp_path: Path
) -> None:
    _city(liaocheng, tmp_path, 250)
    client = _client(liaocheng.office_clerk)

    last = client.get(LIST, {"page": "3"}).content.decode()
    beyond = client.get(LIST, {"page": "99"}).content.decode()

    assert len(ROW.findall(last)) == 50
    assert "第 201–250 家" in last
    assert ROW.findall(beyond) == ROW.findall(last)


def test_the_office_finds_an_enterprise_by_credit_code_or_name_and_filters_by_grade(
    liaocheng: Staff, firms: Firms
) -> None:
    client = _client(liaocheng.office_clerk)

    by_code = client.get(LIST, {"q": CEMENT_CODE[-6:].lower()}).content.decode()
    by_name = client.get(LIST, {"q": "化工"}).content.decode()
    grade_c = client.get(LIST, {"grade": "C"}).content.decode()
    nothing = client.get(LIST, {"q": "化工", "grade": "A"}).content.decode()

    assert "临清市水泥有限公司" in by_code
    assert "冠县化工有限公司" not in by_code
    assert "冠县化工有限公司" in by_name
    assert "临清市水泥有限公司" not in by_name
    assert "冠县化工有限公司" in grade_c
    assert "临清市水泥有限公司" not in grade_c
    assert "0 家符合" in nothing


# Committed for real: the task is queued on commit, and the worker (db_worker, as in production)
# closes its connection between tasks, which a test's enclosing transaction would not survive.
@pytest.mark.django_db(transaction=True)
def test_an_upload_is_queued_and_the_worker_imports_it(
    liaocheng: Staff, firms: Firms, tmp_path: Path
) -> None:
    client = _client(liaocheng.office_director)
    with write_list(tmp_path / "good.xlsx").open("rb") as file:
        response = client.post(LIST, {"file": file})

    record = ListImport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}imports/{record.pk}/"
    assert 'data-state="queued"' in client.get(response["Location"]).content.decode()
    assert len(record.workbook) > 0

    _run_worker()

    page = client.get(response["Location"]).content.decode()
    record.refresh_from_db()
    assert 'data-state="imported"' in page
    assert "新增 0 家，更新 2 家" in page
    assert (record.state, record.workbook, record.finished_at is not None) == (
        "imported",
        b"",
        True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_refused_upload_names_every_error_as_sheet_and_cell_and_changes_nothing(
    liaocheng: Staff, firms: Firms, tmp_path: Path
) -> None:
    bad = spoil(write_list(tmp_path / "bad.xlsx"), {("企业", "F4"): "Z级"})
    before = list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed"))
    client = _client(liaocheng.office_clerk)
    with bad.open("rb") as file:
        response = client.post(LIST, {"file": file})

    _run_worker()

    page = client.get(response["Location"]).content.decode()
    assert 'data-state="refused"' in page
    assert "<td>企业!F4</td><td>企业</td><td>4</td><td>F</td>" in page
    assert "未导入任何数据" in page
    assert list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed")) == before


def test_an_upload_that_is_not_a_file_is_a_400_on_the_list_page(liaocheng: Staff) -> None:
    response = _client(liaocheng.office_clerk).post(LIST, {"file": ""})

    assert response.status_code == 400
    assert not ListImport.objects.exists()


def test_another_jurisdictions_upload_is_not_found(
    liaocheng: Staff, kashgar: Staff, firms: Firms
) -> None:
    record = ListImport.objects.get()

    response = _client(kashgar.office_clerk).get(f"/enterprises/list/kashgar/imports/{record.pk}/")

    assert response.status_code == 404
