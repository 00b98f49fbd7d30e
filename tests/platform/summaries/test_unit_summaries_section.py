"""The episode summary shows how complete the units' summary reports are (issue 6 §4)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import time_machine
from django.contrib.auth.models import User
from django.test import Client
from docx import Document
from flows import lifted
from operations.conftest import xigang_orange

from conftest import Staff
from hazeguard_platform.operations.models import SummaryReport
from hazeguard_platform.operations.summary_services import summary_report_submit
from hazeguard_platform.summaries.selectors import episode_summary_for
from hazeguard_platform.warnings.models import Episode
from hazeguard_platform.warnings.services import warning_start

# 15:00 and 23:00 China time on 6 January 2026; Xigang's summaries are due at 24:00 (000 §5.2).
LIFTED = datetime(2026, 1, 6, 7, 0, tzinfo=UTC)
BEFORE_MIDNIGHT = datetime(2026, 1, 6, 15, 0, tzinfo=UTC)
NEXT_MORNING = datetime(2026, 1, 7, 1, 0, tzinfo=UTC)


def test_the_summary_page_counts_the_units_summaries_on_time_and_overdue(
    xigang: Staff, environment_officer: User, clock: time_machine.Coordinates
) -> None:
    warning = warning_start(warning_id=xigang_orange(xigang, clock).pk)
    assert warning is not None
    clock.move_to(LIFTED)
    lifted(xigang, warning)
    episode = Episode.objects.get(jurisdiction=xigang.jurisdiction)
    mine = SummaryReport.objects.get(member_unit=environment_officer.memberships.get().member_unit)
    clock.move_to(BEFORE_MIDNIGHT)
    summary_report_submit(
        actor=environment_officer,
        summary_id=mine.pk,
        measures_taken="督查工业企业 12 家。",
        results="无超标排放。",
    )
    clock.move_to(NEXT_MORNING)
    client = Client()
    client.force_login(xigang.office_clerk)

    summary = episode_summary_for(episode)
    page = client.get(f"/summaries/episode/{episode.pk}/").content.decode()
    data = client.get(f"/summaries/episode/{episode.pk}/summary.json").json()
    docx = client.get(f"/summaries/episode/{episode.pk}/summary.docx").content

    owed = SummaryReport.objects.filter(response__jurisdiction=xigang.jurisdiction).count()
    assert len(summary.unit_summaries) == owed > 1
    counts = summary.unit_summary_counts
    assert (counts["on_time"], counts["overdue"], counts["late"]) == (1, owed - 1, 0)
    assert summary.unit_summary_completeness == 1 / owed
    assert 'id="unit-summaries"' in page
    assert f'data-assignee="{mine.assignee_key}" data-timeliness="on_time"' in page
    assert f"逾期未报 overdue {owed - 1}" in page
    # The same records reach the JSON and the .docx.
    rows = {row["unit_key"]: row for row in data["unit_summaries"]}
    assert len(rows) == owed
    assert rows[mine.assignee_key]["timeliness"] == "on_time"
    assert rows[mine.assignee_key]["submitted"] == "2026-01-06T23:00:00"
    assert rows[mine.assignee_key]["state"] == "submitted"
    document = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "九、各单位总结报告" in text
    assert f"逾期未报 overdue {owed - 1}" in text
