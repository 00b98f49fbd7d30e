"""Observed hourly station data is uploaded all or nothing, then indexed by the core's AQI."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import Staff
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.forecasts.models import ObservationUpload, StationHour, UploadState
from hazeguard_platform.forecasts.observations import observations_index, observations_upload

pytestmark = pytest.mark.django_db

GOOD = """time,station,pm25,pm10,so2,no2,o3,co
2026-01-05 01:00,东昌府,80,100,,40,,1.0
2026-01-05 02:00,东昌府,,120,,40,,
2026-01-05 01:00,开发区,300,,,40,,
"""


def _upload(staff: Staff, text: str = GOOD) -> ObservationUpload:
    return observations_upload(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, csv_text=text, filename="h.csv"
    )


def test_an_upload_stores_every_hour_in_china_time_and_waits_for_indexing(liaocheng: Staff) -> None:
    upload = _upload(liaocheng)
    hours = list(upload.hours.order_by("station", "observed_at"))
    assert upload.state == UploadState.QUEUED
    assert len(hours) == 3
    first = hours[1] if hours[0].station == "开发区" else hours[0]
    assert timezone.localtime(first.observed_at).strftime("%Y-%m-%d %H:%M %z") == (
        "2026-01-05 01:00 +0800"
    )
    assert all(hour.aqi is None for hour in hours)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace(",80,", ",eighty,"), "row 2, column pm25: 'eighty' is not a number"),
        (GOOD.replace(",80,", ",-5,"), "row 2, column pm25: -5.0 is outside"),
        (GOOD.replace("2026-01-05 02:00", "yesterday"), "row 3, column time"),
        (
            GOOD.replace("02:00,东昌府", "01:00,东昌府"),
            "row 3: station 东昌府 at 2026-01-05 01:00 repeats row 2",
        ),
        (GOOD.replace(",开发区,", ",,"), "row 4, column station: empty"),
        (GOOD.replace("so2,", ""), "row 1: the header lacks the column(s) so2"),
        ("time,station,pm25,pm10,so2,no2,o3,co\n", "the file has no rows"),
    ],
)
def test_it_rejects_a_bad_file_naming_row_and_column_and_stores_nothing(
    liaocheng: Staff, text: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        _upload(liaocheng, text)
    assert error.value.field == "file"
    assert message in error.value.message
    assert not StationHour.objects.exists()


def test_a_commander_does_not_upload_observations(liaocheng: Staff) -> None:
    with pytest.raises(ForbiddenError):
        observations_upload(
            actor=liaocheng.commander, jurisdiction=liaocheng.jurisdiction, csv_text=GOOD
        )


def test_indexing_gives_each_hour_its_aqi_level_and_primary_pollutant_once(
    liaocheng: Staff,
) -> None:
    upload = _upload(liaocheng)
    assert observations_index(upload_id=upload.pk) == 3
    assert observations_index(upload_id=upload.pk) == 0, "indexing is idempotent"
    by_key = {(h.station, timezone.localtime(h.observed_at).hour): h for h in upload.hours.all()}
    # HJ 633 Table 1, 1-hour PM2.5 80 µg/m³ is IAQI 107 (75–115 → 100–150), PM10 100 → 75.
    assert (by_key["东昌府", 1].aqi, by_key["东昌府", 1].level) == (107, 3)
    assert by_key["东昌府", 1].primary_pollutants == "PM2.5"
    assert by_key["开发区", 1].aqi == 350
    upload.refresh_from_db()
    assert upload.state == UploadState.INDEXED
