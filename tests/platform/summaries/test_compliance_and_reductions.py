"""The summary's enterprise compliance (六) and the list against the plan's targets (八), with
the real services: Liaocheng red from 08:00 on 5 January 2026 to its lift at 12:00 on the 7th; the
cement plant kept its kiln running (its meter shows no drop, an inspection found it, a penalty and a
confirmed downgrade followed), the chemicals plant stopped (its meter fell to its base load)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from enterprises.list_helpers import CEMENT_CODE, CHEMICALS_CODE

from hazeguard.documents.summary import EnterpriseCompliance, EpisodeSummary, ReductionCheck
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.meters.models import ElectricityCheck, ElectricityFinding
from hazeguard_platform.meters.services import electricity_check_run
from hazeguard_platform.meters.tasks import electricity_check_task
from hazeguard_platform.summaries.selectors import episode_summary_for
from hazeguard_platform.summaries.services import inventory_enter

from .red_episode import CEMENT_ZH, CHEMICALS_ZH, RedEpisode


def _rows(summary: EpisodeSummary) -> dict[str, EnterpriseCompliance]:
    return {row.enterprise_zh: row for row in summary.compliance}


def test_the_electricity_check_finds_the_plant_whose_meter_did_not_drop(red: RedEpisode) -> None:
    check = electricity_check_run(actor=red.staff.office_clerk, episode=red.episode)

    assert (check.enterprises, check.meters) == (2, 2)
    statuses = {
        (f.enterprise.credit_code, f.day): f.status
        for f in ElectricityFinding.objects.filter(check_run=check).select_related("enterprise")
    }
    # Judged from 14:00 on 5 January (6 h grace, thresholds.yaml) to the lift at 12:00 on the 7th.
    days = [date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7)]
    assert [statuses[CEMENT_CODE, d] for d in days] == ["violation"] * 3
    assert [statuses[CHEMICALS_CODE, d] for d in days] == ["compliant"] * 3
    stop = ElectricityFinding.objects.filter(check_run=check, measure="stop")
    assert stop.count() == 6  # red stops every unit of both plants: share cut 1

    summary = episode_summary_for(red.episode)
    rows = _rows(summary)
    cement, chemicals = rows[CEMENT_ZH], rows[CHEMICALS_ZH]
    assert (cement.violation, cement.electricity) == (3, "violation")
    assert (chemicals.compliant, chemicals.electricity) == (3, "compliant")
    assert "用电量核查" in summary.compliance_note_zh
    assert "企业 2 家，电表 2 块" in summary.compliance_note_zh


def test_without_a_check_the_section_says_it_was_not_run(red: RedEpisode) -> None:
    summary = episode_summary_for(red.episode)
    assert {row.electricity for row in summary.compliance} == {"not_checked"}
    assert "尚未运行用电量核查" in summary.compliance_note_zh


def test_tasks_acknowledgements_reports_and_inspections_count_per_enterprise(
    red: RedEpisode,
) -> None:
    summary = episode_summary_for(red.episode)
    cement, chemicals = _rows(summary)[CEMENT_ZH], _rows(summary)[CHEMICALS_ZH]
    # Red: each plant's one site measure (stop) is one task; 5, 6 and 7 January are owed.
    assert (cement.tasks, cement.acknowledged) == (1, False)
    assert (chemicals.tasks, chemicals.acknowledged) == (1, True)
    assert (cement.reports_due, cement.reports_made) == (3, 1)
    # A kiln limited by 30 % where the site plan stops it falls short; a stop does not.
    assert (cement.reports_short, chemicals.reports_short) == (1, 0)
    assert (cement.inspections, cement.violations_found, cement.penalties) == (1, 1, 1)
    assert (cement.downgrades_proposed, cement.downgrades_confirmed) == (1, 1)
    (inspection,) = summary.inspections
    assert inspection.violation
    assert inspection.penalty_zh == "处罚：罚款5万元"
    assert inspection.downgrade_zh == "绩效分级 B → C（已确认）"


def _industrial_inventory(red: RedEpisode) -> None:
    """The office enters the industrial class's SO2, NOx and PM; VOCs stays unknown."""
    inventory_enter(
        actor=red.staff.office_clerk,
        jurisdiction=red.staff.jurisdiction,
        source_class="industrial",
        source="聊城市大气污染源排放清单（测试数据）",
        so2=0.5,
        nox=10.0,
        pm=1.0,
    )


def _checks(summary: EpisodeSummary) -> dict[str, ReductionCheck]:
    return {check.pollutant: check for check in summary.reductions if check.level == "red"}


def test_without_an_inventory_every_target_says_the_baseline_is_missing(red: RedEpisode) -> None:
    checks = _checks(episode_summary_for(red.episode))
    assert set(checks) == {"SO2", "NOx", "PM", "VOCs", "SO2+NOx"}
    assert {check.state for check in checks.values()} == {"no_inventory"}
    assert all(check.claimed is None for check in checks.values())
    # The list's own reduction is known: both plants stop at red (cement kiln NOx 1.1 t/d,
    # chemicals 0.1 t/d).
    assert checks["NOx"].reduction == pytest.approx(1.2)


