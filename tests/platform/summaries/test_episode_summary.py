"""The episode summary (issue 6 §4) after a warning is lifted: page, .docx, and who may see it."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import docx
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from flows import in_force, lifted, observe
from operations.conftest import xigang_orange
from page_text import chinese_runs, proper_names

from conftest import FIRST_DAY, MakePerson, Staff
from hazeguard.documents.summary import DailyAqi
from hazeguard.documents.summary_sections import summary_sections
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.operations.models import DailyReport, Task
from hazeguard_platform.operations.services import ItemInput, report_submit, reports_schedule
from hazeguard_platform.summaries.selectors import episode_summary_for
from hazeguard_platform.warnings.models import Episode, Warning
from hazeguard_platform.warnings.services import warning_start


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submit_all_done(user: User) -> DailyReport:
    report = DailyReport.objects.get(member_unit=user.memberships.get().member_unit)
    tasks = Task.objects.filter(response=report.response, assignee_key=report.assignee_key)
    items = [ItemInput(task_id=task.pk, status="done") for task in tasks]
    return report_submit(actor=user, report_id=report.pk, items=items, sites_inspected=12)


def _xigang_lifted_with_one_report(
    staff: Staff, officer: User, clock: time_machine.Coordinates
) -> Episode:
    """Xigang orange from 09:00 on 5 January; one unit reports, the rest miss 17:00 (000 §5.1);
    the warning is lifted the next morning."""
    warning = warning_start(warning_id=xigang_orange(staff, clock).pk)
    assert warning is not None
    assert warning.starts_at is not None
    _submit_all_done(officer)
    clock.shift(timedelta(hours=23))
    reports_schedule(now=warning.starts_at + timedelta(hours=23))
    lifted(staff, warning)
    return Episode.objects.get(jurisdiction=staff.jurisdiction)


def test_the_liaocheng_summary_page_shows_the_timeline_from_issue_to_lifting(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "red")
    clock.shift(timedelta(days=2))
    lifted(liaocheng, warning)
    episode = Episode.objects.get(jurisdiction=liaocheng.jurisdiction)

    client = _client(liaocheng.office_director)
    listing = client.get(f"/summaries/{liaocheng.jurisdiction.code}/")
    assert f'href="/summaries/episode/{episode.pk}/"' in listing.content.decode()
    page = client.get(f"/summaries/episode/{episode.pk}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "二、预警过程" in text
    assert "红色预警（Ⅰ级响应）" in text
    assert "发布" in text
    assert "解除" in text
    assert "空气质量改善" in text
    # Liaocheng 2020 states no daily-report deadline (003 §6.2.2): nothing owed, shown as such.
    assert "报送完整率 Report completeness: —" in text
    # Every county carried the city's red measures (003 §4.2) and had 3 h to respond.
    county = liaocheng.jurisdiction.children.order_by("code").first()
    assert county is not None
    assert county.name_zh in text
    assert "响应区域预警" in text
    # No list and no inventory: the sections say what is missing instead of a figure.
    assert "尚未运行用电量核查" in text
    assert "未录入全社会排放基数" in text


def test_the_summary_sets_the_forecast_against_the_observed_aqi_with_a_chart(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    lifted(liaocheng, in_force(liaocheng, clock, "red"))
    episode = Episode.objects.get(jurisdiction=liaocheng.jurisdiction)
    # 5 January's 24 hours of PM2.5 79 and 81 µg/m³ in turn: 24-h mean 80, daily AQI 107
    # (HJ 633-2012 Table 1: (80 - 75) / 40 · 50 + 100 = 106.25, rounded up).
    start = datetime(2026, 1, 5, 1)
    hours = "time,station,pm25,pm10,so2,no2,o3,co\n" + "".join(
        f"{start + timedelta(hours=k):%Y-%m-%d %H:%M},东昌府,{79 + 2 * (k % 2)},,,,,\n"
        for k in range(24)
    )
    observe(liaocheng, hours)

    summary = episode_summary_for(episode)

    # The red forecast said 280-320 for 5 January (flows.RED_DAYS): its middle is 300.
    assert summary.aqi[0] == DailyAqi(FIRST_DAY, 300.0, 107.0)
    assert all(day.observed is None for day in summary.aqi[1:])
    chart = _client(liaocheng.office_clerk).get(f"/summaries/episode/{episode.pk}/aqi.png")
    assert chart.status_code == 200
    assert chart.content.startswith(b"\x89PNG")


def test_the_xigang_summary_counts_report_completeness_and_reads_back_as_docx(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    episode = _xigang_lifted_with_one_report(xigang, environment_officer, clock)
    summary = episode_summary_for(episode)
    units = {cell.unit_zh for cell in summary.reports}
    assert len(units) > 1
    assert [cell.state for cell in summary.reports].count("on_time") == 1
    assert summary.report_completeness == 1 / len(summary.reports)
    assert summary.ended is not None
    assert summary.highest_level == "orange"
    client = _client(xigang.office_clerk)

    page = client.get(f"/summaries/episode/{episode.pk}/")
    completeness = f"{100 / len(summary.reports):.1f}%"
    assert completeness in page.content.decode()
    download = client.get(f"/summaries/episode/{episode.pk}/summary.docx")

    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.docx"')
    document = docx.Document(io.BytesIO(download.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("二、预警过程" in h for h in headings)
    assert any("五、信息报送" in h for h in headings)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "按时" in cells
    assert "未报" in cells
    assert "橙色预警（Ⅱ级响应）" in cells


def test_a_county_officer_gets_403_and_the_refusal_is_audited(
    liaocheng: Staff, make_person: MakePerson, clock: time_machine.Coordinates
) -> None:
    lifted(liaocheng, in_force(liaocheng, clock, "red"))
    episode = Episode.objects.get(jurisdiction=liaocheng.jurisdiction)
    county = liaocheng.jurisdiction.children.order_by("code").first()
    officer = make_person("liaocheng-county", Role.COUNTY_OFFICER, county)

    client = _client(officer)

    assert client.get(f"/summaries/episode/{episode.pk}/").status_code == 403
    assert client.get(f"/summaries/episode/{episode.pk}/summary.docx").status_code == 403
    assert client.get(f"/summaries/{liaocheng.jurisdiction.code}/").status_code == 403
    denied = AuditEntry.objects.filter(actor=officer, outcome=Outcome.DENIED)
    assert denied.filter(action="summary.view").count() == 3


def test_member_unit_staff_and_the_commander_get_403(
    xigang: Staff, environment_officer: User, housing_officer: User, clock: time_machine.Coordinates
) -> None:
    episode = _xigang_lifted_with_one_report(xigang, environment_officer, clock)

    for user in (housing_officer, xigang.commander):
        response = _client(user).get(f"/summaries/episode/{episode.pk}/summary.docx")
        assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=housing_officer, action="summary.view").exists()


def test_an_unknown_episode_is_404(liaocheng: Staff) -> None:
    assert _client(liaocheng.office_clerk).get("/summaries/episode/999/").status_code == 404


def test_the_summary_page_in_english_builds_its_rows_in_english(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    episode = _xigang_lifted_with_one_report(xigang, environment_officer, clock)
    summary = episode_summary_for(episode)
    allowed = proper_names() + "\n".join(Warning.objects.values_list("end_note", flat=True))
    # Sections 1-5, 7 and 9; a measure is the plan's own (Chinese) text, the rest is English.
    english = [
        s for s in summary_sections(summary, "en") if not s.title_zh.startswith(("六", "八"))
    ]
    cells = [
        cell
        for section in english
        for row in (section.table.rows if section.table else ())
        for index, cell in enumerate(row)
        if not (section.title_en == "Measures carried out" and index == 1)
    ]
    text = [*cells, *(p for section in english for p in section.paragraphs)]
    assert chinese_runs(text, allowed) == set()

    page = _client(xigang.office_clerk)
    page.cookies["django_language"] = "en"
    shown = page.get(f"/summaries/episode/{episode.pk}/").content.decode()
    timeline = shown[shown.index("Warning timeline") : shown.index("Notices against deadlines")]
    assert "orange warning (level II response)" in timeline
    assert "in force from " in timeline
    assert chinese_runs([timeline], allowed) == set()  # the lifting's reason is as typed
    assert "Report completeness: " in shown
    assert "报送完整率" not in shown
    assert "橙色预警（Ⅱ级响应）" not in shown  # the reductions' levels too
    chinese = _client(xigang.office_clerk).get(f"/summaries/episode/{episode.pk}/")
    assert "橙色预警（Ⅱ级响应）" in chinese.content.decode()
