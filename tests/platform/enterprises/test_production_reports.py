"""Daily production reports checked against the site plan and the episode (issue 12 §4).

Liaocheng's orange site plan of the cement plant (list_helpers): K1 stops, M1 is limited by
50 %; at red the whole plant stops. Personas: the plant's contact, the city's office clerk.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from flows import in_force

from conftest import Staff
from hazeguard_platform.enterprises.models import ProductionReport

from .list_helpers import Firms

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _units(firms: Firms) -> dict[str, int]:
    return {u.unit_id: u.pk for u in firms.cement.units.all()}


def _words(page: str) -> str:
    """The page's text without its markup (names are wrapped in ``<span lang>``)."""
    return re.sub(r"<[^>]+>", "", page)


def _selected(page: str, pk: int) -> str:
    found = re.search(
        rf'name="status-{pk}"[^>]*>(?:(?!</select>).)*<option value="(\w+)" selected', page, re.S
    )
    return found.group(1) if found else ""


def test_the_form_starts_from_the_site_plan_at_the_level_in_force(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock, "orange")
    units = _units(firms)

    page = _client(firms.cement_contact).get(f"/enterprises/{firms.cement.pk}/").content.decode()

    assert _selected(page, units["K1"]) == "stopped"
    assert _selected(page, units["M1"]) == "limited"
    assert f'name="percent-{units["M1"]}" min="1" max="99" step="any" value="50"' in page
    assert "橙色预警" in page
    assert "Ⅱ级应急响应" in page
    assert ">orange<" not in page
    assert "None" not in page


def test_a_report_doing_less_than_the_site_plan_asks_for_confirmation_then_is_flagged(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock, "orange")
    units = _units(firms)
    contact = _client(firms.cement_contact)
    form = {
        "day": "2026-01-05",
        f"status-{units['K1']}": "normal",
        f"note-{units['K1']}": "订单紧",
        f"status-{units['M1']}": "limited",
        f"percent-{units['M1']}": "50",
    }

    asked = contact.post(f"/enterprises/{firms.cement.pk}/production/", form)

    assert asked.status_code == 409
    page = asked.content.decode()
    assert 'name="confirm"' in page
    assert "K1 1号熟料生产线" in _words(page)
    assert "一厂一策要求" in page
    assert 'value="订单紧"' in page  # what was typed is kept
    assert not ProductionReport.objects.exists()

    confirmed = contact.post(
        f"/enterprises/{firms.cement.pk}/production/", form | {"confirm": "yes"}
    )
    assert confirmed.status_code == 302
    report = ProductionReport.objects.get()
    assert [d["unit_id"] for d in report.deviations] == ["K1"]
    office = _client(liaocheng.office_clerk).get(f"/enterprises/{firms.cement.pk}/")
    office_page = office.content.decode()
    assert 'class="flagged"' in office_page
    assert "与一厂一策不一致" in office_page
    assert "订单紧" in office_page


def test_a_stopped_unit_with_a_cut_is_refused_naming_the_unit_and_keeping_the_form(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock, "orange")
    units = _units(firms)

    response = _client(firms.cement_contact).post(
        f"/enterprises/{firms.cement.pk}/production/",
        {"day": "2026-01-05", f"status-{units['K1']}": "stopped",
         f"percent-{units['K1']}": "50", f"note-{units['K1']}": "检修",
         f"status-{units['M1']}": "limited", f"percent-{units['M1']}": "60"},
    )  # fmt: skip

    assert response.status_code == 400
    page = response.content.decode()
    assert "K1 1号熟料生产线：停产或正常生产的单元不填限产比例" in _words(page)
    assert f'name="percent-{units["K1"]}" min="1" max="99" step="any" value="50"' in page
    assert 'value="检修"' in page
    assert _selected(page, units["M1"]) == "limited"
    assert "entries[0]" not in re.sub(r'data-field="[^"]*"', "", page)
    assert not ProductionReport.objects.exists()


def test_a_day_outside_the_episode_is_refused(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock, "red")  # in force from 5 January 08:00
    units = _units(firms)

    response = _client(firms.cement_contact).post(
        f"/enterprises/{firms.cement.pk}/production/",
        {"day": "2026-01-03"} | {f"status-{pk}": "stopped" for pk in units.values()},
    )

    assert response.status_code == 400
    assert "日期不在预警期间内，请报送 2026-01-05 至 2026-01-05 之间的日期" in (
        response.content.decode()
    )
    assert not ProductionReport.objects.exists()


def test_the_office_sees_the_enterprises_reports_on_its_page(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock, "red")
    units = _units(firms)
    _client(firms.cement_contact).post(
        f"/enterprises/{firms.cement.pk}/production/",
        {"day": "2026-01-05"} | {f"status-{pk}": "stopped" for pk in units.values()},
    )

    page = _client(liaocheng.office_clerk).get(f"/enterprises/{firms.cement.pk}/").content.decode()

    assert 'data-day="2026-01-05"' in page
    assert "K1 1号熟料生产线 停产" in _words(page)