def test_the_lists_reductions_meet_some_targets_and_miss_others(red: RedEpisode) -> None:
    _industrial_inventory(red)
    checks = _checks(episode_summary_for(red.episode))
    # Seed 003 §4.4.4: red cuts 30 % of each pollutant, SO2 + NOx together 60 %.
    assert checks["SO2"].claimed == pytest.approx(0.2 / 0.5)
    assert checks["SO2"].state == "met"
    assert checks["NOx"].claimed == pytest.approx(1.2 / 10.0)
    assert checks["NOx"].state == "not_met"
    assert checks["PM"].state == "met"
    assert checks["VOCs"].state == "no_inventory"  # not entered: no share, no made-up figure
    assert checks["SO2+NOx"].claimed == pytest.approx(0.4 + 0.12)
    assert checks["SO2+NOx"].state == "not_met"
    assert checks["NOx"].inventory_source_zh == "工业源：聊城市大气污染源排放清单（测试数据）"
    assert checks["NOx"].clause == "003 §4.4.4"


def test_the_inventory_needs_its_source_and_the_office(red: RedEpisode) -> None:
    with pytest.raises(InvalidInputError) as missing:
        inventory_enter(
            actor=red.staff.office_clerk,
            jurisdiction=red.staff.jurisdiction,
            source_class="industrial",
            source=" ",
            so2=1.0,
        )
    assert missing.value.field == "source"
    with pytest.raises(InvalidInputError) as negative:
        inventory_enter(
            actor=red.staff.office_clerk,
            jurisdiction=red.staff.jurisdiction,
            source_class="dust",
            source="x",
            pm=-1.0,
        )
    assert negative.value.field == "pm"
    with pytest.raises(ForbiddenError):
        inventory_enter(
            actor=red.firms.cement_contact,
            jurisdiction=red.staff.jurisdiction,
            source_class="dust",
            source="x",
            pm=1.0,
        )


def test_an_enterprise_contact_cannot_run_the_check(red: RedEpisode) -> None:
    with pytest.raises(ForbiddenError):
        electricity_check_run(actor=red.firms.cement_contact, episode=red.episode)
    assert not ElectricityCheck.objects.exists()


def test_the_page_queues_the_check_and_the_docx_carries_both_sections(
    red: RedEpisode, django_capture_on_commit_callbacks: Any
) -> None:
    _industrial_inventory(red)
    client = Client()
    client.force_login(red.staff.office_director)
    url = f"/summaries/episode/{red.episode.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"{url}electricity-check/", follow=True)
    assert 'id="check-job" data-state="queued"' in queued.content.decode()
    task = DBTaskResult.objects.get(task_path=electricity_check_task.module_path)
    electricity_check_task.call(*task.args_kwargs["args"])  # what the worker does with it
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="check-job" data-state="done"' in text
    assert "六、企业落实与执法检查" in text
    assert f"not carried out: {CEMENT_ZH}" in text
    assert "上次用电量核查" in text
    assert "缺全社会排放基数" in text  # VOCs

    document = docx.Document(io.BytesIO(client.get(f"{url}summary.docx").content))
    tables = {table.cell(0, 0).text.split("\n")[0]: table for table in document.tables}
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in tables["企业"].rows[1:]}
    assert cells[CEMENT_ZH][-2:] == ["0/0/3/0", "未落实"]
    assert cells[CEMENT_ZH][3] == "1/3，不符 1"
    assert cells[CHEMICALS_ZH][-1] == "落实"
    targets = [[c.text for c in row.cells] for row in tables["污染物"].rows[1:]]
    assert (targets[1][:7]) == [
        "NOx",
        "红色预警（Ⅰ级响应）",
        "30.0%",
        "1.200",
        "10.000",
        "12.0%",
        "未达标",
    ]
    assert targets[3][5:7] == ["—", "缺全社会排放基数"]
    paragraphs = [p.text for p in document.paragraphs]
    assert any("熟料线仍在生产" in p and "绩效分级 B → C（已确认）" in p for p in paragraphs)


def test_the_summary_json_carries_both_sections_and_reads_back(red: RedEpisode) -> None:
    electricity_check_run(actor=red.staff.office_clerk, episode=red.episode)
    client = Client()
    client.force_login(red.staff.office_clerk)
    response = client.get(f"/summaries/episode/{red.episode.pk}/summary.json")
    assert response.status_code == 200
    data = response.json()
    cement = next(row for row in data["compliance"] if row["credit_code"] == CEMENT_CODE)
    assert (cement["violation"], cement["downgrades_confirmed"]) == (3, 1)
    assert {row["claimed"] for row in data["reductions"]} == {None}
    # Times are local without an offset in the JSON: it reads back to the same data.
    assert EpisodeSummary.from_dict(data).to_dict() == data
