"""Liaocheng red from 08:00 on 5 January 2026 to its lift at 12:00 on the 7th, through the real
services: the cement plant kept its kiln running (its meter shows no drop, an inspection found it,
a penalty and a confirmed downgrade followed), the chemicals plant stopped (its meter fell to its
base load). The ``red`` fixture of the summaries tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from enterprises.list_helpers import CEMENT_CODE, CHEMICALS_CODE, Firms, listed_firms
from flows import in_force, lifted
from meters.readings_helpers import CHINA, csv_file, hourly

from conftest import Staff
from hazeguard_platform.enterprises.services import (
    enterprise_warning_acknowledge,
    production_status_report,
)
from hazeguard_platform.meters.services import meter_readings_upload
from hazeguard_platform.supervision.models import GradeDowngrade
from hazeguard_platform.supervision.services import grade_downgrade_confirm, inspection_record
from hazeguard_platform.warnings.models import Episode

CEMENT_ZH = "临清市水泥有限公司"
CHEMICALS_ZH = "冠县化工有限公司"


@dataclass
class RedEpisode:
    staff: Staff
    firms: Firms
    episode: Episode


@pytest.fixture
def red(liaocheng: Staff, clock: time_machine.Coordinates, tmp_path: Path) -> RedEpisode:
    firms = listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)
    warning = in_force(liaocheng, clock, "red")
    chemicals, cement = firms.chemicals, firms.cement
    enterprise_warning_acknowledge(
        actor=firms.chemicals_contact, enterprise_id=chemicals.pk, warning_id=warning.pk
    )
    day = date(2026, 1, 5)
    production_status_report(
        actor=firms.chemicals_contact,
        enterprise_id=chemicals.pk,
        day=day,
        entries=[{"unit_id": "R1", "status": "stopped", "note": ""}],
    )
    # Red stops every unit of the cement plant (its site plan); it reports the kiln limited.
    production_status_report(
        actor=firms.cement_contact,
        enterprise_id=cement.pk,
        day=day,
        entries=[
            {"unit_id": "K1", "status": "limited", "limited_percent": 30, "note": ""},
            {"unit_id": "M1", "status": "stopped", "note": ""},
        ],
        confirmed=True,  # less than its site plan asks: confirmed, and flagged to the office
    )
    clock.shift(timedelta(hours=4))
    inspection_record(
        actor=liaocheng.office_clerk,
        enterprise_id=cement.pk,
        kind="tour",
        inspected_at=datetime(2026, 1, 5, 11, 30, tzinfo=CHINA),
        findings="熟料线仍在生产",
        violation=True,
        penalty="罚款5万元",
    )
    grade_downgrade_confirm(proposal=GradeDowngrade.objects.get(), actor=liaocheng.office_director)
    clock.shift(timedelta(days=2))
    lifted(liaocheng, warning)
    readings = csv_file(
        hourly(CEMENT_CODE, "C-01", normal_kwh=1000, during_kwh=1000),
        hourly(CHEMICALS_CODE, "H-01", normal_kwh=200, during_kwh=10),
    )
    meter_readings_upload(
        actor=liaocheng.office_clerk, jurisdiction=liaocheng.jurisdiction, file=readings
    )
    episode = Episode.objects.get(jurisdiction=liaocheng.jurisdiction)
    return RedEpisode(liaocheng, firms, episode)
