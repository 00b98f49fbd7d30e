"""The evaluation of a lifted Liaocheng red episode, opened from its summary in Chromium, at
desktop width and on a 390 px phone, in Chinese and in English (issue 13 §2, §4), then the
year's evaluation that lists it (§3).

Through the real services: a red issued 25 h ahead (003 §3.3.1), put in force, lifted two days
later; the station's hours before and during it (PM2.5 24-h means of 260 and 200 µg/m³: daily
AQI 310 and 250) are uploaded, so the plan's criteria are judged on what was observed. The
charts are drawn by the vendored ECharts. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from .setups import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    Person,
    Shot,
    by_chain,
    china_time,
    command,
    fits,
    issued,
    signed_in,
    started,
    warm,
)


def _observe(city: object, clerk: object, first: datetime, means: list[int]) -> None:
    """Upload one station's hours from ``first`` (naive China time), a day per 24-h mean."""
    from hazeguard_platform.monitoring.models import Station
    from hazeguard_platform.monitoring.services import readings_ingest

    Station.objects.create(
        code="DCF", name_zh="东昌府", kind="national", jurisdiction=city,
        latitude=36.45, longitude=115.98, approximate=True,
    )  # fmt: skip
    rows = "".join(
        f"{first + timedelta(days=day, hours=k):%Y-%m-%d %H:%M},DCF,{mean - 1 + 2 * (k % 2)},,,,,\n"
        for day, mean in enumerate(means)
        for k in range(1, 25)
    )
    readings_ingest(
        actor=clerk, jurisdiction=city, body="time,station,pm25,pm10,so2,no2,o3,co\n" + rows,
        fmt="csv", layout="hazeguard", way="upload", source="hours.csv",
    )  # fmt: skip


def _page(browser: Browser, base: str, size: dict[str, int], language: str) -> Page:
    return signed_in(browser, base, "liaocheng-clerk", size, language)


def test_the_office_reads_the_evaluation_of_a_lifted_red_in_both_languages(
    browser: Browser, person: Person, shot: Shot, live_server: object
) -> None:
    from hazeguard_platform.warnings.models import Episode

    base = str(live_server)
    with time_machine.travel(china_time(5, time(8, 0)), tick=True) as clock:
        city, people = command(person, "liaocheng-2020")
        warning = started(issued(city, people, "red"), clock)
        clock.shift(timedelta(days=2))
        by_chain(warning, people, "lift")
        start_day = timezone.localtime(warning.starts_at).date()
        # From three days before the start: clean, clean, then 310, 310, 250 (the warning's days).
        first = datetime.combine(start_day - timedelta(days=3), time(0))
        _observe(city, people["clerk"], first, [30, 30, 260, 260, 200])
        episode = Episode.objects.get(jurisdiction=city)
        warm(base)

        for short, language in LANGUAGES.items():
            page = _page(browser, base, DESKTOP, language)
            page.goto(f"{base}/summaries/episode/{episode.pk}/")
            page.click("#evaluation-link")
            expect(page.locator("#evaluation-charts")).to_have_attribute("data-drawn", "yes")
            assert page.locator("#aqi-chart canvas").count() == 1
            assert page.locator("#lead-chart canvas").count() == 1
            # Red was called for on the day before the start (two days above 300 within four
            # above 200, 003 §3.1): a hit, issued late.
            verdict = page.locator("#criteria-verdict")
            expect(verdict).to_have_attribute("data-verdict", "hit, late")
            expect(verdict).to_contain_text("命中，迟发" if short == "zh" else "hit, issued late")
            expect(page.locator("#timeliness tbody tr").first).to_have_attribute(
                "data-lead", "usual"
            )
            expect(page.locator("#effect-missing")).to_have_attribute(
                "data-missing", "record weather"
            )
            heading = "过程评估" if short == "zh" else "Episode evaluation"
            expect(page.locator("h1")).to_contain_text(heading)
            if short == "en":
                body = page.locator("main").inner_text()
                chinese = [w for w in body.split() if any("\u4e00" <= c <= "\u9fff" for c in w)]
                assert not chinese, f"Chinese words in English mode: {chinese[:10]}"
            shot(page, f"evaluation-{short}-desktop")
            page.set_viewport_size(PHONE)
            page.reload()
            expect(page.locator("#evaluation-charts")).to_have_attribute("data-drawn", "yes")
            fits(page, f"the evaluation ({short}) on a 390 px screen")
            shot(page, f"evaluation-{short}-390px")
            # The year's evaluation (issue 13 §3): the episode with its verdict, effect and cost
            # columns and the year's row, on the phone, then at desktop width.
            page.goto(f"{base}/evaluation/{city.code}/{start_day.year}/")
            row = page.locator(f'#episodes tr[data-episode="{episode.pk}"]')
            expect(row).to_have_attribute("data-verdict", "hit, late")
            totals = page.locator("#year-totals")
            expect(totals).to_contain_text("全年" if short == "zh" else "The year")
            fits(page, f"the year's evaluation ({short}) on a 390 px screen")
            shot(page, f"year-evaluation-{short}-390px")
            page.set_viewport_size(DESKTOP)
            page.reload()
            if short == "en":
                body = page.locator("main").inner_text()
                chinese = [w for w in body.split() if any("\u4e00" <= c <= "\u9fff" for c in w)]
                assert not chinese, f"Chinese words in English mode: {chinese[:10]}"
            shot(page, f"year-evaluation-{short}-desktop")
            page.context.close()
