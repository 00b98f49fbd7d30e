"""Dalian Xigang's orange response clicked through: the ecology and environment bureau sees its
tasks and files its daily report by 17:00 (seed 000 §5.1), which the housing bureau may not open
(403, audited); the housing bureau files none and is overdue; the office reads the units × days
matrix, lifts, and reads and downloads the episode summary.

The clock is moved with time-machine (ticking, so the live server's thread sees it); the
deadline worker functions (`reports_schedule`, `reports_mark_overdue`) are run at its now, as
the queued tasks would be.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

import docx
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.operations.models import DailyReport
from hazeguard_platform.operations.services import reports_mark_overdue, reports_schedule

from .setups import Person, Shot, SignIn, china_time, command, issued, started

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fill_report(page: Page) -> None:
    """Every measure done but the first, which is partly done with its reason; the figures."""
    statuses = page.locator("#items select[name^=status_]")
    assert statuses.count() >= 1
    for index in range(statuses.count()):
        statuses.nth(index).select_option("partly" if index == 0 else "done")
    page.locator("#items input[name^=reason_]").first.fill("两处工地夜间仍有土方作业，已责令停工")
    page.fill("#id_sites_inspected", "12")
    page.fill("#id_vehicles_checked", "35")
    page.fill("#id_enterprises_stopped", "3")
    page.fill("#id_notes", "督查组上午巡查香炉礁片区")


def test_a_unit_reports_by_17_another_is_overdue_and_the_office_reads_matrix_and_summary(
    person: Person, sign_in: SignIn, shot: Shot, live_server: object, tmp_path: Path
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True) as clock:
        city, people = command(person, "dalian-xigang-2023")
        units = {
            code: city.member_units.get(code=code) for code in ("ecology_environment", "housing")
        }
        person("wang-environment", Role.MEMBER_UNIT_STAFF, city, units["ecology_environment"])
        person("li-housing", Role.MEMBER_UNIT_STAFF, city, units["housing"])
        warning = issued(city, people, "orange")
        started(warning, clock)
        reports_schedule(now=timezone.now())
        today = timezone.localdate()
        environment, housing = (f"unit:{unit.pk}" for unit in units.values())

        # Wang sees the bureau's orange tasks and today's report, due 17:00.
        unit = sign_in(base, "wang-environment")
        unit.click("a[href='/operations/']")
        tasks = unit.locator("#tasks tbody tr")
        expect(tasks.first).to_contain_text("橙色预警")  # the level's name, not its code
        expect(tasks.filter(has_not_text=units["ecology_environment"].name_zh)).to_have_count(0)
        report = DailyReport.objects.get(assignee_key=environment, day=today)
        row = unit.locator(f"#reports tr[data-report='{report.pk}']")
        expect(row).to_contain_text(f"{today.month}月{today.day}日 17:00")
        row.get_by_role("link").click()
        fill_report(unit)
        shot(unit, "reports-0-form")

        # A GIF named .png is refused, the photos field named; nothing is stored.
        gif = {"name": "site.png", "mimeType": "image/png", "buffer": b"GIF89a\x01\x00\x01\x00"}
        unit.set_input_files("#photos", files=[gif])
        unit.get_by_role("button", name="报送").click()
        expect(unit.locator("#report-error")).to_have_attribute("data-field", "photos")
        expect(unit.locator("#report-error")).to_contain_text("site.png")
        assert DailyReport.objects.get(pk=report.pk).state == "due"

        # With a real PNG (a screenshot of the form) the report is filed.
        photo = {"name": "site.png", "mimeType": "image/png", "buffer": unit.screenshot()}
        unit.set_input_files("#photos", files=[photo])
        unit.get_by_role("button", name="报送").click()
        expect(unit.locator("#report-status")).to_have_attribute("data-status", "on_time")
        expect(unit.locator("#report-status")).to_have_text("按时")
        expect(unit.locator("#items")).to_contain_text("两处工地夜间仍有土方作业")
        expect(unit.locator("main")).to_contain_text("检查点位: 12")
        shot(unit, "reports-1-submitted")
        href = unit.locator("main").get_by_role("link", name="site.png").get_attribute("href")
        served = unit.request.get(f"{base}{href}")
        assert served.headers["content-type"] == "image/png"
        assert served.body().startswith(b"\x89PNG\r\n\x1a\n")

        # The housing bureau cannot open the environment bureau's report; the attempt is audited.
        other = sign_in(base, "li-housing")
        response = other.goto(f"{base}/operations/reports/{report.pk}/")
        assert response is not None
        assert response.status == 403
        expect(other.locator("body")).not_to_contain_text("两处工地夜间仍有土方作业")
        assert AuditEntry.objects.filter(
            actor_name="li-housing",
            action="report.view",
            outcome="denied",
            object_id=str(report.pk),
        ).exists()

        # After 17:00 the housing bureau's report is overdue; the office's matrix shows both.
        clock.shift(timezone.localtime().replace(hour=17, minute=5) - timezone.now())
        assert reports_mark_overdue(now=timezone.now())
        office = sign_in(base, "dalian-xigang-clerk")
        office.locator("#office-links").get_by_role("link", name="信息报送").click()
        for assignee, status, label in (
            (environment, "on_time", "按时"),
            (housing, "overdue", "逾期"),
        ):
            cell = office.locator(f"tr[data-assignee='{assignee}'] td[data-day='{today:%Y-%m-%d}']")
            expect(cell).to_have_attribute("data-status", status)
            expect(cell).to_have_text(label)
        shot(office, "reports-2-matrix")

        # The warning is lifted; the office reads the episode summary and downloads it.
        deputy = sign_in(base, "dalian-xigang-deputy")
        summaries = deputy.locator("main").get_by_role("link", name="过程总结")
        expect(summaries).to_have_count(0)  # the summary is the command office's (summaries.md)
        # Xigang lifts as it issues (000 §3.2.2): the office proposes, the deputy approves.
        office.click("a[href='/staff/']")
        office.click("#active-warning a")
        office.fill("form[data-action=lift] textarea[name=note]", "空气质量改善，解除预警")
        office.check("form[data-action=lift] input[name=confirm]")
        office.click("form[data-action=lift] button")
        deputy.click("#active-warning a")
        deputy.check("form[data-action=lift] input[name=confirm]")
        deputy.click("form[data-action=lift] button")
        expect(deputy.locator("[data-state]")).to_have_attribute("data-state", "ended")
        office.click("a[href='/staff/']")
        office.locator("main").get_by_role("link", name="过程总结").click()
        office.locator("main").get_by_role("link", name="总结报告", exact=True).click()
        expect(office.locator("h1")).to_contain_text("重污染天气过程总结")
        expect(office.locator("main")).to_contain_text("未报")
        shot(office, "reports-3-summary")
        with office.expect_download() as download:
            office.locator("main").get_by_role("link", name="下载 Word 文档（.docx）").click()
        saved = tmp_path / "summary.docx"
        download.value.save_as(saved)
        text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
        assert "西岗区" in text
        served = office.request.get(office.url + "summary.docx")
        assert served.headers["content-type"] == DOCX
