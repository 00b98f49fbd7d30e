"""The Liaocheng red warning through the real services, for the page, API and feed tests.

A forecast above 200 for four days with two above 300 meets Liaocheng's red criteria (003 §3.1);
red is approved by the commander (003 §3.3) and issued 24 h ahead (003 §3.3.1).
"""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from conftest import T0, Staff, forecast_days, lift_through_chain, through_chain, up_to_approval
from hazeguard_platform.forecasts.models import Forecast
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.monitoring.models import Delivery, Station, StationKind
from hazeguard_platform.monitoring.services import readings_ingest
from hazeguard_platform.response.services import (
    warning_adjust,
    warning_approve,
    warning_issue,
    warning_propose,
)
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.services import warning_start

# The box a person ticks before lifting or withdrawing.
CONFIRMED = {"confirm": "on"}

RED_DAYS = (320, 330, 340, 310, 250, 120, 90)
ORANGE_DAYS = (260, 280, 310, 250, 180, 120, 90)


def signed_in(user: User, language: str = "zh-hans") -> Client:
    """A test client signed in as ``user``, its pages in ``language``."""
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def forecast(staff: Staff, *highs: int) -> Forecast:
    return forecast_enter(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        issued_at=T0,
        days=forecast_days(*(highs or RED_DAYS)),
    )


def proposed(staff: Staff, level: str = "red", highs: tuple[int, ...] = RED_DAYS) -> Warning:
    return warning_propose(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        level=level,
        forecast_id=forecast(staff, *highs).pk,
        reason="预测AQI日均值>200持续4天，其中2天>300",
    )


def in_force(staff: Staff, clock: time_machine.Coordinates, level: str = "red") -> Warning:
    """Proposed, approved by the plan's approver, issued for tomorrow, and started."""
    warning = proposed(staff, level, RED_DAYS if level == "red" else ORANGE_DAYS)
    through_chain(staff, warning.pk)
    warning_issue(actor=staff.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(days=1))
    clock.shift(timedelta(days=1))
    started = warning_start(warning_id=warning.pk)
    assert started is not None
    return started


def adjusted(staff: Staff, current: Warning, level: str) -> Warning:
    """An adjustment of ``current`` to ``level``, approved and issued at once (a downgrade)."""
    new = warning_adjust(
        actor=staff.office_clerk,
        warning_id=current.pk,
        level=level,
        forecast_id=forecast(staff, *ORANGE_DAYS).pk,
        reason="污染减轻",
    )
    through_chain(staff, new.pk)
    warning_issue(actor=staff.office_clerk, warning_id=new.pk, starts_at=timezone.now())
    started = warning_start(warning_id=new.pk)
    return started or Warning.objects.get(pk=new.pk)


def lifted(staff: Staff, warning: Warning) -> Warning:
    """Lifted by the plan's lifting chain (the issuing procedure, 003 §3.3.2, 001 §3.7.1)."""
    return lift_through_chain(staff, warning.pk)


def observe(staff: Staff, csv_text: str, *, kind: str = StationKind.NATIONAL) -> Delivery:
    """Register the stations the rows name (at made-up positions) and upload the rows."""
    codes = {line.split(",")[1] for line in csv_text.strip().splitlines()[1:]}
    for number, code in enumerate(sorted(codes)):
        Station.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": code,
                "kind": kind,
                "jurisdiction": staff.jurisdiction,
                "latitude": 36.4 + number / 100,
                "longitude": 115.9 + number / 100,
                "approximate": True,
            },
        )
    return readings_ingest(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        body=csv_text,
        fmt="csv",
        layout="hazeguard",
        way="upload",
        source="hours.csv",
    )


def regional_yellow(staff: Staff) -> Warning:
    """A yellow proposed without a forecast, approved by the deputy commander after the office
    director's review and issued now to start in 24 h: every county gets its county warning,
    with 3 h to respond (003 §3.3.1, §4.2)."""
    warning = warning_propose(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, level="yellow"
    )
    up_to_approval(staff, warning.pk)
    warning_approve(actor=staff.deputy_commander, warning_id=warning.pk)
    return warning_issue(
        actor=staff.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(hours=24)
    )
