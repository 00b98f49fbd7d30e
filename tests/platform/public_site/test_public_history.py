"""The public history of warnings: filters, pages, CSV; the office's reason stays internal.

Warnings go through the real services (flows.py): Liaocheng's red warning, adjusted to orange,
lifted; Kashgar's orange warning.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from flows import ORANGE_DAYS, adjusted, in_force, lifted, proposed

from conftest import Staff, through_chain
from hazeguard_platform.response.services import warning_issue
from hazeguard_platform.warnings.models import Warning

pytestmark = pytest.mark.django_db

REASON = "预测AQI日均值>200持续4天，其中2天>300"  # the office's reason in flows.proposed


@pytest.fixture
def episodes(
    liaocheng: Staff, kashgar: Staff, clock: time_machine.Coordinates
) -> dict[str, Warning]:
    red = in_force(liaocheng, clock)
    orange = adjusted(liaocheng, red, "orange")
    lifted(liaocheng, orange)
    kashgar_orange = proposed(kashgar, "orange", ORANGE_DAYS)
    through_chain(kashgar, kashgar_orange.pk)
    start = timezone.now() + timedelta(hours=25)  # Kashgar: 24 h ahead (001 §3.5)
    warning_issue(actor=kashgar.office_clerk, warning_id=kashgar_orange.pk, starts_at=start)
    return {"red": red, "orange": orange, "kashgar": kashgar_orange}


def _rows(page: str) -> list[str]:
    return [line for line in page.splitlines() if "data-warning=" in line]


def _ids(page: str) -> set[int]:
    return {int(found) for found in re.findall(r'data-warning="(\d+)"', page)}


def test_the_history_filters_by_jurisdiction_level_and_year(
    client: Client, episodes: dict[str, Warning]
) -> None:
    everything = client.get("/history/").content.decode()
    assert len(_rows(everything)) == 3

    liaocheng = client.get("/history/?jurisdiction=liaocheng").content.decode()
    assert len(_rows(liaocheng)) == 2
    # A county's copies of the city's regional warning are listed when the county is chosen.
    county = Warning.objects.filter(regional_source=episodes["red"]).first()
    assert county is not None
    assert county.pk in _ids(
        client.get(f"/history/?jurisdiction={county.jurisdiction.code}").content.decode()
    )
    assert county.pk not in _ids(everything)
    orange = client.get("/history/?level=orange").content.decode()
    assert _ids(orange) == {episodes["orange"].pk, episodes["kashgar"].pk}
    assert _rows(client.get("/history/?year=2025").content.decode()) == []
    assert len(_rows(client.get("/history/?year=2026&level=red").content.decode())) == 1
    # The filter form keeps what was chosen; times are for people (China Standard Time).
    assert '<option value="liaocheng" selected>' in liaocheng
    assert "2026年1月5日 08:00" in everything
    assert "T08:00" not in everything


def test_a_bad_filter_is_said_in_the_page_language_not_a_server_error(
    client: Client, episodes: dict[str, Warning]
) -> None:
    response = client.get("/history/?level=purple&year=abc")

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()


def test_the_history_is_paginated(
    client: Client, episodes: dict[str, Warning], settings: object
) -> None:
    first = client.get("/history/?per_page=2").content.decode()
    second = client.get("/history/?per_page=2&page=2").content.decode()

    assert len(_rows(first)) == 2
    assert len(_rows(second)) == 1
    assert "第 1 页，共 2 页" in first
    assert 'href="?per_page=2&amp;page=2"' in first


def test_the_csv_export_has_the_filtered_rows_in_the_page_language(
    client: Client, episodes: dict[str, Warning]
) -> None:
    response = client.get("/history/export.csv?jurisdiction=liaocheng")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["辖区", "级别", "响应", "发布时间", "开始时间", "结束时间", "状态"]
    assert len(rows) == 3
    assert rows[1][:3] == ["聊城市", "橙色预警", "Ⅱ级"]
    assert rows[2][1] == "红色预警"
    client.cookies["django_language"] = "en"
    english = (
        client.get("/history/export.csv?jurisdiction=liaocheng").getvalue().decode("utf-8-sig")
    )
    header = next(csv.reader(io.StringIO(english)))
    assert header[:3] == ["Jurisdiction", "Level", "Response"]
    assert "Liaocheng" in english
    assert "Red warning" in english
    assert "红色" not in english


def test_the_internal_reason_is_on_no_public_page_csv_or_cap_message(
    client: Client, episodes: dict[str, Warning]
) -> None:
    pages = ["/", "/history/", "/j/liaocheng/", "/history/export.csv", "/cap/feed.atom"]
    red = episodes["red"]
    pages += [f"/cap/hazeguard-liaocheng-w{red.pk}-issue.xml"]
    pages += [f"/cap/hazeguard-liaocheng-w{episodes['orange'].pk}-lift.xml"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue().decode("utf-8-sig")
        assert REASON not in body, url
        assert "污染减轻" not in body, url  # the adjustment's reason


def test_the_cap_feed_titles_use_names_not_codes(
    client: Client, episodes: dict[str, Warning]
) -> None:
    feed = client.get("/cap/feed.atom").content.decode()

    assert "聊城市 红色预警" in feed
    assert " red" not in feed
    assert "Alert:" not in feed
