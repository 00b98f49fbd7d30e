"""The weather forecasts page in Chromium: the clerk uploads the bureau's CSV, a bad one is
refused naming file, row and column, a good one shows its days; Chinese and English, desktop
and phone width (shots weather-*)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, expect

from .conftest import PASSWORD
from .setups import Person, Shot, command

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _table(pressure: str = "1021.0") -> str:
    """The bureau's CSV of today and the two days after."""
    days = [timezone.localdate() + timedelta(days=n) for n in range(3)]
    return (
        "date,temperature,dew_point,pressure,wind_speed,wind_direction,precipitation\n"
        f"{days[0]},-1.5,-12.0,1024.1,2.1,NNW,0\n"
        f"{days[1]},0.5,-9.5,{pressure},1.2,S,\n"
        f"{days[2]},2.0,-6.0,1018.4,0.8,190,0.4\n"
    )


def test_the_clerk_uploads_the_bureaus_weather_forecast(
    browser: Browser, person: Person, shot: Shot, live_server: object, tmp_path: Path
) -> None:
    base = str(live_server)
    _, _people = command(person, "beijing-2015")
    bad, good = tmp_path / "气象台预报-bad.csv", tmp_path / "气象台预报.csv"
    bad.write_text(_table(pressure="high"), encoding="utf-8")
    good.write_text(_table(), encoding="utf-8")
    for short, language in (("zh", "zh-hans"), ("en", "en")):
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", device_scale_factor=1)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/accounts/login/?next=/staff/j/beijing/forecast/weather/")
        page.fill("#id_username", "beijing-clerk")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/staff/j/beijing/forecast/weather/")
        page.set_input_files("#id_file", str(bad))
        page.click("#weather-upload button[type=submit]")
        where = "第 3 行“pressure”列" if short == "zh" else "row 3, column “pressure”"
        expect(page.locator("#weather-errors")).to_contain_text(where)
        shot(page, f"weather-error-{short}-desktop")
        page.set_input_files("#id_file", str(good))
        page.click("#weather-upload button[type=submit]")
        expect(page.locator("section[data-weather-forecast] tbody tr").first).to_be_visible()
        for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.reload()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow == 0, f"weather {short} {width} scrolls sideways"
            shot(page, f"weather-{short}-{width}")
        context.close()
