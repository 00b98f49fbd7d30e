"""The office and the approvers in Chromium (issue 12 §1, §2), in Chinese and in English, on a
desktop and on a 390 px phone: the dashboard opens with the engine's recommendation, "按建议提请"
opens the proposal filled in, the commander's home lists the approval waiting for them, a person
who cannot act is told who can, the issue form holds the earliest start, and a withdrawn
proposal is grey. Screenshots: test-artifacts/browser/office-<language>-<width>-<page>.png."""

from __future__ import annotations

import urllib.request
from datetime import time, timedelta

import time_machine
from playwright.sync_api import Browser, Page, expect

from .setups import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    RED_DAYS,
    Person,
    Shot,
    china_time,
    command,
    fits,
    signed_in,
)


def _signed_in(browser: Browser, base: str, username: str, size: dict[str, int], lang: str) -> Page:
    return signed_in(browser, base, username, size, lang)


def _look(page: Page, shot: Shot, name: str, width: dict[str, int]) -> None:
    shot(page, name)
    fits(page, f"{page.url} on a {width['width']} px screen")


def test_from_recommendation_to_approval_in_both_languages_and_widths(
    browser: Browser, person: Person, shot: Shot, live_server: object
) -> None:
    from django.utils import timezone

    from hazeguard_platform.forecasts.services import forecast_enter
    from hazeguard_platform.forecasts.validation import day_inputs
    from hazeguard_platform.warnings.models import Warning

    base = str(live_server)
    # The live server imports its URLs on its first request, which on a loaded machine outlasts
    # a page's 30 s timeout: one request first, without a browser.
    with urllib.request.urlopen(f"{base}/accounts/login/", timeout=180) as answer:
        assert answer.status == 200
    with time_machine.travel(china_time(2, time(8, 0)), tick=True):
        city, people = command(person, "liaocheng-2020")
        first = timezone.localdate() + timedelta(days=1)
        forecast_enter(
            actor=people["clerk"],
            jurisdiction=city,
            issued_at=timezone.now(),
            days=day_inputs(first, RED_DAYS, spread=40),
        )
        for short, lang in LANGUAGES.items():
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                tag = f"office-{short}-{width_name}"
                office = _signed_in(browser, base, "liaocheng-clerk", size, lang)
                # The home: what waits for the clerk, then the city and its counties.
                expect(office.locator("#my-queue")).to_be_visible()
                _look(office, shot, f"{tag}-0-home", size)
                office.click("a[href='/staff/j/liaocheng/']")
                expect(office.locator("#recommendation")).to_have_attribute(
                    "data-engine-level", "red"
                )
                _look(office, shot, f"{tag}-0b-dashboard", size)
                if Warning.objects.filter(state="proposed").exists():
                    office.context.close()
                    continue
                office.click("#propose-as-recommended")
                expect(office.locator("#id_level")).to_have_value("red")
                _look(office, shot, f"{tag}-1-proposal", size)
                office.click("#propose-form button[type=submit]")
                expect(office.locator("#warning-facts [data-state]")).to_have_attribute(
                    "data-state", "proposed"
                )
                office.goto(f"{base}/staff/j/liaocheng/")
                expect(office.locator("#pending-proposal a")).to_be_visible()
                office.context.close()

        warning = Warning.objects.get(state="proposed")
        url = f"{base}/staff/warning/{warning.pk}/"
        for short, lang in LANGUAGES.items():
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                tag = f"office-{short}-{width_name}"
                director = _signed_in(browser, base, "liaocheng-director", size, lang)
                mine = director.locator(f"#queue-decisions [data-warning='{warning.pk}']")
                expect(mine).to_be_visible()
                _look(director, shot, f"{tag}-2-director-home", size)
                director.close()
                deputy = _signed_in(browser, base, "liaocheng-deputy", size, lang)
                deputy.goto(url)
                expect(deputy.locator("#who-acts")).to_contain_text("liaocheng-director")
                _look(deputy, shot, f"{tag}-3-deputy-who-acts", size)
                deputy.close()

        # The director reviews; the commander finds the approval at home, with its deadline.
        director = _signed_in(browser, base, "liaocheng-director", DESKTOP, "zh-hans")
        director.goto(url)
        director.click("form[data-action=review] button")
        commander = _signed_in(browser, base, "liaocheng-commander", DESKTOP, "zh-hans")
        item = commander.locator(f"#queue-decisions [data-warning='{warning.pk}']")
        expect(item).to_contain_text("待批准")
        expect(item).to_contain_text("发布截止")
        shot(commander, "office-zh-desktop-4-commander-home")
        item.locator("a").click()
        commander.click("form[data-action=approve] button")

        for short, lang in LANGUAGES.items():
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                tag = f"office-{short}-{width_name}"
                office = _signed_in(browser, base, "liaocheng-clerk", size, lang)
                office.goto(url)
                start = office.locator("form[data-action=issue] input[name=starts_at]")
                expect(start).to_have_value(f"{first:%Y-%m-%d} 00:00")
                _look(office, shot, f"{tag}-5-issue-form", size)
                office.close()

        # Withdrawn, the proposal is grey and says it is no warning.
        office = _signed_in(browser, base, "liaocheng-clerk", DESKTOP, "zh-hans")
        office.goto(url)
        office.check("form[data-action=withdraw] input[name=confirm]")
        office.click("form[data-action=withdraw] button")
        expect(office.locator("#not-a-warning")).to_contain_text("不是预警")
        expect(office.locator("h1 .badge.level-red")).to_have_count(0)
        shot(office, "office-zh-desktop-6-withdrawn")
        for short, lang in LANGUAGES.items():
            phone = _signed_in(browser, base, "liaocheng-clerk", PHONE, lang)
            phone.goto(url)
            _look(phone, shot, f"office-{short}-phone-6-withdrawn", PHONE)
            phone.close()
