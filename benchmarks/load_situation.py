"""The situation pages in the platform load benchmark (``load_platform.py --situation``).

Set-up, not measured: the city gets ``STATIONS_PER_PLACE`` national stations of its own and as
many in each county (synthetic codes and positions inside the city's boundary box), and
``HISTORY_DAYS`` days of hourly readings through ``readings_ingest`` (the platform's one way in,
so the city hours and days the pages read are the ones the platform computes), a day a delivery.
Scripts: the office staff open the office's situation page and its data (the map and chart
data the page fetches and refreshes every minute); everyone else is the public, not signed
in, on the public situation page and its data.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from load_http import Step

STATIONS_PER_PLACE = 4
HISTORY_DAYS = 8
# Liaocheng's extent, roughly (cnmaps boundary): stations are spread inside it. [° WGS 84]
SOUTH_WEST, NORTH_EAST = (35.8, 115.3), (36.8, 116.5)


def monitoring_setup(city: Any) -> int:
    """Stations for the city and its counties and ``HISTORY_DAYS`` days of readings up to the
    current hour; returns the readings stored."""
    from django.utils import timezone

    from hazeguard.vocabulary import CHINA
    from hazeguard_platform.monitoring.models import Station
    from hazeguard_platform.monitoring.services import readings_ingest

    rng = np.random.default_rng(15)
    codes = []
    for place in [city, *city.children.all()]:
        for number in range(STATIONS_PER_PLACE):
            code = f"{place.pk:03d}{number:01d}L"
            latitude, longitude = rng.uniform(SOUTH_WEST, NORTH_EAST)
            Station.objects.create(
                code=code,
                name_zh=f"{place.name_zh}{number + 1}号站",
                kind="national",
                jurisdiction=place,
                latitude=round(float(latitude), 4),
                longitude=round(float(longitude), 4),
                approximate=True,
            )
            codes.append(code)
    now = timezone.now().astimezone(CHINA).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    first = now - timedelta(days=HISTORY_DAYS)
    stored = 0
    for day in range(HISTORY_DAYS):
        hours = [first + timedelta(days=day, hours=h + 1) for h in range(24)]
        lines = ["time,station,pm25,pm10,so2,no2,co,o3"]
        for k, hour in enumerate(hours):
            # A haze building over the days: the chart and the dots have something to show.
            level = 40 + 200 * (day * 24 + k) / (HISTORY_DAYS * 24)
            values = rng.normal(
                [level, level * 1.4, 15, 50, 1.2, 60], [15, 20, 4, 10, 0.2, 15], (len(codes), 6)
            ).clip(1)
            for code, row in zip(codes, values.round(1), strict=True):
                lines.append(f"{hour:%Y-%m-%dT%H:%M},{code}," + ",".join(f"{v:g}" for v in row))
        delivery = readings_ingest(
            actor=None,
            jurisdiction=city,
            body="\n".join(lines) + "\n",
            fmt="csv",
            layout="hazeguard",
            way="upload",
            source=f"load-{day}.csv",
        )
        stored += delivery.stored
    return stored


def situation_scripts(
    people: list[tuple[str, list[Step]]], code: str, office: int
) -> list[tuple[str, list[Step], bool]]:
    """The first ``office`` people (the office staff of ``make_users``) on the office's page, the
    others on the public page; each script 10 requests. The flag: signed in."""
    staff = [Step("GET", f"/monitoring/j/{code}/"), Step("GET", f"/monitoring/j/{code}/data.json")]
    public = [
        Step("GET", f"/monitoring/public/{code}/"),
        Step("GET", f"/monitoring/public/{code}/data.json"),
    ]
    return [
        (name, (staff if k < office else public) * 5, k < office)
        for k, (name, _) in enumerate(people)
    ]
