"""The emission-reduction list published for the public (000 §6.4, 003 §10): enterprise,
category, grade and measures per level, a page at a time and as CSV, without personal data."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from hazeguard_platform.notices.models import Contact

from .list_helpers import Firms

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_details(firms: Firms) -> Firms:
    """The cement plant's contact with an e-mail address and a phone number on file."""
    firms.cement_contact.email = "plant-manager@example.org"
    firms.cement_contact.first_name = "王经理"
    firms.cement_contact.save()
    Contact.objects.create(
        jurisdiction=firms.cement.jurisdiction,
        name="王经理",
        phone="13912345678",
        user=firms.cement_contact,
    )
    return firms


def test_the_public_reads_each_enterprise_its_grade_category_and_measures_per_level(
    client: Client, contact_details: Firms
) -> None:
    response = client.get("/j/liaocheng/list/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "聊城市应急减排清单" in page
    assert "临清市水泥有限公司" in page
    assert "冠县化工有限公司" in page
    assert "B级" in page
    assert "C级" in page
    assert "重点企业" in page
    assert "其他企业" in page
    assert "黄色预警" in page
    assert "橙色预警" in page
    assert "红色预警" in page
    assert "1号熟料生产线" in page  # the measures name the units they cover
    for personal in ("plant-manager@example.org", "13912345678", "王经理", "cement-contact"):
        assert personal not in page


def test_the_list_is_paginated_searchable_and_linked_from_the_jurisdiction_page(
    client: Client, firms: Firms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hazeguard_platform.public.emission_list.PER_PAGE", 1)

    first = client.get("/j/liaocheng/list/").content.decode()
    second = client.get("/j/liaocheng/list/?page=2").content.decode()
    found = client.get("/j/liaocheng/list/?q=化工").content.decode()

    assert first.count('class="card enterprise"') == 1
    assert second.count('class="card enterprise"') == 1
    assert "第 1 页，共 2 页" in first
    assert "冠县化工有限公司" in found
    assert "临清市水泥有限公司" not in found
    assert 'href="/j/liaocheng/list/"' in client.get("/j/liaocheng/").content.decode()


def test_the_csv_has_one_row_per_enterprise_in_the_page_language_and_no_personal_data(
    client: Client, contact_details: Firms
) -> None:
    response = client.get("/j/liaocheng/list.csv")

    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    expected = ["企业名称", "统一社会信用代码", "县（市、区）", "行业", "类别", "绩效分级"]
    assert rows[0][:6] == expected
    assert rows[0][6:] == ["黄色预警", "橙色预警", "红色预警"]
    assert len(rows) == 3
    assert "13912345678" not in text
    assert "plant-manager" not in text
    client.cookies["django_language"] = "en"
    english = client.get("/j/liaocheng/list.csv").getvalue().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(english)))
    assert header[:2] == ["Enterprise", "Unified social credit code"]
    assert header[6:] == ["Yellow warning", "Orange warning", "Red warning"]
    assert "Key enterprise" in english
    assert "重点企业" not in english
