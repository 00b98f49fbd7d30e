"""Ingest and index one hour of 2,000 stations, city values included, timed.

    uv run python benchmarks/bench_monitoring.py [--cities 200] [--stations 10] [--history 48]
        [--repeats 5] [--baseline-repeats 1] [--backfill-days N]

On a throw-away SQLite database (or the PostgreSQL that ``DATABASE_URL`` names, fresh): makes
``--cities`` jurisdictions of ``--stations`` national stations each, backfills ``--history`` hours
for all of them through ``readings_ingest`` (timed: the backfill figure), then times

1. ``readings_ingest`` of one new hour of every station, ``--repeats`` times (each a new
   hour) (CSV, checked by the core, stored, flags,
   station AQI and the city values of every city recomputed for the span the hour touches);
2. the baseline, in the same run: the next hour row by row through the ORM — one
   ``update_or_create`` per reading, then per city its readings of the last 48 h read back, the
   same core ``city_values`` on that city alone, and one ``update_or_create``/``save`` per city
   hour and station reading.

3. with ``--backfill-days N``: a backfill, N consecutive days of every station, one delivery of
   24 h × all stations a day through ``readings_ingest`` (as an operator backfills a year), each
   timed, projected to 5 years (1,826 days) against the 10 min target; the baseline in the same
   run is the floor: one day's readings, flags and AQI already computed, written by the same
   ``city_store.insert_readings`` (``COPY`` on PostgreSQL, a prepared ``INSERT … executemany``
   on SQLite) and rolled back.

Prints wall and CPU times (min / median; the machine is shared, so the CPU time is the fairer
figure and the load is printed), their ratio and the verdict against 1 s; docs/monitoring.md
records a run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from hazeguard.vocabulary import CHINA
from timing import HEADER, load, repeat, verdict

START = datetime(2026, 1, 5, 1)
POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co", "o3")


def _setup(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hazeguard_platform.settings"
    os.environ.setdefault("HAZEGUARD_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ["HAZEGUARD_DATA_DIR"] = str(folder)
    import django
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        from load_platform import create_database

        create_database()  # .ci/with-postgres starts an empty server; a used database is refused
    django.setup()
    call_command("migrate", verbosity=0)


def _csv(codes: list[str], hours: list[datetime], rng: np.random.Generator) -> str:
    lines = ["time,station,pm25,pm10,so2,no2,co,o3"]
    for hour in hours:
        values = rng.uniform(
            [20, 60, 3, 20, 0.4, 10], [250, 400, 30, 90, 2.5, 180], (len(codes), 6)
        )
        for code, row in zip(codes, values.round(1), strict=True):
            lines.append(f"{hour:%Y-%m-%d %H:%M},{code}," + ",".join(f"{v:g}" for v in row))
    return "\n".join(lines) + "\n"


def _row_by_row(place_codes: dict[int, list[str]], text: str) -> None:
    """The baseline: the same hour through the ORM one row at a time."""
    import pandas as pd

    from hazeguard.aqi.indicators import hourly_grid
    from hazeguard.monitoring.city import city_values
    from hazeguard_platform.monitoring.models import CityHour, Delivery, Reading, Station

    rows = [line.split(",") for line in text.strip().splitlines()[1:]]
    place = next(iter(place_codes))
    delivery = Delivery.objects.create(jurisdiction_id=place, way="upload", source="baseline")
    stations = {s.code: s for s in Station.objects.all()}
    for row in rows:
        moment = datetime.fromisoformat(row[0]).replace(tzinfo=CHINA)
        Reading.objects.update_or_create(
            station=stations[row[1]],
            hour_end=moment,
            defaults={p: float(v) for p, v in zip(POLLUTANTS, row[2:], strict=True)}
            | {"delivery": delivery},
        )
    newest = datetime.fromisoformat(rows[0][0]).replace(tzinfo=CHINA)
    for place_id, codes in place_codes.items():
        readings = list(
            Reading.objects.filter(
                station__code__in=codes, hour_end__gt=newest - timedelta(hours=48)
            ).select_related("station")
        )
        grid = hourly_grid(
            pd.DatetimeIndex([r.hour_end.astimezone(CHINA).replace(tzinfo=None) for r in readings]),
            {p: np.array([getattr(r, p) for r in readings], dtype=float) for p in POLLUTANTS},
            np.array([r.station.code for r in readings], dtype=object),
        )
        values = city_values(grid)
        last = values.hourly.iloc[-1]
        CityHour.objects.update_or_create(
            jurisdiction_id=place_id,
            hour_end=newest,
            defaults={"aqi": None if pd.isna(last.aqi) else int(last.aqi)},
        )
        current = values.stations[values.stations["time"] == newest.replace(tzinfo=None)]
        by_code = {r.station.code: r for r in readings if r.hour_end == newest}
        for row in current.itertuples(index=False):
            reading = by_code[str(row.station)]
            reading.aqi = None if pd.isna(row.aqi) else int(row.aqi)
            reading.save(update_fields=["aqi"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=200)
    parser.add_argument("--stations", type=int, default=10)
    parser.add_argument("--history", type=int, default=48, help="hours backfilled first")
    parser.add_argument("--repeats", type=int, default=5, help="new hours timed")
    parser.add_argument("--baseline-repeats", type=int, default=1, help="hours timed row by row")
    parser.add_argument("--backfill-days", type=int, default=0, help="days backfilled, timed")
    parser.add_argument(
        "--backfill-only", action="store_true", help="skip the one-hour part (with --backfill-days)"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from hazeguard_platform.jurisdictions.models import Jurisdiction
        from hazeguard_platform.monitoring.models import Station
        from hazeguard_platform.monitoring.services import readings_ingest

        province = Jurisdiction.objects.create(code="province", name_zh="省", kind="province")
        place_codes: dict[int, list[str]] = {}
        for number in range(options.cities):
            city = Jurisdiction.objects.create(
                code=f"city-{number}", name_zh=f"市{number}", kind="city", parent=province
            )
            codes = [f"{number:04d}{k:02d}A" for k in range(options.stations)]
            Station.objects.bulk_create(
                Station(
                    code=c,
                    name_zh=c,
                    kind="national",
                    jurisdiction=city,
                    latitude=36,
                    longitude=116,
                )
                for c in codes
            )
            place_codes[city.pk] = codes
        every = [c for codes in place_codes.values() for c in codes]
        rng = np.random.default_rng(1)
        history = [START + timedelta(hours=k) for k in range(options.history)]

        def ingest(text: str) -> float:
            began, server_began = time.perf_counter(), _server_cpu()
            readings_ingest(
                actor=None,
                jurisdiction=province,
                body=text,
                fmt="csv",
                layout="hazeguard",
                way="upload",
                source="bench.csv",
            )
            if server_began is not None:
                SERVER_CPU.append(_server_cpu() - server_began)  # type: ignore[operator]
            return time.perf_counter() - began

        backfill = ingest(_csv(every, history, rng))
        next_hour = iter(START + timedelta(hours=options.history + k) for k in range(10_000))
        if not options.backfill_only:
            _one_hour(options, place_codes, every, next_hour, rng, ingest, backfill)
        sys.stdout.flush()
        if options.backfill_days:
            first = next(next_hour)
            _backfill(options.backfill_days, every, first, rng, ingest)


def _one_hour(
    options: argparse.Namespace,
    place_codes: dict[int, list[str]],
    every: list[str],
    next_hour: Iterator[datetime],
    rng: np.random.Generator,
    ingest: Any,
    backfill: float,
) -> None:
    """Part 1 and 2: one new hour through ``readings_ingest``, and row by row (the baseline)."""
    # Each run is a new hour (a re-delivered hour would change nothing); texts built first.
    texts = [_csv(every, [next(next_hour)], rng) for _ in range(options.repeats)]
    ours = repeat(options.repeats, lambda: ingest(texts.pop(0)))
    rows = [_csv(every, [next(next_hour)], rng) for _ in range(options.baseline_repeats)]
    baseline = repeat(options.baseline_repeats, lambda: _row_by_row(place_codes, rows.pop(0)))
    stations = len(every)
    print(f"{stations} stations in {options.cities} cities, {options.history} h of history")
    print(load())
    print(f"backfill of {options.history} h ({stations * options.history} rows): {backfill:.2f} s")
    print(f"{'one hour of every station':58s} {HEADER}")
    print(f"{'readings_ingest (checked, stored, flags, city values)':58s} {ours.cells()}")
    print(f"{'baseline: row by row through the ORM':58s} {baseline.cells()}")
    print(
        f"ratio baseline / readings_ingest: {baseline.wall / ours.wall:.1f}x wall, "
        f"{baseline.cpu / ours.cpu:.1f}x CPU (minimum of each)"
    )
    _print_server_cpu(options.repeats, "one hour")
    print(verdict("one hour, CPU", ours.cpu, 1.0))
    print(verdict("one hour, wall", ours.wall, 1.0))


# CPU time of the PostgreSQL backend during each ingest [s]: the process CPU time leaves it out.
SERVER_CPU: list[float] = []


def _server_cpu() -> float | None:
    """CPU time so far of the PostgreSQL backend serving this connection [s] (from /proc, the
    server runs on this machine); ``None`` on SQLite, which runs inside the process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _print_server_cpu(last: int, what: str) -> None:
    if SERVER_CPU:
        times = sorted(SERVER_CPU[-last:])
        print(
            f"PostgreSQL backend CPU per {what} (readings_ingest): min {times[0]:.3f} s, "
            f"median {times[len(times) // 2]:.3f} s (not in the process CPU above)"
        )


