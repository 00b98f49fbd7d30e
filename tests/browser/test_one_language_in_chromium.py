"""The pages issue 12 §4 put into one language, on the demo, looked at in Chromium: in Chinese
and in English, at desktop width and on a 390 px phone, none scrolls sideways; the screenshots
go to test-artifacts/browser/ (one-language-*). The words themselves are checked page by page in
tests/platform/web/test_one_language.py."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Browser

from hazeguard_platform.demo import DEMO_PASSWORD, demo_load
from hazeguard_platform.notices.models import Notice

from .setups import DESKTOP, LANGUAGES, PHONE, Shot, fits, signed_in, warm

PAGES = {
    "liaocheng-clerk": {
        "dashboard": "/staff/j/liaocheng/",
        "list": "/enterprises/list/liaocheng/",
        "matrix": "/operations/liaocheng/matrix/",
        "reports": "/operations/",
        "summaries": "/operations/summaries/",
        "downgrades": "/supervision/downgrades/liaocheng/",
    },
    "kashgar-clerk": {
        "notices": "/notices/",
        "notice": "/notices/{notice}/",
        "episodes": "/summaries/kashgar/",
        "dashboard-kashgar": "/staff/j/kashgar/",
    },
    "liaocheng-deputy": {"inbox": "/notices/inbox/"},
}


def test_the_pages_in_one_language_fit_a_phone_and_a_desktop(
    browser: Browser, shot: Shot, live_server: object
) -> None:
    base = str(live_server)
    demo_load(now=timezone.now())
    notice = Notice.objects.filter(jurisdiction__code="kashgar").order_by("pk").first()
    assert notice is not None, "the demo's Kashgar yellow sends notices"
    warm(base)
    for username, pages in PAGES.items():
        for short, language in LANGUAGES.items():
            for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page = signed_in(browser, base, username, size, language, password=DEMO_PASSWORD)
                for name, path in pages.items():
                    page.goto(base + path.format(notice=notice.pk))
                    assert page.locator("main").count() == 1, f"{path}: no page"
                    fits(page, f"{path} ({short}, {width})")
                    shot(page, f"one-language-{name}-{short}-{width}")
                page.context.close()
