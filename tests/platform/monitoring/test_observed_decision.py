"""Observations drive the decision: the engine reads the observed days, and heavy pollution the
forecast did not announce alerts the office with a consultation to open."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from flows import forecast, observe
from page_text import assert_notice_speaks_one_language

from conftest import T0, Staff
from hazeguard_platform.core import CHINA
from hazeguard_platform.forecasts.services import engine_decision
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.monitoring.models import ObservedAlert
from hazeguard_platform.monitoring.selectors import observed_days
from hazeguard_platform.notices.models import Notice

pytestmark = pytest.mark.django_db


def _hours(pm25: tuple[int, int], first: datetime, count: int) -> str:
    return "time,station,pm25,pm10,so2,no2,o3,co\n" + "".join(
        f"{first + timedelta(hours=k):%Y-%m-%d %H:%M},东昌府,{pm25[k % 2]},,,,,\n"
        for k in range(count)
    )


def test_the_engine_is_given_the_days_observed_before_the_forecast(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    # 3 and 4 January (T0 is 4 January 08:00 Beijing time): PM2.5 around 200 µg/m³, AQI 250.
    observe(liaocheng, _hours((199, 201), datetime(2026, 1, 3, 1), 24 + 8))
    days = observed_days(
        liaocheng.jurisdiction, first_forecast_day=datetime(2026, 1, 5).date(), at=T0
    )
    # 3 January: HJ 633 daily AQI of its 24-h mean 200 → 250; 4 January, under way: the rolling
    # 24-h AQI ending 08:00, the same 250.
    assert [(d.day.day, d.aqi_high) for d in days] == [(3, 250), (4, 250)]


def test_unforecast_heavy_pollution_alerts_the_office_once_with_the_observed_decision(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast(liaocheng, 150, 140, 120, 100, 90, 80, 70)
    observe(liaocheng, _hours((199, 201), datetime(2026, 1, 3, 1), 24 + 8))
    alert = ObservedAlert.objects.get()
    assert alert.aqi == 250
    # The forecast sees the air clearing tomorrow, so 003 §3.3.1 (heavy and not improving within
    # 12 h) does not call for a warning: the office is told and decides in consultation.
    assert alert.decision["level"] == "none"
    assert alert.hour_end == datetime(2026, 1, 4, 8, tzinfo=CHINA)
    notice = Notice.objects.get(pk=alert.notice_id)
    assert "实测AQI 250" in notice.title
    assert "/staff/j/liaocheng/consultation/new/" in notice.body
    assert notice.recipients.filter(user=liaocheng.office_clerk).exists()
    observe(liaocheng, _hours((199, 201), datetime(2026, 1, 4, 9), 2))
    assert ObservedAlert.objects.count() == 1, "one alert per level and day"
    assert_notice_speaks_one_language(notice, liaocheng.office_clerk)


def test_a_forecast_that_said_so_raises_no_alert(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast(liaocheng, 260, 240, 210, 120, 90, 80, 70)
    observe(liaocheng, _hours((199, 201), datetime(2026, 1, 3, 1), 24 + 8))
    version = plan_version_for(liaocheng.jurisdiction)
    assert version is not None
    assert not ObservedAlert.objects.exists()


def test_observed_days_raise_the_engines_level_and_the_office_is_told(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    # The forecast alone: AQI 220 and 210 on 5-6 January, yellow in Liaocheng (003 §3.1).
    made = forecast(liaocheng, 220, 210, 150, 120, 100, 90, 80)
    version = plan_version_for(liaocheng.jurisdiction)
    assert version is not None
    alone = engine_decision(liaocheng.jurisdiction, version.snapshot, made, T0, with_observed=False)
    assert alone["level"] == "yellow"
    # Observed since 2 January: PM2.5 24-h mean 220 µg/m³, AQI 270: the episode under way makes
    # the pollution last five days with the forecast, which is orange (003 §3.1).
    observe(liaocheng, _hours((219, 221), datetime(2026, 1, 2, 1), 24 + 24 + 8))
    seen = engine_decision(liaocheng.jurisdiction, version.snapshot, made, T0)
    assert seen["level"] == "orange"
    alert = ObservedAlert.objects.get()
    assert (alert.level, alert.decision["level"]) == ("orange", "orange")
