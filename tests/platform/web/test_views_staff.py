"""The staff home and dashboards: sign-in first, the counties' deadlines on Liaocheng's (seed 003).

Liaocheng's counties must respond to the city's warning within 3 hours (003 §3.3).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from flows import in_force, signed_in

from conftest import Staff

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_chinese_first() -> None:
    page = Client().get("/accounts/login/").content.decode()

    assert "工作人员登录" in page


def test_staff_pages_need_sign_in(liaocheng: Staff) -> None:
    response = Client().get("/staff/j/liaocheng/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_counties_see_their_three_hour_deadline_to_respond(
    liaocheng: Staff, liaocheng_county_officer: User, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock)
    child = warning.regional_children.get(jurisdiction__code="dongchangfu")
    assert child.respond_by is not None
    assert child.respond_by - warning.issued_at == timedelta(hours=3)  # 003 §3.3

    county_page = signed_in(liaocheng_county_officer).get("/staff/j/dongchangfu/").content.decode()
    city_page = signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/").content.decode()

    deadline = f"{child.respond_by.astimezone(child.respond_by.tzinfo):%Y-%m-%d}"
    assert "响应截止" in county_page
    assert deadline in county_page
    assert 'data-county="dongchangfu"' in city_page
    # A county officer acts on the regional warning; proposing and forecasts are the command's.
    assert "/staff/j/dongchangfu/propose/" not in county_page
    # The office may not propose while red is in force: the page links to it instead.
    assert f'<a href="/staff/warning/{warning.pk}/">' in city_page.split('id="active-instead"')[1]
