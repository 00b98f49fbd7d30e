"""What the browser modules set up through the real services before Chromium clicks through:
a command staffed, a warning issued by its approver and put in force, Liaocheng's small
emission list, the clock moved to a chosen China time.

The clock is moved with time-machine, ticking: it patches the clock for every thread, so the
live server's requests see the same time as the test. The date is always ahead of the real one,
because Chromium drops cookies that Django (on the moved clock) set to expire in the past.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.forecasts.services import forecast_enter
from hazeguard_platform.forecasts.validation import day_inputs
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.response.services import warning_issue, warning_propose
from hazeguard_platform.warnings.lifecycle import warning_start
from hazeguard_platform.warnings.models import Warning
from paths import ROOT

from .conftest import PASSWORD

# The platform tests' list (a grade-B cement plant and a grade-C chemicals plant, real credit
# codes): reused, not copied. tests/platform is on the path only when pytest collects it.
sys.path.insert(0, str(ROOT / "tests" / "platform"))
from enterprises.list_helpers import Firms, listed_firms

__all__ = [
    "DESKTOP",
    "LANGUAGES",
    "PHONE",
    "RED_DAYS",
    "Firms",
    "Person",
    "Shot",
    "SignIn",
    "china_time",
    "command",
    "fits",
    "issued",
    "listed_firms",
    "opened",
    "overflow",
    "signed_in",
    "started",
    "warm",
]

# The shared fixtures of conftest.py, as the tests receive them.
Person = Callable[..., User]
Shot = Callable[[Page, str], None]
SignIn = Callable[[str, str], Page]

COMMAND_ROLES = {
    "clerk": Role.COMMAND_OFFICE_STAFF,
    "director": Role.OFFICE_DIRECTOR,
    "deputy": Role.DEPUTY_COMMANDER,
    "commander": Role.COMMANDER,
}
# Four days above 200 with two above 300: red in every plan; the orange days stay under 300.
RED_DAYS = (320, 330, 340, 310, 250, 120, 90)
ORANGE_DAYS = (260, 280, 290, 250, 180, 120, 90)


def china_time(days_ahead: int, clock: time) -> datetime:
    """``clock`` China time, ``days_ahead`` days after today [aware datetime]; call it before
    moving the clock (``date.today`` is moved too)."""
    day = date.today() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_default_timezone())


def command(person: Person, plan_id: str) -> tuple[Jurisdiction, dict[str, User]]:
    """The jurisdiction of the shipped plan ``plan_id``, imported, and its command made with the
    ``person`` fixture: ``<code>-clerk``, ``-director``, ``-deputy``, ``-commander``."""
    jurisdiction = plan_import(actor=None, plan_id=plan_id).jurisdiction
    return jurisdiction, {
        name: person(f"{jurisdiction.code}-{name}", role, jurisdiction)
        for name, role in COMMAND_ROLES.items()
    }


def issued(jurisdiction: Jurisdiction, people: dict[str, User], level: str) -> Warning:
    """A warning at ``level`` on a forecast from tomorrow, approved (red by the commander, else
    the deputy commander, as in seeds 000 and 003) and issued now to start in 25 hours (003
    §3.3.1: 提前24小时发布)."""
    first = timezone.localdate() + timedelta(days=1)
    highs = RED_DAYS if level == "red" else ORANGE_DAYS
    forecast = forecast_enter(
        actor=people["clerk"],
        jurisdiction=jurisdiction,
        issued_at=timezone.now(),
        days=day_inputs(first, highs, spread=40),
    )
    warning = warning_propose(
        actor=people["clerk"],
        jurisdiction=jurisdiction,
        level=level,
        forecast_id=forecast.pk,
        reason="预测AQI日均值>200持续4天",
    )
    by_chain(warning, people)
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=25)
    return warning_issue(actor=people["clerk"], warning_id=warning.pk, starts_at=starts)


# The people of ``command`` who hold each role a plan's chain names.
PLAN_ROLES = {
    "command_office": "clerk",
    "coordination_group": "clerk",
    "office_director": "director",
    "deputy_commander": "deputy",
    "commander": "commander",
}


def by_chain(warning: Warning, people: dict[str, User], action: str = "") -> Warning:
    """Take the remaining steps of the warning's chain (the plan's: review, agree, approve; or,
    with ``action="lift"``, its lifting), each by the person holding the step's first role."""
    from hazeguard_platform.response import services
    from hazeguard_platform.warnings import chains

    chain_action = action or chains.proposal_action(warning)
    take = {
        "review": services.warning_review,
        "agree": services.warning_agree,
        "approve": services.warning_approve,
    }
    while True:
        current = Warning.objects.get(pk=warning.pk)
        step = chains.next_step(current, chain_action).step
        if step is None or current.state == "ended":
            return current
        actor = people[PLAN_ROLES[step.roles[0]]]
        if chain_action == "lift":
            services.warning_lift(actor=actor, warning_id=warning.pk, reason="空气质量改善")
        else:
            take[step.kind](actor=actor, warning_id=warning.pk)


def started(warning: Warning, clock: time_machine.Coordinates) -> Warning:
    """``warning`` put in force by the start worker, the clock moved to its start."""
    assert warning.starts_at is not None
    clock.shift(warning.starts_at - timezone.now())
    in_force = warning_start(warning_id=warning.pk)
    assert in_force is not None
    return in_force


def warm(base: str) -> None:
    """One request before the browser's first: the live server imports its URLs (the API's
    schema) on the first request, which on a loaded machine outlasts a page's 30 s timeout."""
    import urllib.request

    with urllib.request.urlopen(f"{base}/accounts/login/", timeout=180) as answer:
        assert answer.status == 200


# The widths every page is looked at (issue 12 §5: a phone 390 × 844) and the language cookie.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = {"zh": "zh-hans", "en": "en"}


def opened(browser: Browser, base: str, size: dict[str, int], language: str) -> Page:
    """A new page of ``size`` [CSS px] whose ``django_language`` cookie is ``language``."""
    context = browser.new_context(viewport=size, locale="zh-CN", device_scale_factor=1)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context.new_page()


def signed_in(
    browser: Browser,
    base: str,
    username: str,
    size: dict[str, int],
    language: str,
    home: str = "/staff/",
    password: str = PASSWORD,
) -> Page:
    """:func:`opened`, then ``username`` signed in (with the tests' ``password``), landed on
    ``home``."""
    page = opened(browser, base, size, language)
    # The shared machine can be slow: a page computing the engine's decision on three sources
    # may take longer than Playwright's default 30 s under load.
    page.set_default_timeout(120_000)
    page.goto(f"{base}/accounts/login/?next={home}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}{home}**")
    return page


def overflow(page: Page) -> int:
    """How far the page runs off the screen sideways [CSS px] (0: no horizontal scroll)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map((e) => e.tagName + '#' + e.id + '.' + e.className)"""


def fits(page: Page, what: str) -> None:
    """The page does not scroll sideways; else the message names what sticks out."""
    assert overflow(page) <= 0, f"{what} scrolls sideways: {page.evaluate(WIDEST)}"
