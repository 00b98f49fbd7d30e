"""The situation page in Chromium: the map colours Liaocheng by the warning in force once one is
issued, a station's dot changes colour when a new hour arrives, and the chart shows the observed
series. Screenshots at desktop width and at 390 px, in Chinese and in English."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from hazeguard.vocabulary import LEVELS
from hazeguard_platform.monitoring.models import Station
from hazeguard_platform.monitoring.services import readings_ingest
from hazeguard_platform.monitoring.situation import NO_WARNING_COLOUR

from .setups import Person, Shot, SignIn, command, issued

GOOD = "#00E400"  # HJ 633-2012 Table A.1: level 1 (优) green
MODERATE = "#FFFF00"  # level 2 (良) yellow
NO_DATA = "#9AA5B1"


def _hours(station: str, values: list[int]) -> str:
    newest = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    first = newest - timedelta(hours=len(values) - 1)
    return "time,station,pm25,pm10,so2,no2,o3,co\n" + "".join(
        f"{first + timedelta(hours=k):%Y-%m-%d %H:%M},{station},{v},{v + 30 + k % 3},"
        f"{5 + k % 3},{30 + k % 4},{40 + k % 5},{0.5 + k % 3 / 10}\n"
        for k, v in enumerate(values)
    )


def _colours(page: Page, which: str) -> dict[str, str]:
    return json.loads(page.locator("#situation").get_attribute(which) or "{}")


def _ready(page: Page) -> None:
    expect(page.locator("#situation")).to_have_attribute("data-ready", re.compile(r"\d+"))


def _refresh(page: Page) -> None:
    before = page.locator("#situation").get_attribute("data-ready")
    page.evaluate("() => window.hazeguardSituationRefresh()")
    expect(page.locator("#situation")).not_to_have_attribute("data-ready", before or "")


def test_the_map_and_chart_follow_warnings_and_new_hours(
    browser: Browser, person: Person, shot: Shot, live_server: object, sign_in: SignIn
) -> None:
    place, people = command(person, "liaocheng-2020")
    for code, lat, lon in (("3701A", 36.457, 115.985), ("3702A", 36.863, 115.711)):
        Station.objects.create(
            code=code,
            name_zh=f"站{code}",
            name_en=f"Station {code}",
            kind="national",
            jurisdiction=place,
            latitude=lat,
            longitude=lon,
            approximate=True,
        )
    clean = [20 + k % 4 for k in range(30)]
    for code in ("3701A", "3702A"):
        readings_ingest(
            actor=people["clerk"],
            jurisdiction=place,
            body=_hours(code, clean),
            fmt="csv",
            layout="hazeguard",
            way="upload",
            source="hours.csv",
        )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server}/monitoring/public/liaocheng/")
    _ready(page)
    assert _colours(page, "data-area-colours")["liaocheng"] == NO_WARNING_COLOUR
    before = _colours(page, "data-station-colours")["3701A"]
    assert before in (GOOD, MODERATE), "clean air: 优 or 良 (HJ 633 colours)"
    assert int(page.locator("#situation").get_attribute("data-observed-points") or 0) >= 24

    issued(place, people, "orange")
    _refresh(page)
    assert _colours(page, "data-area-colours")["liaocheng"] == LEVELS["orange"].colour

    # A new hour at 3701A: PM2.5 200 µg/m³, PM10 260: the core's real-time AQI of the hour
    # is no longer "good", so the dot changes colour.
    newest = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    readings_ingest(
        actor=people["clerk"],
        jurisdiction=place,
        body=f"time,station,pm25,pm10,so2,no2,o3,co\n{newest:%Y-%m-%d %H:%M},3701A,200,260,,,,\n",
        fmt="csv",
        layout="hazeguard",
        way="upload",
        source="hours.csv",
    )
    _refresh(page)
    assert _colours(page, "data-station-colours")["3701A"] not in (before, NO_DATA)
    shot(page, "situation-public-zh-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _ready(page)
    shot(page, "situation-public-zh-390")
    page.click("button.lang[value=en]")
    _ready(page)
    expect(page.locator("h1")).to_contain_text("Air quality situation")
    shot(page, "situation-public-en-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    _ready(page)
    shot(page, "situation-public-en-desktop")

    # The office's page: the same map and chart, the uploads, and the flagged readings named.
    office = sign_in(str(live_server), "liaocheng-clerk")
    office.goto(f"{live_server}/monitoring/j/liaocheng/")
    _ready(office)
    expect(office.locator("h2", has_text="上传站点小时数据")).to_have_count(1)
    shot(office, "situation-office-zh-desktop")
    office.set_viewport_size({"width": 390, "height": 844})
    office.reload()
    _ready(office)
    shot(office, "situation-office-zh-390")
