"""What every browser test shares: Debian's Chromium driven by Playwright, signing in, screenshots.

Every test in this folder is slow, runs against the live server (a transactional database) and
skips, saying why, when /usr/bin/chromium is absent; no browser is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, sync_playwright

from paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PASSWORD = "a-long-test-password-7"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    marks = [
        pytest.mark.slow,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(
            not CHROMIUM.exists(),
            reason=f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)",
        ),
    ]
    for item in items:
        if item.path.is_relative_to(HERE):
            for mark in marks:
                item.add_marker(mark)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe, so Django's guard against ORM calls inside a loop is lifted here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def shot() -> Callable[[Page, str], None]:
    """``shot(page, name)``: a full-page screenshot to test-artifacts/browser/<name>.png."""
    return _shot


@pytest.fixture
def person(db: None) -> Callable[..., User]:
    """``person(username, role, jurisdiction, member_unit=None)``: a user who signs in with the
    browser tests' password and holds ``role`` there."""
    from hazeguard_platform.accounts.models import Membership

    def make(username: str, role: str, jurisdiction: object, member_unit: object = None) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD)
        Membership.objects.create(
            user=user, jurisdiction=jurisdiction, role=role, member_unit=member_unit
        )
        return user

    return make


@pytest.fixture
def sign_in(browser: Browser) -> Callable[[str, str], Page]:
    """``sign_in(base_url, username)``: a new Chinese-language page signed in as ``username``
    (password ``PASSWORD``), on the staff home page (an enterprise contact: on its portal)."""

    def page_of(base: str, username: str) -> Page:
        page = browser.new_context(locale="zh-CN").new_page()
        page.goto(f"{base}/accounts/login/?next=/staff/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(re.compile(rf"{re.escape(base)}/(staff|enterprises)/"))
        return page

    return page_of
