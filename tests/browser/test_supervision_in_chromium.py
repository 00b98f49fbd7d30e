"""Supervision of Liaocheng's cement plant during a red warning, clicked through: an inspector
of the environment bureau records an on-site inspection finding the kiln still firing, with a
photo; a penalty and a proposed grade downgrade (B → C) appear for the office, whose director
confirms it, and the emission list shows the new grade (seed 000 监督检查: 依法处罚，并按规定下调
绩效分级).
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.supervision.models import GradeDowngrade, Penalty

from .setups import Person, Shot, SignIn, china_time, command, issued, listed_firms

PENALTY = "责令立即停产，依法处罚款十万元"


def test_an_inspector_finds_a_violation_and_the_office_confirms_the_downgrade(
    person: Person, sign_in: SignIn, shot: Shot, live_server: object, tmp_path: Path
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True):
        city, people = command(person, "liaocheng-2020")
        firms = listed_firms(people["clerk"], city, tmp_path)
        bureau = city.member_units.get(code="ecology_environment")
        person("bureau-inspector", Role.MEMBER_UNIT_STAFF, city, bureau)
        issued(city, people, "red")
        cement = firms.cement

        # The inspector finds the plant on the list and records what was seen on site.
        inspector = sign_in(base, "bureau-inspector")
        inspector.click(f"a[href='/staff/j/{city.code}/']")
        inspector.locator("main").get_by_role("link", name="应急减排清单").click()
        inspector.locator("main").get_by_role("link", name=cement.name).click()
        inspector.locator("main").get_by_role("link", name="记录检查").click()
        inspector.select_option("#id_kind", "on_site")
        seen = timezone.localtime() - timedelta(minutes=30)
        inspector.fill("#id_inspected_at", f"{seen:%Y-%m-%d %H:%M}")
        inspector.fill("#id_findings", "1号熟料生产线仍在运行，未按一厂一策停产")
        inspector.check("#id_violation")
        inspector.fill("#id_penalty", PENALTY)
        photo = {"name": "kiln.png", "mimeType": "image/png", "buffer": inspector.screenshot()}
        inspector.set_input_files("#id_photos", files=[photo])
        shot(inspector, "supervision-0-inspection")
        inspector.get_by_role("button", name="记录").click()
        record = inspector.locator("#inspections li").first
        expect(record).to_contain_text("违规")
        href = record.get_by_role("link", name="kiln.png").get_attribute("href")
        assert inspector.request.get(f"{base}{href}").headers["content-type"] == "image/png"
        assert Penalty.objects.get(enterprise=cement).description == PENALTY

        # The inspector reads the proposed downgrade but has no button to confirm it.
        inspector.goto(f"{base}/enterprises/list/{city.code}/")
        inspector.locator("main").get_by_role("link", name="下调绩效分级").click()
        expect(inspector.locator("tr", has_text=cement.name)).to_contain_text("B → C")
        expect(inspector.get_by_role("button", name="确认")).to_have_count(0)

        # The office director sees the penalty and the proposed downgrade, and confirms it.
        office = sign_in(base, "liaocheng-director")
        office.click(f"a[href='/staff/j/{city.code}/']")
        office.locator("main").get_by_role("link", name="应急减排清单").click()
        office.locator("main").get_by_role("link", name="下调绩效分级").click()
        proposal = office.locator("tr", has_text=cement.name)
        expect(proposal).to_contain_text(PENALTY)
        expect(proposal).to_contain_text("B → C")
        shot(office, "supervision-1-proposed-downgrade")
        proposal.get_by_role("button", name="确认").click()
        expect(office.locator(".messages")).to_contain_text("绩效分级 B → C")
        expect(office.locator("main")).not_to_contain_text(cement.name)
        assert GradeDowngrade.objects.get(enterprise=cement).state == "confirmed"

        # The emission list now shows grade C.
        office.goto(f"{base}/enterprises/list/{city.code}/")
        row = office.locator("#listed tr", has_text=cement.name)
        expect(row.locator("td").nth(4)).to_have_text("C级")  # the grade by its name
        shot(office, "supervision-2-list-grade-c")
