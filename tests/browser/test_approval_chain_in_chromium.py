"""Kashgar's red through its chain in a real Chromium, and a drill that never reaches the public.

Red is reviewed by the office director, agreed by the deputy commander and approved by the
commander (001 §3.5): three people, each told in their inbox that it waits for them, each seeing
only their own button. A drill (演练, 001 §8.3) runs the same way to its lifting; no public page,
CAP entry or public notice shows it. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from .setups import warm


@pytest.fixture
def kashgar_people(person: Callable[..., User]) -> dict[str, User]:
    """Kashgar's plan imported and its command staffed, one person per role."""
    from hazeguard_platform.accounts.models import Role
    from hazeguard_platform.jurisdictions.services import plan_import

    prefecture = plan_import(actor=None, plan_id="kashgar-2023").jurisdiction
    roles = {
        "clerk": Role.COMMAND_OFFICE_STAFF,
        "director": Role.OFFICE_DIRECTOR,
        "deputy": Role.DEPUTY_COMMANDER,
        "commander": Role.COMMANDER,
    }
    return {name: person(name, role, prefecture) for name, role in roles.items()}


def _propose(office: Page, clerk: User, *, drill: bool) -> None:
    from hazeguard_platform.forecasts.services import forecast_enter
    from hazeguard_platform.jurisdictions.models import Jurisdiction

    first = timezone.localdate() + timedelta(days=1)
    forecast_enter(
        actor=clerk,
        jurisdiction=Jurisdiction.objects.get(code="kashgar"),
        issued_at=timezone.now(),
        days=[
            {
                "date": (first + timedelta(days=n)).isoformat(),
                "aqi_low": high - 40,
                "aqi_high": high,
                "primary_pollutant": "PM2.5",
                "dust": False,
            }
            for n, high in enumerate((320, 330, 340, 310, 250, 120, 90))
        ],
    )
    office.click("a[href='/staff/j/kashgar/']")
    office.click("#propose-as-recommended")
    expect(office.locator("#id_level")).to_have_value("red")
    office.fill("#id_reason", "演练：预测AQI>300" if drill else "预测AQI日均值>300")
    if drill:
        office.check("#id_drill")
    office.click("#propose-form button[type=submit]")
    expect(office.locator("#warning-facts [data-state]")).to_have_attribute(
        "data-state", "proposed"
    )


def _take(page: Page, url: str, action: str, state: str) -> None:
    page.goto(url)
    expect(page.locator("#actions form[data-action]").first).to_have_attribute(
        "data-action", action
    )
    page.click(f"form[data-action={action}] button")
    expect(page.locator("#warning-facts [data-state]")).to_have_attribute("data-state", state)


def _told(page: Page, base: str, words: str) -> None:
    page.goto(f"{base}/notices/inbox/")
    expect(page.locator("body")).to_contain_text(words)


def test_kashgar_red_is_reviewed_agreed_and_approved_by_three_people_each_told(
    sign_in: Callable[[str, str], Page],
    shot: Callable[[Page, str], None],
    kashgar_people: dict[str, User],
    live_server: object,
) -> None:
    from hazeguard_platform.warnings.models import Warning

    base = str(live_server)
    warm(base)
    office = sign_in(base, "clerk")
    _propose(office, kashgar_people["clerk"], drill=False)
    url = f"{base}/staff/warning/{Warning.objects.get().pk}/"
    shot(office, "chain-0-proposed")

    commander = sign_in(base, "commander")
    commander.goto(url)
    expect(commander.locator("form[data-action=approve]")).to_have_count(0)
    expect(commander.locator("#waiting-for")).to_contain_text("指挥部办公室主任")

    steps = (("director", "review", "reviewed", "审核"), ("deputy", "agree", "agreed", "同意"))
    for name, action, state, words in steps:
        page = sign_in(base, name)
        _told(page, base, f"待您{words}")
        shot(page, f"chain-{action}-inbox")
        _take(page, url, action, state)
        shot(page, f"chain-{action}-done")
    _told(commander, base, "待您批准")
    _take(commander, url, "approve", "approved")
    expect(commander.locator("#warning-facts")).to_contain_text("001 §3.5")
    shot(commander, "chain-approve-done")
    commander.set_viewport_size({"width": 390, "height": 844})
    shot(commander, "chain-approve-done-390px")


