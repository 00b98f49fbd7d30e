"""The monitoring part of ``hazeguard serve --demo``: Beijing's 12 national-control stations and
a replay of their real December 2015 hours through the pull adapter.

A loopback HTTP server (in the ``serve`` process) answers like a CNEMC-layout endpoint, releasing
the shipped hours (``hazeguard/data/beijing-2015-12.csv.gz``) on an accelerated clock
(``--replay-speed``, recorded hours per real hour; 60 by default: one hour a minute); the station
poller (``manage.py poll_stations``) fetches them as it would a real endpoint. A newcomer watches
the AQI rise towards the red alerts of 7-10 and 19-22 December 2015 and the map turn colour.

:func:`beijing_days_store` stores Beijing's real daily city AQI of 2014-03 … 2016-02 (shipped,
``hazeguard/data/beijing-daily-2014-2016.csv``) as observed city days, moved by whole weeks (the
weekdays kept): the demo's model forecast learns from them, and the forecast tests use them.
"""

from __future__ import annotations

import csv
import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from django.utils import timezone

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import CityDay, PullSource
from hazeguard_platform.monitoring.stations import stations_import
from hazeguard_platform.monitoring.weather import weather_ingest

FIRST_HOUR = datetime(2015, 12, 1, 1)
#: The first and last days of the shipped daily history.
FIRST_DAY = date(2014, 3, 1)
LAST_DAY = date(2016, 2, 29)
STATIONS_FILE = "beijing-stations.csv"


def _stations_text() -> str:
    folder = resources.files("hazeguard_platform.monitoring") / "data"
    return (folder / STATIONS_FILE).read_text(encoding="utf-8")


def monitoring_demo_load() -> None:
    """Register Beijing's 12 stations (positions and their sources in the CSV) and store their
    observed hourly weather of the replayed month (``hazeguard/data/beijing-weather-2015-12``)."""
    import gzip

    from hazeguard.io.beijing import demo_weather_path

    beijing = Jurisdiction.objects.get(code="beijing")
    stations_import(
        actor=None, jurisdiction=beijing, csv_text=_stations_text(), filename=STATIONS_FILE
    )
    path = demo_weather_path()
    weather_ingest(
        actor=None,
        jurisdiction=beijing,
        body=gzip.decompress(path.read_bytes()).decode("utf-8"),
        layout="beijing",
        source=path.name,
    )


def beijing_days_store(
    jurisdiction: Jurisdiction,
    *,
    until: date,
    shift: timedelta = timedelta(0),
    since: date = FIRST_DAY,
) -> int:
    """Store Beijing's observed city days from ``since`` to ``until`` (dates of the history) for
    ``jurisdiction``, each moved by ``shift``; days already stored are kept. Returns how many
    days the history gave."""
    import numpy as np

    from hazeguard.aqi.levels import level_of
    from hazeguard.io.beijing import daily_path
    from hazeguard.io.daily import read_daily_history

    history = read_daily_history(daily_path())
    inside = (history.index >= str(since)) & (history.index <= str(until))
    history = history.loc[inside & history["aqi"].notna()]
    rows = [
        CityDay(
            jurisdiction=jurisdiction,
            day=stamp.date() + shift,
            aqi=int(aqi),
            level=int(level_of(float(aqi))),
            primary_pollutants=primary,
        )
        for stamp, aqi, primary in zip(
            history.index, history["aqi"], history["primary_pollutant"], strict=True
        )
        if np.isfinite(aqi)
    ]
    CityDay.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def shift_to(yesterday: date) -> timedelta:
    """Whole weeks that bring the history's day of the same season (its last year's same
    calendar day, up to six days later) to ``yesterday``."""
    year = LAST_DAY.year if (yesterday.month, yesterday.day) < (3, 1) else LAST_DAY.year - 1
    same = date(year, yesterday.month, min(yesterday.day, 28 if yesterday.month == 2 else 31))
    weeks = (yesterday - same).days // 7
    if yesterday - timedelta(weeks=weeks) > LAST_DAY:
        weeks += 1
    return timedelta(weeks=weeks)


def replay_start(*, speed: float, host: str = "127.0.0.1") -> str:
    """Serve the Beijing hours on a loopback port at ``speed`` and point Beijing's pull source at
    it; returns the endpoint's URL. The server thread ends with the process."""
    from hazeguard.io.beijing import demo_path, read_beijing_multisite
    from hazeguard.monitoring.replay import ReplayClock, released_rows

    hours = read_beijing_multisite([demo_path()])
    codes = {
        row["dataset_name"]: row["code"] for row in csv.DictReader(_stations_text().splitlines())
    }
    clock = ReplayClock(FIRST_HOUR, timezone.now(), speed)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            rows = released_rows(hours, clock.hour_at(timezone.now()), codes=codes)
            body = json.dumps(rows, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass  # the poller records every outcome on the pull source

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="beijing-replay").start()
    url = f"http://{host}:{server.server_port}/beijing/hourly.json"
    # Poll about twice per recorded hour, never more often than every 5 s.
    interval = max(5, int(3600 / speed / 2))
    PullSource.objects.update_or_create(
        jurisdiction=Jurisdiction.objects.get(code="beijing"),
        layout="cnemc",
        defaults={
            "url": url,
            "format": "json",
            "interval": interval,
            "active": True,
            "next_poll_at": timezone.now(),
        },
    )
    return url
