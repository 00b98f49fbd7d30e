"""On a phone (390 × 844, issue 12 §5): the public pages and the enterprise portal fit the
screen in Chinese and in English — no horizontal scroll, a compact header, tables read as cards —
and are shot at phone and desktop widths to test-artifacts/browser/ (phone-*, desktop-*)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import time_machine
from playwright.sync_api import Browser, Page

from .conftest import PASSWORD
from .setups import Person, Shot, china_time, command, issued, listed_firms, started

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = {"zh": "zh-hans", "en": "en"}


def _page(browser: Browser, base: str, size: dict[str, int], language: str) -> Page:
    context = browser.new_context(viewport=size, locale="zh-CN", device_scale_factor=1)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context.new_page()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/enterprises/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/enterprises/**")


def _overflow(page: Page) -> int:
    """How far the page runs off the screen sideways [CSS px] (0: no horizontal scroll)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_the_public_pages_and_the_portal_fit_a_phone_in_both_languages(
    browser: Browser, person: Person, shot: Shot, live_server: object, tmp_path: Path
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True) as clock:
        city, people = command(person, "liaocheng-2020")
        firms = listed_firms(people["clerk"], city, tmp_path)
        started(issued(city, people, "red"), clock)
        public = {
            "home": "/",
            "jurisdiction": "/j/liaocheng/",
            "history": "/history/",
            "list": "/j/liaocheng/list/",
            "subscribe": "/subscribe/?j=liaocheng",
        }
        portal = f"/enterprises/{firms.cement.pk}/"
        for short, language in LANGUAGES.items():
            phone = _page(browser, base, PHONE, language)
            for name, url in public.items():
                phone.goto(base + url)
                assert _overflow(phone) <= 0, f"{url} ({short}) runs off a 390 px screen"
                header = phone.locator(".site-header").bounding_box()
                assert header is not None
                assert header["height"] < 0.3 * PHONE["height"], f"{url}: the header is too tall"
                shot(phone, f"phone-{short}-{name}")
            _sign_in(phone, base, "cement-contact")
            phone.goto(base + portal)
            assert _overflow(phone) <= 0, f"the portal ({short}) runs off a 390 px screen"
            # The report form's table reads as one card per unit: no column headings.
            assert phone.locator("table.units thead").is_hidden()
            assert phone.locator("table.units select").first.bounding_box()["width"] > 200  # type: ignore[index]
            shot(phone, f"phone-{short}-portal")
            phone.context.close()

            desktop = _page(browser, base, DESKTOP, language)
            for name in ("home", "list"):
                desktop.goto(base + public[name])
                assert _overflow(desktop) <= 0
                shot(desktop, f"desktop-{short}-{name}")
            _sign_in(desktop, base, "cement-contact")
            desktop.goto(base + portal)
            assert desktop.locator("table.units thead").is_visible()
            shot(desktop, f"desktop-{short}-portal")
            desktop.context.close()
