"""The consultation page in Chromium (issue 11 §4): three sources side by side — the model's,
the monitoring centre's, the weather bureau's — with the engine's decision on each and the
model's level probabilities, in Chinese and in English, at desktop and phone width (shots
consultation-*); the conclusion recorded, downloaded as the 《会商意见》 and proposed.

Beijing's real observed days (to 17 December 2015) are moved by whole weeks to just after
today: Chromium drops cookies that the moved clock would set to expire in the past.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import time_machine
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from paths import ROOT

from .setups import DESKTOP, LANGUAGES, PHONE, Person, Shot, command, fits, signed_in

sys.path.insert(0, str(ROOT / "tests" / "platform" / "forecasts"))
from forecasts.beijing_days import CONSULTATION_DAY, observe_beijing, three_sources


def _page(browser: Browser, base: str, size: dict[str, int], language: str) -> Page:
    return signed_in(browser, base, "beijing-director", size, language)


def test_three_sources_and_the_probabilities_on_the_consultation_page(
    browser: Browser, person: Person, shot: Shot, live_server: object, tmp_path: Path
) -> None:
    base = str(live_server)
    weeks = (date.today() - CONSULTATION_DAY.date()).days // 7 + 1
    shift = timedelta(weeks=weeks)
    at = CONSULTATION_DAY + shift  # 14:30 China time, a Friday, within a week from today
    with (
        override_settings(MODEL_FORECAST_ITERATIONS=15),
        time_machine.travel(at, tick=True),
    ):
        place, people = command(person, "beijing-2015")
        observe_beijing(place, until=date(2015, 12, 17), shift=shift)
        model, centre, bureau = three_sources(place, people["clerk"], at)
        url = f"{base}/staff/j/beijing/consultation/new/"
        for short, language in LANGUAGES.items():
            page = _page(browser, base, DESKTOP, language)
            for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(size)
                page.goto(url)
                rows = page.locator("#sources-table tbody tr")
                expect(rows).to_have_count(3)
                providers = [rows.nth(n).get_attribute("data-provider") for n in range(3)]
                assert providers == ["model", "monitoring_centre", "weather_bureau"]
                expect(rows.nth(1).locator("[data-engine-level]")).to_have_attribute(
                    "data-engine-level", "red"
                )
                expect(page.locator("#probabilities-table tbody tr")).to_have_count(7)
                red = "P(红色预警)" if short == "zh" else "P(Red warning)"
                expect(page.locator("#probabilities-table thead")).to_contain_text(red)
                shot(page, f"consultation-{short}-{width}")
                fits(page, f"consultation {short} {width}")
            page.context.close()

        # The meeting concludes on the centre's forecast; the opinion and the proposal follow.
        page = _page(browser, base, DESKTOP, "zh-hans")
        page.goto(url)
        page.check(f"input[name=forecast][value='{centre.pk}']")
        page.fill("#id_conclusion", "会商认为19日起将出现持续重污染，建议发布红色预警")
        page.select_option("#id_concluded_level", "red")
        page.click("#consultation-form button[type=submit]")
        expect(page.locator("[data-concluded-level]")).to_have_attribute(
            "data-concluded-level", "red"
        )
        expect(page.locator("#sources-table tbody tr")).to_have_count(3)
        shot(page, "consultation-recorded-zh-desktop")
        with page.expect_download() as download:
            page.click("#consultation-docx")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name.startswith("会商意见-beijing-")
        assert saved.stat().st_size > 10_000
        # The conclusion opens the proposal filled from it: one click to read, one to propose.
        page.click("#propose-from-consultation")
        expect(page.locator("#propose-form #id_level")).to_have_value("red")
        expect(page.locator("#propose-form #id_reason")).to_contain_text("建议发布红色预警")
        page.click("#propose-form button[type=submit]")
        expect(page.locator("#warning-facts [data-state]")).to_have_attribute(
            "data-state", "proposed"
        )
        assert {model.pk, bureau.pk} <= {f.pk for f in centre.consultations.get().forecasts.all()}

    # A week later the days have been observed: each source's verification, with its chart and
    # its Brier scores per level.
    with time_machine.travel(at + timedelta(days=7), tick=True):
        observe_beijing(place, until=date(2015, 12, 24), since=date(2015, 12, 18), shift=shift)
        for short, language in LANGUAGES.items():
            page = _page(browser, base, DESKTOP, language)
            for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(size)
                page.goto(f"{base}/staff/j/beijing/forecast/verification/")
                expect(page.locator("section[data-source]")).to_have_count(4)
                expect(page.locator("#verification-chart")).to_have_attribute("data-ready", "true")
                expect(page.locator("#verification-chart canvas")).to_have_count(1)
                # The plan's levels: the model scored on its probabilities, with its reliability
                # tables open; the centre, which gives none, scored 0 or 1 and told so.
                model = page.locator("section[data-source=model]")
                expect(model.locator("[data-scored]")).to_have_attribute(
                    "data-scored", "probability"
                )
                expect(model.locator("table.level-scores tbody tr")).to_have_count(4)
                expect(model.locator("table.reliability[data-level=red]")).to_be_visible()
                centre = page.locator("section[data-source=monitoring_centre] [data-scored]")
                expect(centre).to_have_attribute("data-scored", "certain")
                expect(centre).to_contain_text(
                    "按0或1计分" if short == "zh" else "scored as 0 or 1"
                )
                shot(page, f"verification-{short}-{width}")
                fits(page, f"verification {short} {width}")
            page.context.close()