FIVE_YEARS_DAYS = 1826


def _backfill(
    days: int, codes: list[str], first: datetime, rng: np.random.Generator, ingest: Any
) -> None:
    """Time ``days`` day-long deliveries of every station and the floor of writing one day."""
    from django.db import transaction

    from hazeguard_platform.monitoring.city_store import insert_readings
    from hazeguard_platform.monitoring.models import Delivery, Reading, Station

    # The texts are built first: the CSV a station network sends is not ours to time.
    pending = iter(
        [
            _csv(codes, [first + timedelta(days=day, hours=h) for h in range(24)], rng)
            for day in range(days)
        ]
    )
    ours = repeat(days, lambda: ingest(next(pending)))
    rows = len(codes) * 24
    ids = list(Station.objects.filter(code__in=codes).values_list("pk", flat=True))
    later = first + timedelta(days=days + 400)

    def floor() -> None:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                jurisdiction_id=Station.objects.get(pk=ids[0]).jurisdiction_id,
                way="upload",
                source="floor",
            )
            values = rng.uniform(20, 200, (rows, 6)).round(1)
            insert_readings(
                [
                    Reading(
                        station_id=station,
                        hour_end=(later + timedelta(hours=h)).replace(tzinfo=CHINA),
                        delivery_id=delivery.pk,
                        flags={},
                        aqi=100,
                        level=2,
                        primary_pollutants="pm25_1h",
                        **dict(zip(POLLUTANTS, values[k * 24 + h], strict=True)),
                    )
                    for k, station in enumerate(ids)
                    for h in range(24)
                ]
            )
            transaction.set_rollback(True)

    written = repeat(3, floor)
    print(f"backfill: {days} days of {len(codes)} stations, one delivery a day ({rows} rows)")
    print(load())
    print(f"{'one day of every station':58s} {HEADER}")
    print(f"{'readings_ingest (checked, stored, flags, city values)':58s} {ours.cells()}")
    print(f"{'floor: the same rows by insert_readings (COPY / executemany)':58s} {written.cells()}")
    print(
        f"ratio readings_ingest / floor: {ours.wall / written.wall:.1f}x wall, "
        f"{ours.cpu / written.cpu:.1f}x CPU (minimum of each)"
    )
    _print_server_cpu(days, "one day")
    print(f"rows per second (median): {rows / ours.wall_median:,.0f} wall, "
          f"{rows / ours.cpu_median:,.0f} CPU")  # fmt: skip
    for what, seconds in (("wall", ours.wall_median), ("CPU", ours.cpu_median)):
        projected = seconds * FIVE_YEARS_DAYS
        print(verdict(f"5 years ({FIVE_YEARS_DAYS} days) projected, {what}", projected, 600.0))


if __name__ == "__main__":
    main()
