"""The enterprise portal clicked through by the contact of Liaocheng's cement plant during a red
warning: it sees its own enterprise only — the level in force, its site-plan measures, its site
sign (公示牌) — acknowledges, and reports its daily production status; typing the addresses of
the chemicals plant's page, site sign and production report is refused, and every refusal is in
the audit log; so are the inspection form about its own plant and the city's staff pages.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

import docx
import time_machine
from playwright.sync_api import expect

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.models import ProductionReport
from hazeguard_platform.response.services import warning_adjust

from .setups import Person, Shot, SignIn, china_time, command, issued, listed_firms, started

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_enterprise_contact_works_its_own_enterprise_and_is_refused_another(
    person: Person, sign_in: SignIn, shot: Shot, live_server: object, tmp_path: Path
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True) as clock:
        city, people = command(person, "liaocheng-2020")
        firms = listed_firms(people["clerk"], city, tmp_path)
        warning = issued(city, people, "red")
        started(warning, clock)
        cement, chemicals = firms.cement, firms.chemicals

        # The contact's menu leads straight to its enterprise: red in force, the whole plant stops.
        page = sign_in(base, "cement-contact")
        page.click("a[href='/enterprises/']")
        expect(page.locator("h1")).to_have_text(cement.name)
        expect(page.locator("#level-in-force h2")).to_contain_text("红色预警")
        expect(page.locator("#level-in-force h2")).to_contain_text("Ⅰ级应急响应")
        expect(page.locator("#level-in-force")).to_contain_text("生效时间")
        expect(page.locator("#tasks li").first).not_to_contain_text("本级别一厂一策无减排措施")
        expect(page.locator("#site-plan")).to_contain_text("红色")
        expect(page.locator("main")).not_to_contain_text(chemicals.name)
        shot(page, "portal-0-enterprise")

        # The site sign downloads as a Word document naming the plant.
        with page.expect_download() as download:
            page.locator("main").get_by_role("link", name="下载公示牌（.docx）").click()
        sign_url = f"{base}/enterprises/{cement.pk}/site-sign.docx"
        assert page.request.get(sign_url).headers["content-type"] == DOCX
        sign = tmp_path / "sign.docx"
        download.value.save_as(sign)
        document = docx.Document(str(sign))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        assert cement.name in "\n".join([p.text for p in document.paragraphs] + cells)

        # It acknowledges the warning and reports both units stopped today.
        page.get_by_role("button", name="确认收到预警").click()
        expect(page.locator("#level-in-force .acknowledged")).to_contain_text("已确认收到")
        for unit in cement.units.all():
            page.select_option(f"select[name='status-{unit.pk}']", "stopped")
        page.fill(f"input[name='note-{cement.units.get(unit_id='K1').pk}']", "窑已停火保温")
        page.get_by_role("button", name="报送", exact=True).click()
        expect(page.locator("#reports li").first).to_contain_text("停产")
        report = ProductionReport.objects.get(enterprise=cement)
        assert {entry["status"] for entry in report.entries} == {"stopped"}
        shot(page, "portal-1-reported")

        # The chemicals plant's page, site sign and production report are refused.
        token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
        other = f"{base}/enterprises/{chemicals.pk}/"
        response = page.goto(other)
        assert response is not None
        assert response.status == 403
        expect(page.locator("body")).not_to_contain_text(chemicals.name)
        shot(page, "portal-2-other-refused")
        assert page.request.get(f"{other}site-sign.docx").status == 403
        forged = page.request.post(
            f"{other}production/",
            form={"csrfmiddlewaretoken": token or "", "day": "2026-01-01"},
            headers={"Referer": other},
        )
        assert forged.status == 403
        assert not ProductionReport.objects.filter(enterprise=chemicals).exists()
        refusals = AuditEntry.objects.filter(
            actor=firms.cement_contact,
            action="enterprise.view",
            outcome="denied",
            object_id=str(chemicals.pk),
        )
        assert refusals.count() == 3

        # The form for recording an inspection of its own plant is the inspectors', not its own.
        response = page.goto(f"{base}/supervision/enterprise/{cement.pk}/inspect/")
        assert response is not None
        assert response.status == 403
        assert AuditEntry.objects.filter(
            actor=firms.cement_contact, action="inspection.record", outcome="denied"
        ).exists()

        # Nor are the city's staff pages the enterprise's: its dashboard and an adjustment the
        # office has proposed but not published (proposals are never public) are refused.
        proposal = warning_adjust(
            actor=people["clerk"],
            warning_id=warning.pk,
            level="orange",
            reason="会商认为污染减轻",
            forecast_id=warning.forecast_id,
        )
        for staff_page in (f"j/{city.code}/", f"warning/{proposal.pk}/"):
            response = page.goto(f"{base}/staff/{staff_page}")
            assert response is not None
            assert response.status == 403, staff_page
            expect(page.locator("body")).not_to_contain_text("会商认为污染减轻")