def test_a_drill_runs_to_its_lifting_and_the_public_never_sees_it(
    browser: Browser,
    sign_in: Callable[[str, str], Page],
    shot: Callable[[Page, str], None],
    kashgar_people: dict[str, User],
    live_server: object,
) -> None:
    from hazeguard_platform.notices.models import Notice, WebhookEndpoint
    from hazeguard_platform.warnings.models import State, Warning

    base = str(live_server)
    WebhookEndpoint.objects.create(
        jurisdiction_id=kashgar_people["clerk"].memberships.get().jurisdiction_id,
        name="网站 website",
        url="http://127.0.0.1:9/hook",
        secret="s" * 32,
        public=True,
    )
    warm(base)
    office = sign_in(base, "clerk")
    _propose(office, kashgar_people["clerk"], drill=True)
    drill = Warning.objects.get()
    url = f"{base}/staff/warning/{drill.pk}/"
    expect(office.locator("#drill-banner")).to_contain_text("演练")
    pages = {name: sign_in(base, name) for name in ("director", "deputy", "commander")}
    for name, action, state in (
        ("director", "review", "reviewed"),
        ("deputy", "agree", "agreed"),
        ("commander", "approve", "approved"),
    ):
        _take(pages[name], url, action, state)
    office.goto(url)
    # The form holds the engine's earliest start (tomorrow); the drill starts at once instead.
    office.fill("form[data-action=issue] input[name=starts_at]", "")
    office.click("form[data-action=issue] button")  # at once: a drill says so in its reason
    if office.locator("form[data-action=issue] textarea[name=short_lead_reason]").count():
        office.fill("form[data-action=issue] textarea[name=short_lead_reason]", "演练")
        office.click("form[data-action=issue] button")
    expect(office.locator("#warning-facts [data-state]")).to_have_attribute(
        "data-state", "in_force"
    )
    shot(office, "drill-0-in-force")

    public = browser.new_context(locale="zh-CN").new_page()
    for path in ("/", "/j/kashgar/", "/history/"):
        public.goto(f"{base}{path}")
        expect(public.locator(f"[data-warning='{drill.pk}']")).to_have_count(0)
        if path != "/history/":  # the history's level filter offers 红色预警 as a choice
            expect(public.locator("body")).not_to_contain_text("红色预警")
    shot(public, "drill-1-public-quiet")
    assert f"w{drill.pk}-" not in public.request.get(f"{base}/cap/feed.atom").text()

    office.goto(url)
    office.fill("form[data-action=lift] textarea[name=note]", "演练结束")
    office.check("form[data-action=lift] input[name=confirm]")
    office.click("form[data-action=lift] button")
    for name, state in (("director", "in_force"), ("deputy", "in_force"), ("commander", "ended")):
        pages[name].goto(url)
        pages[name].check("form[data-action=lift] input[name=confirm]")
        pages[name].click("form[data-action=lift] button")
        expect(pages[name].locator("#warning-facts [data-state]")).to_have_attribute(
            "data-state", state
        )
    assert Warning.objects.get(pk=drill.pk).state == State.ENDED
    shot(pages["commander"], "drill-2-lifted")
    notices = Notice.objects.filter(object_id=str(drill.pk))
    assert notices.exists()
    assert all(notice.title.startswith("【演练】") for notice in notices)
    assert not WebhookEndpoint.objects.get().recipients.exists()
    public.goto(f"{base}/history/")
    expect(public.locator(f"tr[data-warning='{drill.pk}']")).to_have_count(0)
