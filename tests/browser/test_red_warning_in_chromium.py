"""Liaocheng's red warning from forecast to lifting, clicked through in a real Chromium.

The office uploads a forecast and proposes red; the deputy commander cannot approve it (403); the
commander can (003 §3.3); the office issues it; the public page shows red with its measures; a
county sees its 3-hour deadline to respond (003 §3.3); it is lifted by the issuing procedure (the
office proposes, the office director reviews, the commander approves, 003 §3.3.2) and the CAP feed
carries the Cancel. Screenshots of the main pages go to test-artifacts/browser/.

Debian's Chromium (``apt-get install chromium``) is driven by the playwright package; no browser
is downloaded. The test skips, saying why, only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from hazeguard_platform.public.presenters import when as when_text


@pytest.fixture
def people(person: Callable[..., User]) -> dict[str, User]:
    """Liaocheng's plan imported; its command staffed; an officer in Dongchangfu district."""
    from hazeguard_platform.accounts.models import Role
    from hazeguard_platform.jurisdictions.services import plan_import

    city = plan_import(actor=None, plan_id="liaocheng-2020").jurisdiction
    county = city.children.get(code="dongchangfu")
    roles = {
        "clerk": (Role.COMMAND_OFFICE_STAFF, city),
        "director": (Role.OFFICE_DIRECTOR, city),
        "deputy": (Role.DEPUTY_COMMANDER, city),
        "commander": (Role.COMMANDER, city),
        "county": (Role.COUNTY_OFFICER, county),
    }
    return {name: person(name, role, place) for name, (role, place) in roles.items()}


def forecast_csv(path: Path) -> Path:
    """Seven days from tomorrow: above 200 for four days, two of them above 300 (003 §3.1 red)."""
    first = timezone.localdate() + timedelta(days=1)
    highs = (320, 330, 340, 310, 250, 120, 90)
    rows = [
        f"{first + timedelta(days=n)},{high - 40},{high},PM2.5,0" for n, high in enumerate(highs)
    ]
    path.write_text("date,aqi_low,aqi_high,primary_pollutant,dust\n" + "\n".join(rows) + "\n")
    return path


