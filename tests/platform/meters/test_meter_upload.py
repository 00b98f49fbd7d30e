"""Uploading power-consumption readings (耗电量核算, seed 002 §电量核查): all or nothing, errors
naming the row and column, nothing stored ever lost, each enterprise sending only its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from enterprises.list_helpers import CEMENT_CODE, CHEMICALS_CODE, Firms, listed_firms
from page_text import chinese_runs, proper_names, read

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ForbiddenError
from hazeguard_platform.meters.models import MeterReading, MeterUpload
from hazeguard_platform.meters.services import (
    MeterUploadError,
    meter_readings_store,
    meter_readings_upload,
)
from meters.readings_helpers import CHINA, HEADER, csv_file, hourly

GOOD = f"{CEMENT_CODE},M-01,2026-01-01T00:00,120.5\n{CEMENT_CODE},M-01,2026-01-01T01:00,118\n"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The services' errors in English (the pages below choose their own language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def firms(liaocheng: Staff, tmp_path: Path) -> Firms:
    return listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)


def _upload(staff: Staff, *parts: str, actor: object = None) -> MeterUpload:
    return meter_readings_upload(
        actor=actor or staff.office_clerk, jurisdiction=staff.jurisdiction, file=csv_file(*parts)
    )


def test_it_stores_every_reading_of_a_good_file(liaocheng: Staff, firms: Firms) -> None:
    upload = _upload(liaocheng, hourly(CEMENT_CODE, "M-01", 100, 100))
    assert upload.outcome == MeterUpload.Outcome.STORED
    assert upload.stored == MeterReading.objects.count() == 17 * 24 + 12
    assert upload.meters == 1
    assert AuditEntry.objects.filter(action="meter_readings.upload").count() == 1


@pytest.mark.parametrize(
    ("bad_line", "row", "column", "reason"),
    [
        ("91370000000000000X,M-01,2026-01-01T02:00,100\n", 4, "enterprise", "is not on the list"),
        (f"{CEMENT_CODE},,2026-01-01T02:00,100\n", 4, "meter", "meter is empty"),
        (f"{CEMENT_CODE},M-01,yesterday,100\n", 4, "time", "'yesterday' is not a time"),
        (f"{CEMENT_CODE},M-01,2026-01-01T02:00,lots\n", 4, "energy_kwh", "'lots' is not a number"),
        (f"{CEMENT_CODE},M-01,2026-01-01T02:00,-3\n", 4, "energy_kwh", "is negative"),
        (f"{CEMENT_CODE},M-01,2026-01-01T02:00,\n", 4, "energy_kwh", "the energy is empty"),
        (f"{CEMENT_CODE},M-01,2026-01-01T01:00,90\n", 4, "time", "a second reading"),
    ],
)
def test_it_refuses_a_bad_row_naming_row_and_column_and_stores_nothing(
    liaocheng: Staff, firms: Firms, bad_line: str, row: int, column: str, reason: str
) -> None:
    with pytest.raises(MeterUploadError) as raised:
        _upload(liaocheng, GOOD, bad_line)
    assert (raised.value.row, raised.value.column) == (row, column)
    assert reason in raised.value.message
    assert f"readings.csv, row {row}, column “{column}”" in raised.value.message
    assert MeterReading.objects.count() == 0
    refused = MeterUpload.objects.get()
    assert refused.outcome == MeterUpload.Outcome.REFUSED
    assert refused.errors[0]["row"] == row


def test_it_names_a_missing_column_at_the_header(liaocheng: Staff, firms: Firms) -> None:
    file = csv_file()
    file.seek(0)
    file.write(b"enterprise,meter,time,kwh\nX,M,2026-01-01T00:00,1\n")
    file.seek(0)
    with pytest.raises(MeterUploadError, match=r"row 1, column “energy_kwh”: missing column"):
        meter_readings_upload(
            actor=liaocheng.office_clerk, jurisdiction=liaocheng.jurisdiction, file=file
        )


def test_a_meter_the_list_does_not_name_is_refused(liaocheng: Staff, firms: Firms) -> None:
    firms.cement.details = {"power_meters": ["0601-001"]}
    firms.cement.save()
    with pytest.raises(MeterUploadError, match=r"row 2, column “meter”: M-01 is not a meter of"):
        _upload(liaocheng, GOOD)


def test_nothing_stored_is_lost_or_replaced(liaocheng: Staff, firms: Firms) -> None:
    _upload(liaocheng, GOOD)
    again = _upload(liaocheng, GOOD, f"{CEMENT_CODE},M-01,2026-01-01T02:00,119\n")
    assert (again.stored, again.unchanged) == (1, 2)
    changed = GOOD.replace("118", "50")
    with pytest.raises(MeterUploadError, match=r"row 3, column “energy_kwh”: .*already stored"):
        _upload(liaocheng, changed)
    assert MeterReading.objects.count() == 3
    kept = MeterReading.objects.get(time=datetime(2026, 1, 1, 1, 0, tzinfo=CHINA))
    assert kept.energy_kwh == 118


def test_an_enterprise_contact_sends_only_its_own_readings(liaocheng: Staff, firms: Firms) -> None:
    own = f"{CHEMICALS_CODE},R-01,2026-01-01T00:00,40\n"
    stored = _upload(liaocheng, own, actor=firms.chemicals_contact)
    assert stored.stored == 1
    with pytest.raises(MeterUploadError, match=r"row 2, column “enterprise”"):
        _upload(liaocheng, GOOD, actor=firms.chemicals_contact)


def test_someone_without_a_role_there_is_refused_and_audited(
    liaocheng: Staff, firms: Firms, kashgar: Staff
) -> None:
    with pytest.raises(ForbiddenError):
        _upload(liaocheng, GOOD, actor=kashgar.office_clerk)
    assert AuditEntry.objects.filter(action="meter_readings.upload", outcome="denied").exists()


def _upload_page(staff: Staff, language: str) -> tuple[Client, str]:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(staff.office_clerk)
    return client, f"/meters/{staff.jurisdiction.code}/"


def test_the_upload_page_shows_the_row_at_fault_in_chinese(liaocheng: Staff, firms: Firms) -> None:
    client, page = _upload_page(liaocheng, "zh-hans")
    bad = csv_file(GOOD, f"{CEMENT_CODE},M-01,2026-01-01T02:00,-1\n")
    refused = client.post(page, {"file": bad})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "readings.csv 第 4 行“energy_kwh”列：-1.0 为负值；未导入任何读数" in text
    assert "row 4" not in text
    stored = client.post(page, {"file": csv_file(GOOD)}, follow=True)
    shown = stored.content.decode()
    assert "已导入 2 条读数（0 条此前已存）" in shown
    assert HEADER.strip() not in shown
    # The old side-by-side labels are gone: the Chinese page says each thing once, in Chinese.
    for english_word in ("Upload", "Recent uploads", "columns", "stored 2 readings", "refused"):
        assert english_word not in shown
    assert "最近导入" in shown
    assert "<td>未导入<br>readings.csv 第 4 行“energy_kwh”列：-1.0 为负值</td>" in shown


def test_the_upload_page_speaks_english_with_no_chinese(liaocheng: Staff, firms: Firms) -> None:
    client, page = _upload_page(liaocheng, "en")
    bad = csv_file(GOOD, f"{CEMENT_CODE},M-01,2026-01-01T02:00,-1\n")
    refused = client.post(page, {"file": bad})
    text = refused.content.decode()
    assert "readings.csv, row 4, column “energy_kwh”: -1.0 is negative; nothing stored" in text
    stored = client.post(page, {"file": csv_file(GOOD)}, follow=True)
    shown = stored.content.decode()
    assert "Stored 2 readings (0 already stored)." in shown
    assert "Recent uploads" in shown
    assert "<td>refused<br>readings.csv, row 4" in shown
    runs = chinese_runs(read(shown).text + read(text).text, proper_names())
    assert runs == set()


def test_a_large_file_is_stored_by_the_worker_with_the_same_checks(
    liaocheng: Staff,
    firms: Firms,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.METER_UPLOAD_SYNC_BYTES = 100  # every file here is "large"
    with django_capture_on_commit_callbacks(execute=True):
        queued = _upload(liaocheng, hourly(CEMENT_CODE, "M-01", 100, 100))
    assert queued.outcome == MeterUpload.Outcome.QUEUED
    assert not MeterReading.objects.exists()
    assert DBTaskResult.objects.filter(args_kwargs__args=[queued.pk]).exists()

    stored = meter_readings_store(upload_id=queued.pk)

    assert stored is not None
    assert (stored.outcome, stored.stored) == (MeterUpload.Outcome.STORED, 17 * 24 + 12)
    assert bytes(stored.content) == b""
    assert meter_readings_store(upload_id=queued.pk) is None  # done: a second run does nothing


def test_a_large_bad_file_is_refused_by_the_worker_naming_the_row(
    liaocheng: Staff, firms: Firms, settings: Any
) -> None:
    settings.METER_UPLOAD_SYNC_BYTES = 100
    queued = _upload(liaocheng, GOOD, f"{CEMENT_CODE},M-01,2026-01-01T02:00,-1\n")

    refused = meter_readings_store(upload_id=queued.pk)

    assert refused is not None
    assert refused.outcome == MeterUpload.Outcome.REFUSED
    assert (refused.errors[0]["row"], refused.errors[0]["column"]) == (4, "energy_kwh")
    assert not MeterReading.objects.exists()
