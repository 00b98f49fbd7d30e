"""A pollution process below the warning level, opened and closed by the worker (issue 15 §3).

Chaoyang's bureau: "根据空气质量会商研判情况，针对未达到预警启动条件的污染过程（含臭氧污染），
……组织开展污染源排放管控，积极应对污染过程" (002 §五(二)1; 牵头部门：大气环境科). The plan file
puts the process above AQI 100 and runs 002's tasks under it; the worker opens it from the
observed rolling 24-h AQI or the forecast, closes it when both are clean again, and a warning
issued hands over to the response.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from flows import observe
from page_text import assert_notice_speaks_one_language

from conftest import T0, MakePerson, Staff, _staff, forecast_days, through_chain
from hazeguard.vocabulary import CHINA
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.jurisdictions.models import MemberUnit
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.notices.models import Notice
from hazeguard_platform.operations.models import PollutionProcess, Task, TaskState
from hazeguard_platform.operations.selectors import task_for_user, tasks_for_user
from hazeguard_platform.response.processes import processes_check
from hazeguard_platform.response.services import warning_issue, warning_propose

pytestmark = pytest.mark.django_db
HEADER = "time,station,pm25,pm10,so2,no2,o3,co\n"


@pytest.fixture
def chaoyang(make_person: MakePerson, clock: time_machine.Coordinates) -> Staff:
    return _staff(make_person, plan_import(actor=None, plan_id="chaoyang-2024").jurisdiction)


def _day_of(pm25: int, *, ending: datetime) -> str:
    """24 hours of two stations ending at ``ending`` (China time), PM2.5 ``pm25`` µg/m³."""
    local = ending.astimezone(CHINA).replace(tzinfo=None)
    lines = [
        # Values vary by the hour (a station repeating one value for 6 h is flagged stuck).
        f"{local - timedelta(hours=k):%Y-%m-%d %H:%M},{station},{pm25 + k % 3 - 1},"
        f"{pm25 + 30 + k % 2},{8 + k % 3},{30 + k % 4},{40 + k % 5},{0.8 + k % 3 / 10:.1f}\n"
        for k in range(24)
        for station in ("1001A", "1002A")
    ]
    return HEADER + "".join(lines)


def _forecast(staff: Staff, *highs: int) -> None:
    forecast_enter(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        issued_at=T0,
        days=forecast_days(*highs),
    )


def test_observed_light_pollution_opens_a_process_with_the_bureaus_tasks(chaoyang: Staff) -> None:
    observe(chaoyang, _day_of(100, ending=T0))  # PM2.5 24-h 100 µg/m³: AQI 132, not 150 for 48 h

    [process] = processes_check(now=T0)

    assert process.state == "open"
    assert process.clause == "002 §五(二)1"
    assert process.opened_because_zh == "实测连续24小时AQI 132，高于100，未达到预警启动条件"
    tasks = {task.clause: task for task in Task.objects.filter(process=process)}
    assert set(tasks) == {"002 §五(二)1", "002 §五(二)8", "002 §五(三)1", "002 §五(三)2"}
    lead = tasks["002 §五(二)1"]
    assert lead.member_unit is not None
    assert lead.member_unit.code == "ecology_environment"
    assert "针对未达到预警启动条件的污染过程（含臭氧污染）" in lead.text_zh
    assert lead.response is None
    assert lead.warning is None
    office_told = Notice.objects.filter(title__contains="启动污染过程应对")
    assert office_told.count() == 1
    assert processes_check(now=T0) == []  # idempotent: the next pass changes nothing


def test_a_forecast_of_pollution_opens_it_before_it_is_observed(chaoyang: Staff) -> None:
    _forecast(chaoyang, 160, 120, 90)  # tomorrow (5 January) forecast at 160

    [process] = processes_check(now=T0)

    assert process.opened_because_en == "forecast AQI 160 above 100, below the warning criteria"


def test_clean_air_observed_and_forecast_closes_it_and_its_open_tasks(
    chaoyang: Staff, clock: time_machine.Coordinates
) -> None:
    observe(chaoyang, _day_of(100, ending=T0))
    [opened] = processes_check(now=T0)
    clock.shift(timedelta(days=1))
    observe(chaoyang, _day_of(20, ending=T0 + timedelta(days=1)))

    [closed] = processes_check(now=T0 + timedelta(days=1))

    assert closed.pk == opened.pk
    assert closed.state == "closed"
    assert closed.closed_because_zh == "实测与预报AQI均不高于100"
    assert not Task.objects.filter(process=closed, state=TaskState.OPEN).exists()
    assert Notice.objects.filter(title__contains="污染过程应对结束").count() == 1


def test_the_process_notices_speak_the_readers_language(
    chaoyang: Staff, clock: time_machine.Coordinates
) -> None:
    observe(chaoyang, _day_of(100, ending=T0))
    processes_check(now=T0)
    clock.shift(timedelta(days=1))
    observe(chaoyang, _day_of(20, ending=T0 + timedelta(days=1)))
    processes_check(now=T0 + timedelta(days=1))
    opened, closed = Notice.objects.order_by("pk")
    assert closed.body == "2026-01-05 08:00污染过程应对结束：实测与预报AQI均不高于100。"
    for notice in (opened, closed):
        assert_notice_speaks_one_language(notice, chaoyang.office_clerk)


def test_a_warning_issued_takes_over_from_the_process(chaoyang: Staff) -> None:
    observe(chaoyang, _day_of(100, ending=T0))
    processes_check(now=T0)
    warning = warning_propose(
        actor=chaoyang.office_clerk,
        jurisdiction=chaoyang.jurisdiction,
        level="yellow",
        forecast_id=forecast_enter(
            actor=chaoyang.office_clerk,
            jurisdiction=chaoyang.jurisdiction,
            issued_at=T0,
            days=forecast_days(230, 220, 120),
        ).pk,
        reason="预报AQI＞200",
    )
    through_chain(chaoyang, warning.pk)

    warning_issue(actor=chaoyang.office_clerk, warning_id=warning.pk, starts_at=T0)

    process = PollutionProcess.objects.get()
    assert process.state == "closed"
    assert process.closed_because_zh == "预警已发布，由应急响应接续"
    assert processes_check(now=T0) == []  # no process reopens under a warning


def test_the_bureaus_staff_find_their_process_tasks_and_the_office_sees_the_process(
    chaoyang: Staff, make_person: MakePerson
) -> None:
    unit = MemberUnit.objects.get(jurisdiction=chaoyang.jurisdiction, code="ecology_environment")
    clerk = make_person("air-section", None, None)
    Membership.objects.create(
        user=clerk,
        jurisdiction=chaoyang.jurisdiction,
        role=Role.MEMBER_UNIT_STAFF,
        member_unit=unit,
    )
    observe(chaoyang, _day_of(100, ending=T0))
    call_command("watch_processes", "--once", verbosity=0)

    mine = list(tasks_for_user(clerk))
    assert {task.clause for task in mine} >= {"002 §五(二)1"}
    assert task_for_user(clerk, mine[0].pk).process is not None
    office = Client()
    office.force_login(chaoyang.office_clerk)
    page = office.get("/monitoring/j/chaoyang/").content.decode()
    assert "预警级别以下的污染过程应对" in page
    assert "实测连续24小时AQI 132" in page
    public = Client().get("/monitoring/public/chaoyang/").content.decode()
    assert "污染过程" not in public


def test_a_plan_silent_on_processes_never_opens_one(liaocheng: Staff) -> None:
    observe(liaocheng, _day_of(100, ending=T0))

    assert processes_check(now=T0) == []
    assert not PollutionProcess.objects.exists()
