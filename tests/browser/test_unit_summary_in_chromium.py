"""A county's summary report after Liaocheng lifts a red warning, clicked through in Chromium.

The warning is issued and lifted through the services; then in the browser the Dongchangfu
officer opens 总结报告 from the menu, writes the summary (003 §4.9: within 3 working days; the
content of 004 §4) with a PDF, and sends it; the command office sees it on time among the
counties, returns it with a reason; the county sends it again, and the office accepts it.
Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from .setups import by_chain

RED_HIGHS = (320, 330, 340, 310, 250, 120, 90)
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _liaocheng_red_lifted(person: Callable[..., User]) -> dict[str, User]:
    """Liaocheng's command and the Dongchangfu officer; a red warning issued and lifted now."""
    from hazeguard_platform.accounts.models import Role
    from hazeguard_platform.forecasts.services import forecast_enter
    from hazeguard_platform.forecasts.validation import day_inputs
    from hazeguard_platform.jurisdictions.services import plan_import
    from hazeguard_platform.response.services import warning_issue, warning_propose

    city = plan_import(actor=None, plan_id="liaocheng-2020").jurisdiction
    people = {
        "clerk": person("clerk", Role.COMMAND_OFFICE_STAFF, city),
        "director": person("director", Role.OFFICE_DIRECTOR, city),
        "commander": person("commander", Role.COMMANDER, city),
        "county": person("county", Role.COUNTY_OFFICER, city.children.get(code="dongchangfu")),
    }
    now = timezone.now()
    first = timezone.localdate() + timedelta(days=1)
    days = day_inputs(first, RED_HIGHS, spread=40)
    forecast = forecast_enter(actor=people["clerk"], jurisdiction=city, issued_at=now, days=days)
    warning = warning_propose(
        actor=people["clerk"],
        jurisdiction=city,
        level="red",
        forecast_id=forecast.pk,
        reason="预测AQI日均值>200持续4天，其中2天>300",
    )
    by_chain(warning, people)  # reviewed by the director, approved by the commander (003 §3.3.1)
    warning_issue(actor=people["clerk"], warning_id=warning.pk, starts_at=now + timedelta(hours=25))
    by_chain(warning, people, "lift")  # lifted by the issuing procedure (003 §3.3.2)
    return people


def test_a_county_sends_its_summary_and_the_office_returns_then_accepts_it(
    sign_in: Callable[[str, str], Page],
    shot: Callable[[Page, str], None],
    person: Callable[..., User],
    live_server: object,
    tmp_path: Path,
) -> None:
    from hazeguard_platform.operations.models import SummaryReport

    _liaocheng_red_lifted(person)
    mine = SummaryReport.objects.get(county__code="dongchangfu")
    base = str(live_server)
    attachment = tmp_path / "东昌府区应急响应总结.pdf"
    attachment.write_bytes(PDF)

    # The county opens its summary from the menu and sends it with a PDF.
    county = sign_in(base, "county")
    county.click("a[href='/operations/summaries/']")
    row = county.locator(f"tr[data-summary='{mine.pk}']")
    expect(row).to_have_attribute("data-timeliness", "pending")
    row.locator("a").click()
    expect(county.locator("h1")).to_contain_text("东昌府区")
    county.fill("#id_measures_taken", "全区停止土石方作业，重点企业按一厂一策限产。")
    county.fill("#id_results", "PM2.5 日均浓度较预警前下降 18%。")
    county.fill("#id_problems_found", "个别工地夜间违规施工。")
    county.set_input_files("#id_attachment", str(attachment))
    shot(county, "summary-0-county-form")
    county.click("#summary-form button[type=submit]")
    expect(county.locator("#summary-state")).to_have_attribute("data-state", "submitted")
    expect(county.locator("#summary-timeliness")).to_have_attribute("data-timeliness", "on_time")
    expect(county.locator("section.revision a")).to_contain_text("东昌府区应急响应总结.pdf")

    # The office sees every county, Dongchangfu on time, and returns its summary.
    office = sign_in(base, "clerk")
    office.click("a[href='/operations/summaries/']")
    office.locator("#responses a").first.click()
    line = office.locator(f"tr[data-assignee='{mine.assignee_key}']")
    expect(line).to_have_attribute("data-timeliness", "on_time")
    expect(office.locator("tr[data-timeliness='pending']")).to_have_count(
        SummaryReport.objects.count() - 1
    )
    shot(office, "summary-1-office-response")
    line.locator("a").click()
    office.fill("form[data-action=return] textarea[name=reason]", "请补充扬尘源管控成效数据")
    office.click("form[data-action=return] button")
    expect(office.locator("#summary-state")).to_have_attribute("data-state", "returned")

    # The county reads the reason and sends it again; both submissions stay on the page.
    county.reload()
    expect(county.locator("#return-reason")).to_contain_text("请补充扬尘源管控成效数据")
    county.fill("#id_measures_taken", "全区停止土石方作业，检查工地 42 处。")
    county.fill("#id_results", "PM2.5 下降 18%，扬尘源检查工地 42 处，均已落实。")
    county.click("#summary-form button[type=submit]")
    expect(county.locator("section.revision")).to_have_count(2)

    # The office accepts the second submission.
    office.reload()
    office.click("form[data-action=accept] button")
    expect(office.locator("#summary-state")).to_have_attribute("data-state", "accepted")
    shot(office, "summary-2-office-accepted")
