"""Responses that end on a chosen day, for the summary-report tests.

Liaocheng (seed 003) lifts a red warning on Friday 27 September 2024, just before the National
Day holiday: its counties' summaries are due within 3 working days (003 §4.9), counted on the
State Council's 2024 arrangement (国办发明电〔2023〕7号: 29 September, a Sunday, is a working
day; 1-7 October are holidays).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.contrib.auth.models import User

from conftest import MakePerson, Staff, lift_through_chain, up_to_approval
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.forecasts.validation import day_inputs
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.operations.models import Response
from hazeguard_platform.response.services import (
    warning_approve,
    warning_issue,
    warning_propose,
)
from hazeguard_platform.warnings.models import Warning

# 10:00 China time on Wednesday 25 September 2024: the forecast and the proposal.
PROPOSED_2024 = datetime(2024, 9, 25, 2, 0, tzinfo=UTC)
# 10:00 China time on Friday 27 September 2024: the warning is lifted.
LIFTED_2024 = datetime(2024, 9, 27, 2, 0, tzinfo=UTC)
# 3 working days later: Sunday 29 September (调休上班), Monday 30 September, then — after the
# National Day holiday of 1-7 October — Tuesday 8 October, at the clock time of the lifting.
DUE_2024 = datetime(2024, 10, 8, 2, 0, tzinfo=UTC)
RED_HIGHS = (320, 330, 340, 310, 250, 120, 90)


def county_officer(make_person: MakePerson, staff: Staff, code: str) -> User:
    """The officer of one county of ``staff``'s jurisdiction."""
    county = Jurisdiction.objects.get(parent=staff.jurisdiction, code=code)
    return make_person(f"{code}-officer", Role.COUNTY_OFFICER, county)


def red_warning(staff: Staff, clock: time_machine.Coordinates, *, at: datetime) -> Warning:
    """A red warning proposed at ``at`` from a 7-day forecast starting the next day, approved by
    the commander and issued to start 24 h later (003 §3.3.1)."""
    clock.move_to(at)
    first = (at + timedelta(hours=8)).date() + timedelta(days=1)
    days = day_inputs(first, RED_HIGHS, spread=40)
    forecast = forecast_enter(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, issued_at=at, days=days
    )
    warning = warning_propose(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        level="red",
        forecast_id=forecast.pk,
        reason="预测AQI日均值>200持续4天，其中2天>300",
    )
    up_to_approval(staff, warning.pk)
    warning_approve(actor=staff.commander, warning_id=warning.pk)
    return warning_issue(
        actor=staff.office_clerk, warning_id=warning.pk, starts_at=at + timedelta(days=1)
    )


def lifted(
    staff: Staff, clock: time_machine.Coordinates, warning: Warning, *, at: datetime
) -> Response:
    """The warning lifted by the plan's lifting chain at ``at``; the response it ended."""
    clock.move_to(at)
    lift_through_chain(staff, warning.pk, "空气质量改善，解除预警")
    return Response.objects.get(jurisdiction=staff.jurisdiction, closed_at__isnull=False)


def liaocheng_lifted_before_national_day(staff: Staff, clock: time_machine.Coordinates) -> Response:
    """Liaocheng's red response, ended at 10:00 on Friday 27 September 2024."""
    warning = red_warning(staff, clock, at=PROPOSED_2024)
    return lifted(staff, clock, warning, at=LIFTED_2024)


def china_day(moment: datetime) -> date:
    return (moment + timedelta(hours=8)).date()