def test_the_red_warning_of_liaocheng_from_forecast_to_lifting(
    browser: Browser,
    sign_in: Callable[[str, str], Page],
    shot: Callable[[Page, str], None],
    people: dict[str, User],
    live_server: object,
    tmp_path: Path,
) -> None:
    from hazeguard_platform.warnings.models import Warning

    base = str(live_server)

    # The office uploads the forecast and proposes red.
    office = sign_in(base, "clerk")
    office.click("a[href='/staff/j/liaocheng/']")
    expect(office.locator("h1")).to_contain_text("聊城市")
    office.set_input_files("#id_file", str(forecast_csv(tmp_path / "forecast.csv")))
    office.click("#upload-form button[type=submit]")
    expect(office.locator("#forecast table")).to_contain_text("340")

    # The consultation: the meeting's conclusion beside the engine's decision and its reasons.
    office.click("a[href='/staff/j/liaocheng/consultation/new/']")
    expect(office.locator(".decision")).to_have_attribute("data-engine-level", "red")
    office.fill("#id_conclusion", "会商认为未来4天将出现重度及以上污染，建议发布红色预警")
    office.select_option("#id_concluded_level", "red")
    office.click("#consultation-form button[type=submit]")
    expect(office.locator("[data-concluded-level]")).to_have_attribute(
        "data-concluded-level", "red"
    )
    expect(office.locator(".criteria")).to_contain_text("AQI日均值>300连续2天（48小时）")  # zh page
    shot(office, "0-consultation")
    # The dashboard opens with the engine's recommendation; one click opens the proposal filled.
    office.click("a[href='/staff/j/liaocheng/']")
    expect(office.locator("#recommendation")).to_have_attribute("data-engine-level", "red")
    shot(office, "1-dashboard-office")
    office.click("#propose-as-recommended")
    expect(office.locator("#id_level")).to_have_value("red")
    expect(office.locator("#id_reason")).to_contain_text("AQI日均值>300连续2天")
    shot(office, "1b-proposal-filled")
    office.click("#propose-form button[type=submit]")
    expect(office.locator("#warning-facts [data-state]")).to_have_attribute(
        "data-state", "proposed"
    )
    warning = Warning.objects.get(jurisdiction__code="liaocheng")
    warning_url = f"{base}/staff/warning/{warning.pk}/"
    shot(office, "2-warning-proposed")

    # The deputy commander has no approve button, and a forged approval is refused.
    deputy = sign_in(base, "deputy")
    deputy.goto(warning_url)
    expect(deputy.locator("form[data-action=approve]")).to_have_count(0)
    token = deputy.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    forged = deputy.request.post(
        f"{warning_url}approve/",
        form={"csrfmiddlewaretoken": token or ""},
        headers={"Referer": warning_url},
    )
    assert forged.status == 403

    # The office director reviews it (003 §3.3.1: 市指挥部办公室主任审核), the commander approves.
    director = sign_in(base, "director")
    director.goto(warning_url)
    director.click("form[data-action=review] button")
    expect(director.locator("[data-state]")).to_have_attribute("data-state", "reviewed")
    commander = sign_in(base, "commander")
    commander.goto(warning_url)
    commander.click("form[data-action=approve] button")
    expect(commander.locator("[data-state]")).to_have_attribute("data-state", "approved")

    # The office issues it to start in 25 hours (Liaocheng issues 24 h ahead, 003 §3.3.1).
    starts = timezone.localtime() + timedelta(hours=25)
    office.goto(warning_url)
    office.fill("form[data-action=issue] input[name=starts_at]", f"{starts:%Y-%m-%d %H:%M}")
    office.click("form[data-action=issue] button")
    expect(office.locator("[data-state]")).to_have_attribute("data-state", "issued")

    # The public, without signing in, sees red with the measures to follow.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/")
    card = public.locator("article[data-jurisdiction=liaocheng]")
    expect(card.locator(".badge[data-level=red]")).to_contain_text("红色预警")
    expect(card).to_contain_text("城区禁止燃放烟花爆竹")
    expect(card).to_contain_text("中小学、幼儿园停止室外课程及活动")
    shot(public, "3-public-red")
    public.click("button.lang[value=en]")
    expect(public.locator("h1")).to_contain_text("Heavy pollution weather warnings in force")
    shot(public, "4-public-red-english")

    # The county sees its deadline to respond to the city's warning.
    county = sign_in(base, "county")
    expect(county.locator("p.deadline")).to_contain_text("响应截止")
    child = Warning.objects.get(jurisdiction__code="dongchangfu")
    assert child.respond_by is not None
    assert child.issued_at is not None
    assert child.respond_by - child.issued_at == timedelta(hours=3)
    expect(county.locator("p.deadline")).to_contain_text(
        when_text(child.respond_by, year=False)  # 12月5日 03:00, for people
    )
    shot(county, "5-county-deadline")

    # Lifting by the issuing procedure (003 §3.3.2): the office proposes it, the office director
    # reviews (核准) it, the commander approves it.
    office.goto(warning_url)
    office.fill("form[data-action=lift] textarea[name=note]", "空气质量改善，解除预警")
    office.check("form[data-action=lift] input[name=confirm]")
    office.click("form[data-action=lift] button")
    director.goto(warning_url)
    director.check("form[data-action=lift] input[name=confirm]")
    director.click("form[data-action=lift] button")
    expect(director.locator("[data-state]")).to_have_attribute("data-state", "issued")
    commander.goto(warning_url)
    commander.check("form[data-action=lift] input[name=confirm]")
    commander.click("form[data-action=lift] button")
    expect(commander.locator("[data-state]")).to_have_attribute("data-state", "ended")
    shot(commander, "6-warning-lifted")

    # The CAP feed carries the Cancel, referencing the Alert.
    feed = public.request.get(f"{base}/cap/feed.atom").text()
    cancel_url = f"{base}/cap/hazeguard-liaocheng-w{warning.pk}-lift.xml"
    assert cancel_url in feed
    cancel = public.request.get(cancel_url).text()
    assert "<msgType>Cancel</msgType>" in cancel
    assert f"hazeguard-liaocheng-w{warning.pk}-issue" in cancel
    public.goto(f"{base}/history/")
    expect(public.locator(f"tr[data-warning='{warning.pk}']")).to_be_visible()
    shot(public, "7-public-history")
