"""On a phone (390 × 844, issue 12 §5): the public pages and the enterprise portal fit the
screen in Chinese and in English — no horizontal scroll, a compact header, tables read as cards —
and are shot at phone and desktop widths to test-artifacts/browser/ (phone-*, desktop-*)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import time_machine
from playwright.sync_api import Browser

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
    listed_firms,
    opened,
    signed_in,
    started,
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
            phone = opened(browser, base, PHONE, language)
            for name, url in public.items():
                phone.goto(base + url)
                fits(phone, f"{url} ({short}) on a 390 px screen")
                header = phone.locator(".site-header").bounding_box()
                assert header is not None
                assert header["height"] < 0.3 * PHONE["height"], f"{url}: the header is too tall"
                shot(phone, f"phone-{short}-{name}")
            phone.context.close()
            phone = signed_in(browser, base, "cement-contact", PHONE, language, "/enterprises/")
            phone.goto(base + portal)
            fits(phone, f"the portal ({short}) on a 390 px screen")
            # The report form's table reads as one card per unit: no column headings.
            assert phone.locator("table.units thead").is_hidden()
            assert phone.locator("table.units select").first.bounding_box()["width"] > 200  # type: ignore[index]
            shot(phone, f"phone-{short}-portal")
            phone.context.close()

            desktop = opened(browser, base, DESKTOP, language)
            for name in ("home", "list"):
                desktop.goto(base + public[name])
                fits(desktop, f"{public[name]} ({short}) on a desktop")
                shot(desktop, f"desktop-{short}-{name}")
            desktop.context.close()
            desktop = signed_in(browser, base, "cement-contact", DESKTOP, language, "/enterprises/")
            desktop.goto(base + portal)
            assert desktop.locator("table.units thead").is_visible()
            shot(desktop, f"desktop-{short}-portal")
            desktop.context.close()
