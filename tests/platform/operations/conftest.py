"""Personas of the member units and counties that carry out the response, on Liaocheng (seed 003,
counties carry the city's measures) and Dalian Xigang (seed 000, responsible units per measure,
daily reports by 17:00 the same day, 000 §5.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User

from conftest import T0, MakePerson, Staff, _staff, forecast_days, up_to_approval
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.jurisdictions.models import MemberUnit
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.operations.services import reports_schedule
from hazeguard_platform.response.services import warning_approve, warning_issue, warning_propose
from hazeguard_platform.warnings.models import Warning


@pytest.fixture
def xigang(db: None, make_person: MakePerson) -> Staff:
    """Dalian Xigang district with its plan imported and its command staffed."""
    version = plan_import(actor=None, plan_id="dalian-xigang-2023")
    return _staff(make_person, version.jurisdiction)


def unit_staff(make_person: MakePerson, staff: Staff, unit_code: str, username: str) -> User:
    """A member of staff of one member unit of ``staff``'s jurisdiction."""
    unit = MemberUnit.objects.get(jurisdiction=staff.jurisdiction, code=unit_code)
    user = make_person(username, None, None)
    Membership.objects.create(
        user=user, jurisdiction=staff.jurisdiction, role=Role.MEMBER_UNIT_STAFF, member_unit=unit
    )
    return user


@pytest.fixture
def environment_officer(xigang: Staff, make_person: MakePerson) -> User:
    """Wang of Xigang's ecology and environment bureau."""
    return unit_staff(make_person, xigang, "ecology_environment", "wang-environment")


@pytest.fixture
def housing_officer(xigang: Staff, make_person: MakePerson) -> User:
    """Li of Xigang's housing bureau."""
    return unit_staff(make_person, xigang, "housing", "li-housing")


def xigang_orange(staff: Staff, clock: time_machine.Coordinates) -> Warning:
    """An orange warning of Xigang, approved by the deputy commander, issued to start in 24 h,
    and the clock moved to its start (09:00 China time on 5 January 2026)."""
    forecast = forecast_enter(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        issued_at=T0,
        days=forecast_days(260, 280, 310, 250, 180, 120, 90),
    )
    warning = warning_propose(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        level="orange",
        forecast_id=forecast.pk,
        reason="预测重污染",
    )
    up_to_approval(staff, warning.pk)
    warning_approve(actor=staff.deputy_commander, warning_id=warning.pk)
    start = T0 + timedelta(days=1, hours=1)
    warning_issue(actor=staff.office_clerk, warning_id=warning.pk, starts_at=start)
    clock.move_to(start)
    # What the task queued at the start (or the work_reports command) does then.
    reports_schedule(now=start)
    return Warning.objects.get(pk=warning.pk)
