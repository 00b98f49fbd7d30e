"""Hour by hour equals all at once: the array path (monitoring/city_store.py) stores the same
flags, station AQI, city hours and city days whether 30 hours arrive one delivery per hour (each
recomputing only the span it touches) or in one delivery."""

from __future__ import annotations

import gzip
import io
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from flows import observe

from conftest import Staff
from hazeguard_platform.monitoring.models import CityDay, CityHour, Correction, Delivery, Reading

pytestmark = pytest.mark.django_db
HEADER = "time,station,pm25,pm10,so2,no2,o3,co\n"
START = datetime(2026, 1, 5, 1)
HOURS = 30


def _hours() -> list[str]:
    rng = np.random.default_rng(7)
    lines = []
    for k in range(HOURS):
        moment = START + timedelta(hours=k)
        for station in ("东昌府", "开发区", "古楼"):
            pm25 = round(rng.uniform(30, 260), 1)
            if station == "开发区" and k == 12:
                pm25 = 900.0  # a spike between its neighbours
            if station == "古楼" and 20 <= k < 28:
                pm25 = 77.0  # stuck for 8 hours
            lines.append(
                f"{moment:%Y-%m-%d %H:%M},{station},{pm25},{pm25 + 40},"
                f"{rng.uniform(3, 20):.1f},{rng.uniform(20, 80):.1f},"
                f"{rng.uniform(10, 150):.1f},{rng.uniform(0.4, 2):.2f}\n"
            )
    return lines


def _stored() -> tuple[list[object], list[object], list[object]]:
    readings = list(
        Reading.objects.order_by("station__code", "hour_end").values_list(
            "station__code", "hour_end", "flags", "aqi", "level", "primary_pollutants"
        )
    )
    hours = list(CityHour.objects.order_by("jurisdiction", "hour_end").values_list())
    days = list(CityDay.objects.order_by("jurisdiction", "day").values_list())
    return readings, [h[1:] for h in hours], [d[1:] for d in days]


def _forget() -> None:
    Correction.objects.all().delete()
    Reading.objects.all().delete()
    CityHour.objects.all().delete()
    CityDay.objects.all().delete()
    Delivery.objects.all().delete()


def test_hour_by_hour_stores_what_one_delivery_of_all_hours_stores(liaocheng: Staff) -> None:
    lines = _hours()
    for k in range(HOURS):
        observe(liaocheng, HEADER + "".join(lines[3 * k : 3 * k + 3]))
    incremental = _stored()
    _forget()

    observe(liaocheng, HEADER + "".join(lines))
    at_once = _stored()

    assert incremental[0] == at_once[0]
    assert incremental[1] == at_once[1]
    assert incremental[2] == at_once[2]
    flagged = {(code, str(flags)) for code, _, flags, *_ in at_once[0] if flags}
    assert any(code == "开发区" and "pm25" in flags for code, flags in flagged)  # the spike
    assert any(code == "古楼" for code, _ in flagged)  # the stuck run
    assert any(aqi is not None for *_, aqi, _, _ in at_once[0])


def test_a_backfill_in_periods_again_stores_nothing_twice_and_corrects_with_a_record(
    liaocheng: Staff,
) -> None:
    """A backfill is deliveries of whole periods through the same path; delivering them again
    (an interrupted backfill restarted) leaves every row as it was, and a changed value in the
    repeated file is a correction with its record."""
    lines = _hours()
    observe(liaocheng, HEADER + "".join(lines))
    at_once = _stored()
    _forget()

    half = 3 * (HOURS // 2)
    for period in (lines[:half], lines[half:]):
        observe(liaocheng, HEADER + "".join(period))
    assert _stored() == at_once
    count = Reading.objects.count()

    again = observe(liaocheng, HEADER + "".join(lines))
    assert (again.stored, again.unchanged, again.corrected) == (0, 3 * HOURS, 0)
    assert Reading.objects.count() == count == 3 * HOURS
    assert _stored() == at_once

    changed = [*lines[:half], lines[half].replace(lines[half].split(",")[2], "501.5", 1)]
    corrected = observe(liaocheng, HEADER + "".join(changed))
    assert (corrected.stored, corrected.corrected) == (0, 1)
    record = Correction.objects.get()
    assert record.after["pm25"] == 501.5
    assert Reading.objects.count() == count
    assert _stored() != at_once  # the corrected hour's AQI and its city hours moved


def test_the_command_backfills_files_in_order_and_again_stores_nothing(
    liaocheng: Staff, tmp_path: Path
) -> None:
    lines = _hours()
    observe(liaocheng, HEADER + "".join(lines))  # registers the stations
    at_once = _stored()
    _forget()
    half = 3 * (HOURS // 2)
    files = [tmp_path / "2026-01a.csv", tmp_path / "2026-01b.csv.gz"]
    files[0].write_text(HEADER + "".join(lines[:half]), encoding="utf-8")
    files[1].write_bytes(gzip.compress((HEADER + "".join(lines[half:])).encode()))
    out = io.StringIO()
    call_command("readings_load", "liaocheng", *map(str, files), stdout=out)
    assert _stored() == at_once
    call_command("readings_load", "liaocheng", *map(str, files), stdout=out)
    assert _stored() == at_once
    assert out.getvalue().splitlines()[-1] == (
        f"2026-01b.csv.gz: {3 * HOURS - half} rows, 0 new, 0 corrected, "
        f"{3 * HOURS - half} already stored"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + lines[0].replace(",", ",x", 3), encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行“pm25”列"):
        call_command("readings_load", "liaocheng", str(bad))
    with translation.override("en"), pytest.raises(CommandError, match="row 2, column “pm25”"):
        call_command("readings_load", "liaocheng", str(bad))
