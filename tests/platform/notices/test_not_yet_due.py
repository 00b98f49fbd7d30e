"""Items not yet due are "未到期" (not yet due), never late (issue 12 §2): on the notices office
page, the warning's county table and the dashboard's; past the deadline they are overdue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from flows import regional_yellow

from conftest import MakePerson, Staff
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.notices.models import Event, Notice

pytestmark = pytest.mark.django_db


def _states(page: str) -> set[str]:
    return set(re.findall(r'data-deadline="([a-z_]*)"', page))


def test_a_deadline_to_come_is_not_yet_due_and_one_passed_is_overdue(
    liaocheng: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    linqing = liaocheng.jurisdiction.children.get(code="linqing")
    make_person("linqing-officer", Role.COUNTY_OFFICER, linqing)  # told, 3 h to acknowledge
    warning = regional_yellow(liaocheng)
    notice = Notice.objects.get(event=Event.ISSUE, object_id=str(warning.pk))
    office = Client()
    office.force_login(liaocheng.office_clerk)
    pages = {
        "notice": f"/notices/{notice.pk}/",
        "warning": f"/staff/warning/{warning.pk}/",
        "dashboard": f"/staff/j/{liaocheng.jurisdiction.code}/",
    }
    clock.shift(timedelta(hours=1))  # the counties have 3 h (003 §4.2)
    for name, path in pages.items():
        page = office.get(path).content.decode()
        assert "not_due" in _states(page), name
        assert _states(page) & {"late", "overdue"} == set(), name
        assert "未到期" in page, name
        assert "逾期" not in page, name
        assert "超时" not in page, name
    office.cookies["django_language"] = "en"
    english = office.get(pages["notice"]).content.decode()
    assert "not yet due" in english
    assert "done late" not in english
    assert "data-late" not in english
    office.cookies["django_language"] = "zh-hans"
    clock.shift(timedelta(hours=3))
    for name, path in pages.items():
        page = office.get(path).content.decode()
        assert "overdue" in _states(page), name
        assert "not_due" not in _states(page), name
