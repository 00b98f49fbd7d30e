"""Upload of power-consumption readings and the electricity check of an episode, timed.

    uv run python benchmarks/bench_meters.py [--enterprises 500] [--minutes 60]

On a throw-away SQLite database (or the PostgreSQL that ``DATABASE_URL`` names, fresh): imports
a synthetic Liaocheng list (``generate_city``), records a red episode of three days with a task
for every enterprise, writes one meter per enterprise with readings from 14 days before the order
to the lift (every ``--minutes``), then times

1. ``meter_readings_upload`` of that CSV (read, checked, stored; above 5 MB it is queued and
   ``meter_readings_store`` — what the task worker runs — is timed);
2. ``electricity_check_run`` over the episode (readings from the database, the core's check,
   findings stored);
3. ``episode_summary_for`` (the summary with both sections) and its .docx.

Baselines in the same run, printed as ratios: for the upload, ``pandas.read_csv`` of the same file
(parsing only: no check, nothing stored); for the check, reading every stored reading back into a
DataFrame with one query, as many as the check reads (what any check must at least do).

Figures depend on the machine and its load; docs/summaries.md records a run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

CHINA = ZoneInfo("Asia/Shanghai")
ORDERED = datetime(2026, 1, 5, 8, 0, tzinfo=CHINA)
LIFTED = ORDERED + timedelta(days=3)
HISTORY = timedelta(days=15)  # 14 baseline days and the order day's morning


def _setup(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hazeguard_platform.settings"
    os.environ.setdefault("HAZEGUARD_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ["HAZEGUARD_DATA_DIR"] = str(folder)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _readings_csv(path: Path, codes: list[str], minutes: int) -> int:
    """One meter per enterprise: normal 100 kWh per hour, every third enterprise keeps running
    during the warning, the others drop to 5 %. Returns the number of readings."""
    step = timedelta(minutes=minutes)
    per_slot = 100.0 * minutes / 60
    times = []
    moment = ORDERED - HISTORY
    while moment < LIFTED:
        times.append((moment.strftime("%Y-%m-%dT%H:%M"), moment >= ORDERED))
        moment += step
    with path.open("w", encoding="utf-8") as out:
        out.write("enterprise,meter,time,energy_kwh\n")
        for index, code in enumerate(codes):
            running = index % 3 == 0
            for text, during in times:
                energy = per_slot if (running or not during) else per_slot * 0.05
                out.write(f"{code},{code[-8:]}-M1,{text},{energy:g}\n")
    return len(codes) * len(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=500)
    parser.add_argument("--minutes", type=int, default=60, help="reading interval [min]")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        _run(Path(folder), options.enterprises, options.minutes)


def _run(folder: Path, n: int, minutes: int) -> None:
    from django.contrib.auth.models import User

    from hazeguard.documents.summary import summary_docx
    from hazeguard.reduction.io_excel import ListWorkbook, write_workbook
    from hazeguard.reduction.synthetic import generate_city
    from hazeguard_platform.accounts.models import Membership, Role
    from hazeguard_platform.enterprises.models import EnterpriseTask, ListedEnterprise
    from hazeguard_platform.enterprises.services import emission_list_import
    from hazeguard_platform.jurisdictions.services import plan_import
    from hazeguard_platform.meters.models import MeterReading
    from hazeguard_platform.meters.services import (
        electricity_check_run,
        meter_readings_store,
        meter_readings_upload,
    )
    from hazeguard_platform.summaries.selectors import episode_summary_for
    from hazeguard_platform.warnings.models import Episode, Warning

    version = plan_import(actor=None, plan_id="liaocheng-2020")
    place = version.jurisdiction
    clerk = User.objects.create_user(username="clerk", password=secrets.token_urlsafe(16))
    Membership.objects.create(user=clerk, jurisdiction=place, role=Role.COMMAND_OFFICE_STAFF)
    book = folder / "list.xlsx"
    write_workbook(ListWorkbook(generate_city(n, seed=1, jurisdiction=place.name_zh)), book)
    with book.open("rb") as file:
        emission_list_import(jurisdiction=place, file=file, actor=clerk)
    episode = Episode.objects.create(jurisdiction=place, started_at=ORDERED, ended_at=LIFTED)
    warning = Warning.objects.create(
        jurisdiction=place, level="red", response="I", state="ended", plan_version=version,
        issued_at=ORDERED - timedelta(hours=24), starts_at=ORDERED, ended_at=LIFTED,
        end_reason="lifted", episode=episode,
    )  # fmt: skip
    enterprises = list(ListedEnterprise.objects.filter(jurisdiction=place))
    EnterpriseTask.objects.bulk_create(
        EnterpriseTask(enterprise=e, warning=warning, level="red", description="停产", measure={})
        for e in enterprises
    )
    csv = folder / "readings.csv"
    count = _readings_csv(csv, [e.credit_code for e in enterprises], minutes)
    size = csv.stat().st_size / 1e6
    print(f"{len(enterprises)} enterprises, {count:,} readings every {minutes} min ({size:.1f} MB)")

    started = time.perf_counter()
    with csv.open("rb") as file:
        upload = meter_readings_upload(actor=clerk, jurisdiction=place, file=file)
    if upload.outcome == upload.Outcome.QUEUED:  # above METER_UPLOAD_SYNC_BYTES: the worker's
        print(f"upload: queued for the worker in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        stored = meter_readings_store(upload_id=upload.pk)
        assert stored is not None
        upload = stored
    uploaded = time.perf_counter() - started
    print(f"upload: {upload.stored:,} readings stored in {uploaded:.1f} s")
    started = time.perf_counter()
    parsed = pd.read_csv(csv)
    floor = time.perf_counter() - started
    print(
        f"  baseline pandas.read_csv, no check, nothing stored: {len(parsed):,} rows in "
        f"{floor:.2f} s (upload = {uploaded / floor:.0f}x)"
    )

    started = time.perf_counter()
    check = electricity_check_run(actor=clerk, episode=episode)
    checked = time.perf_counter() - started
    print(
        f"electricity check: {check.meters} meters, {check.readings:,} readings read, "
        f"{check.findings.count():,} findings in {checked:.1f} s"
    )
    started = time.perf_counter()
    stored = pd.DataFrame.from_records(
        MeterReading.objects.values_list("enterprise_id", "meter", "time", "energy_kwh")[
            : check.readings
        ].iterator(chunk_size=10_000),
        columns=["enterprise", "meter", "time", "energy_kwh"],
    )
    floor = time.perf_counter() - started
    print(
        f"  baseline: as many stored readings ({len(stored):,}) read back in one query in "
        f"{floor:.2f} s "
        f"(check = {checked / floor:.1f}x)"
    )

    started = time.perf_counter()
    summary = episode_summary_for(episode)
    built = time.perf_counter() - started
    document = summary_docx(summary)
    violating = sum(row.electricity == "violation" for row in summary.compliance)
    print(
        f"summary: {len(summary.compliance)} enterprises ({violating} violating) in {built:.1f} s, "
        f".docx {len(document) / 1e3:.0f} kB in {time.perf_counter() - started - built:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
