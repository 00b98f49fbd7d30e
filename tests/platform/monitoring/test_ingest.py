"""Hourly station data in: stored once, corrected with a record, late hours recomputed, and the
city's AQI computed by the core (HJ 663 / HJ 633)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flows import observe

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.core import CHINA
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.monitoring.models import CityDay, CityHour, Correction, Reading
from hazeguard_platform.monitoring.services import readings_ingest

pytestmark = pytest.mark.django_db
HEADER = "time,station,pm25,pm10,so2,no2,o3,co\n"
START = datetime(2026, 1, 5, 1)


def _day(pm25: tuple[int, int], station: str = "东昌府", hours: int = 24) -> str:
    """``hours`` hours from 5 January 01:00, PM2.5 alternating between the two values."""
    return "".join(
        f"{START + timedelta(hours=k):%Y-%m-%d %H:%M},{station},{pm25[k % 2]},,,,,\n"
        for k in range(hours)
    )


def _city_hour(staff: Staff, hour: int) -> CityHour:
    moment = datetime(2026, 1, 5, tzinfo=CHINA) + timedelta(hours=hour)
    return CityHour.objects.get(jurisdiction=staff.jurisdiction, hour_end=moment)


def test_the_city_value_is_the_index_of_the_mean_of_its_stations(liaocheng: Staff) -> None:
    observe(liaocheng, HEADER + _day((79, 81)) + _day((99, 101), station="开发区"))
    # 01:00: the stations' PM2.5 79 and 99 average 89 µg/m³: IAQI (89-75)/40·50+100 = 117.5 → 118.
    assert _city_hour(liaocheng, 1).aqi == 118
    day = CityDay.objects.get(jurisdiction=liaocheng.jurisdiction)
    # 24-h mean 90: daily AQI 119 (HJ 633-2012 Table 1); the rolling value at 24:00 is the same.
    assert (day.aqi, day.primary_pollutants) == (119, "PM2.5")
    assert _city_hour(liaocheng, 24).rolling_aqi == 119
    assert _city_hour(liaocheng, 19).rolling_aqi is None, "19 hours are too few for a 24-h mean"


def test_a_delivery_again_changes_nothing(liaocheng: Staff) -> None:
    observe(liaocheng, HEADER + _day((79, 81)))
    again = observe(liaocheng, HEADER + _day((79, 81)))
    assert (again.stored, again.unchanged, again.corrected) == (0, 24, 0)
    assert Reading.objects.count() == 24


def test_a_corrected_value_replaces_the_old_one_with_a_record_and_updates_the_day(
    liaocheng: Staff,
) -> None:
    observe(liaocheng, HEADER + _day((79, 81)))
    fixed = observe(liaocheng, HEADER + "2026-01-05 03:00,东昌府,139,,,,,\n")
    assert fixed.corrected == 1
    correction = Correction.objects.get()
    assert (correction.before["pm25"], correction.after["pm25"]) == (79.0, 139.0)
    assert AuditEntry.objects.filter(action="readings.ingest").count() == 2
    # The 24-h mean rises by 60/24 = 2.5 to 82.5 µg/m³: daily AQI 109.375 → 110.
    assert CityDay.objects.get().aqi == 110


def test_a_late_hour_is_accepted_and_its_windows_recomputed(liaocheng: Staff) -> None:
    text = _day((79, 81)).splitlines(keepends=True)
    observe(liaocheng, HEADER + "".join(text[:5] + text[6:]))
    assert CityDay.objects.get().aqi == 107, "23 hours are enough (≥ 20)"
    hour_6 = _city_hour(liaocheng, 6)
    assert hour_6.aqi is None
    observe(liaocheng, HEADER + text[5])
    # PM2.5 81 µg/m³: IAQI (81-75)/40·50+100 = 107.5 → 108.
    assert _city_hour(liaocheng, 6).aqi == 108


def test_a_stuck_station_is_flagged_kept_and_left_out(liaocheng: Staff) -> None:
    observe(liaocheng, HEADER + _day((80, 80), hours=8))
    reading = Reading.objects.order_by("hour_end").first()
    assert reading is not None
    assert reading.pm25 == 80
    assert reading.flags == {"pm25": 2}
    assert reading.aqi is None
    assert _city_hour(liaocheng, 3).aqi is None


def test_a_bad_row_stores_nothing_and_names_the_row_and_column(liaocheng: Staff) -> None:
    observe(liaocheng, HEADER + _day((79, 81), hours=2))
    with pytest.raises(InvalidInputError) as error:
        observe(liaocheng, HEADER + _day((79, 81), hours=3).replace(",81,", ",x,"))
    assert "hours.csv 第 3 行“pm25”列" in error.value.message
    assert Reading.objects.count() == 2


def test_an_unknown_station_is_refused_by_row(liaocheng: Staff) -> None:
    with pytest.raises(InvalidInputError, match="第 2 行“station”列：'无此站' 不是 聊城市 的站点"):
        readings_ingest(
            actor=liaocheng.office_clerk,
            jurisdiction=liaocheng.jurisdiction,
            body=HEADER + "2026-01-05 01:00,无此站,5,,,,,\n",
            fmt="csv",
            layout="hazeguard",
            way="upload",
            source="hours.csv",
        )


def test_a_commander_does_not_deliver_readings(liaocheng: Staff) -> None:
    with pytest.raises(ForbiddenError):
        readings_ingest(
            actor=liaocheng.commander,
            jurisdiction=liaocheng.jurisdiction,
            body=HEADER,
            fmt="csv",
            layout="hazeguard",
            way="upload",
            source="hours.csv",
        )
