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
    """Every station's hours as the CSV a network sends (built with pandas: a month of 2,000
    stations is 1.4 million lines)."""
    import pandas as pd

    values = rng.uniform(
        [20, 60, 3, 20, 0.4, 10], [250, 400, 30, 90, 2.5, 180], (len(hours) * len(codes), 6)
    ).round(1)
    frame = pd.DataFrame(values, columns=list(POLLUTANTS))
    frame.insert(0, "station", np.tile(np.asarray(codes, dtype=object), len(hours)))
    frame.insert(0, "time", np.repeat([f"{hour:%Y-%m-%d %H:%M}" for hour in hours], len(codes)))
    return str(frame.to_csv(index=False))


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
    parser.add_argument("--backfill-chunk", type=int, default=7, help="days a backfill delivery")
    parser.add_argument(
        "--baseline-cities", type=int, default=10, help="cities of the backfill's row-by-row slice"
    )
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
            _backfill(options, place_codes, first, rng, ingest)


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
    options: argparse.Namespace,
    place_codes: dict[int, list[str]],
    first: datetime,
    rng: np.random.Generator,
    ingest: Any,
) -> None:
    """Time a backfill of ``--backfill-days`` days of every station, ``--backfill-chunk`` days a
    delivery through ``readings_ingest``; the same first delivery again (idempotence); the floor
    (the rows alone written by ``insert_rows``, rolled back); and the baseline, one hour of
    ``--baseline-cities`` cities' stations row by row through the ORM."""
    from django.db import transaction

    from hazeguard_platform.monitoring.models import Delivery, Reading, Station
    from hazeguard_platform.monitoring.readings_store import flag_texts, insert_rows

    codes = [c for place in place_codes.values() for c in place]
    days, chunk = options.backfill_days, options.backfill_chunk
    starts = list(range(0, days, chunk))

    def hours_of(start: int) -> list[datetime]:
        length = min(chunk, days - start)
        return [first + timedelta(days=start, hours=h) for h in range(24 * length)]

    texts: dict[int, str] = {}

    def one(start: int) -> float:
        # The CSV a network sends is not ours to time: built before the clock starts.
        texts[start] = _csv(codes, hours_of(start), rng)
        seconds = ingest(texts[start])
        if start != starts[0]:
            del texts[start]
        return seconds

    timed = [repeat(1, lambda start=start: one(start)) for start in starts]  # type: ignore[misc]
    walls = [t.wall for t in timed]
    cpus = [t.cpu for t in timed]
    server = SERVER_CPU[-len(starts) :] if SERVER_CPU else []
    rows = len(codes) * 24 * days
    stored = Reading.objects.count()
    again = repeat(1, lambda: ingest(texts[starts[0]]))
    unchanged = Delivery.objects.order_by("-id").values_list("unchanged", "stored").first()
    assert Reading.objects.count() == stored, "a delivery again must store nothing"
    print(
        f"backfill: {days} days of {len(codes)} stations, {chunk} days a delivery ({rows:,} rows)"
    )
    print(load())
    wall, cpu = sum(walls), sum(cpus)
    server_cpu = sum(server)
    print(f"{'backfill, each delivery':58s} {'wall':>9s} {'CPU':>9s} {'server':>9s}")
    for start, w, c, v in zip(
        starts, walls, cpus, server or [float("nan")] * len(starts), strict=True
    ):
        what = f"  days {start + 1}-{min(start + chunk, days)}"
        print(f"{what:58s} {w:9.2f} {c:9.2f} {v:9.2f}")
    print(f"{'total':58s} {wall:9.2f} {cpu:9.2f} {server_cpu:9.2f}")
    print(f"rows per second: {rows / wall:,.0f} wall, {rows / (cpu + server_cpu):,.0f} CPU "
          "(process + server)")  # fmt: skip
    print(
        f"the first delivery again: {again.wall:.2f} s wall, {again.cpu:.2f} s CPU; "
        f"{unchanged[0]:,} rows unchanged, {unchanged[1]} stored, readings {stored:,} before "
        "and after"
    )

    # The floor: the same number of rows (one delivery's) written alone, rolled back.
    ids = np.asarray(Station.objects.filter(code__in=codes).values_list("pk", flat=True))
    hours = len(hours_of(0))
    later = np.datetime64(first + timedelta(days=days + 400)) + np.arange(hours).astype(
        "timedelta64[h]"
    )

    def floor() -> None:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                jurisdiction_id=next(iter(place_codes)), way="upload", source="floor"
            )
            count = len(ids) * hours
            insert_rows(
                station_id=np.repeat(ids, hours),
                hour_end=np.tile(later, len(ids)).astype("datetime64[ns]"),
                values=rng.uniform(20, 200, (count, 6)).round(1),
                flags=flag_texts(np.zeros((count, 6), dtype=np.uint8)),
                aqi=np.full(count, 100.0),
                level=np.full(count, 2.0),
                primary=np.full(count, "PM2.5", dtype=object),
                delivery_id=delivery.pk,
            )
            transaction.set_rollback(True)

    written = repeat(1, floor)
    first_rows = len(codes) * hours
    print(
        f"floor, the first delivery's {first_rows:,} rows alone by insert_rows (COPY / "
        f"executemany): {written.wall:.2f} s wall, {written.cpu:.2f} s CPU; backfill / floor "
        f"{walls[0] / written.wall:.1f}x wall"
    )

    # The baseline: row by row through the ORM, one hour of a few cities' stations.
    few = dict(list(place_codes.items())[: options.baseline_cities])
    slice_codes = [c for place in few.values() for c in place]
    text = _csv(slice_codes, [first + timedelta(days=days + 1)], rng)
    baseline = repeat(1, lambda: _row_by_row(few, text))
    per_row = baseline.wall / len(slice_codes)
    print(
        f"baseline, row by row through the ORM: {len(slice_codes)} rows ({len(few)} cities, one "
        f"hour) in {baseline.wall:.2f} s wall, {baseline.cpu:.2f} s CPU: "
        f"{1 / per_row:,.0f} rows/s wall"
    )
    print(
        f"ratio backfill / baseline, rows per second: {(rows / wall) / (1 / per_row):.0f}x wall, "
        f"{(rows / cpu) / (len(slice_codes) / baseline.cpu):.0f}x process CPU"
    )
    five = len(codes) * 24 * FIVE_YEARS_DAYS
    for what, seconds in (("wall", wall), ("CPU, process + server", cpu + server_cpu)):
        projected = seconds / days * FIVE_YEARS_DAYS
        print(verdict(f"5 years ({five:,} rows) projected linearly, {what}", projected, 600.0))
    print(f"baseline projected to 5 years: {per_row * five / 3600:,.0f} h wall")


if __name__ == "__main__":
    main()
