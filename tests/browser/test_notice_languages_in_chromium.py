"""Notices and upload errors in the reader's language, in Chromium at 1280 and 390 px (issue 12
§4): Liaocheng's red warning notice in a county officer's inbox and the office's overdue report,
a bad station-readings file refused on the situation page, and the episode's summary, each in
Chinese and in English.
The screenshots go to test-artifacts/browser/notice-language-*.png."""

from __future__ import annotations

import re
from datetime import time, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, expect

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.notices.models import Event, Notice
from hazeguard_platform.notices.services import notices_escalate
from hazeguard_platform.warnings.models import Episode

from .setups import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    Person,
    Shot,
    china_time,
    command,
    fits,
    issued,
    signed_in,
    started,
    warm,
)

CJK = re.compile(r"[\u3400-\u9fff]")
HEADER = "time,station,pm25,pm10,so2,no2,o3,co\n"


def test_notices_and_an_upload_error_speak_the_readers_language(
    browser: Browser, person: Person, shot: Shot, live_server: object
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True) as clock:
        city, people = command(person, "liaocheng-2020")
        person("dongchangfu-officer", Role.COUNTY_OFFICER, city.children.get(code="dongchangfu"))
        warning = issued(city, people, "red")
        notice = Notice.objects.get(event=Event.ISSUE, object_id=str(warning.pk))
        assert notice.due_at is not None
        clock.shift(notice.due_at - timezone.now() + timedelta(minutes=5))
        (overdue,) = notices_escalate(now=timezone.now())
        start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        started(warning, clock)  # in force: its episode and summary begin
        episode = Episode.objects.get(jurisdiction=city)
        warm(base)
        bad = (HEADER + f"{start:%Y-%m-%d %H:%M},无此站,50,90,,,,\n").encode()
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            for language, cookie in LANGUAGES.items():
                english = language == "en"
                title = notice.title_en if english else notice.title
                county = signed_in(browser, base, "dongchangfu-officer", size, cookie)
                county.goto(f"{base}/notices/inbox/")
                row = county.locator("#inbox tbody tr").first
                expect(row).to_contain_text(title)
                body = row.locator(".notice-body").inner_text()
                assert bool(CJK.search(body)) is not english, body
                fits(county, f"inbox {language} {size_name}")
                shot(county, f"notice-language-inbox-{language}-{size_name}")
                county.context.close()

                office = signed_in(browser, base, "liaocheng-clerk", size, cookie)
                office.goto(f"{base}/notices/{overdue.pk}/")
                expect(office.locator("h1")).to_contain_text(
                    overdue.title_en if english else overdue.title
                )
                fits(office, f"overdue notice {language} {size_name}")
                shot(office, f"notice-language-overdue-{language}-{size_name}")

                office.goto(f"{base}/monitoring/j/liaocheng/")
                readings = office.locator("input[type=file][name=file]").first  # the readings form
                readings.set_input_files(
                    files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}]
                )
                readings.evaluate("e => e.form.submit()")
                error = office.locator(".messages .error").first
                expect(error).to_contain_text(
                    "bad.csv, row 2, column “station”" if english else "bad.csv 第 2 行“station”列"
                )
                fits(office, f"upload error {language} {size_name}")
                shot(office, f"notice-language-upload-{language}-{size_name}")

                # The episode's summary: its timeline in the page's language.
                office.goto(f"{base}/summaries/episode/{episode.pk}/")
                if english:
                    issue = office.locator("tr", has_text="red warning (level I response)")
                    expect(issue.first).to_contain_text("issued")
                else:
                    expect(office.locator("body")).to_contain_text("红色预警（Ⅰ级响应）")
                fits(office, f"summary {language} {size_name}")
                shot(office, f"notice-language-summary-{language}-{size_name}")
                office.context.close()
