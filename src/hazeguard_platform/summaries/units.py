"""The units' summary reports in the episode summary: who owed one, and how each stands.

The rows are the operations app's (docs/unit-summaries.md); :func:`unit_summaries_for` turns them
into the core's :class:`~hazeguard.documents.summary.UnitSummary` records, which the page, the
.docx and the JSON all show (section 九 of the report).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from hazeguard.documents.summary import UnitSummary
from hazeguard.documents.summary_model import SummaryReviewState, SummaryTimeliness
from hazeguard_platform.core import CHINA
from hazeguard_platform.operations.models import Response
from hazeguard_platform.operations.summary_selectors import SummaryRow, response_summary_rows
from hazeguard_platform.warnings.models import Episode


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(CHINA).replace(tzinfo=None)


def _record(row: SummaryRow) -> UnitSummary:
    summary = row.summary
    return UnitSummary(
        unit_zh=summary.assignee_name,
        due=_local(summary.due_at),
        submitted=_local(summary.first_submitted_at),
        # The operations app's values are the core's literals (summary_timeliness, SummaryState).
        timeliness=cast(SummaryTimeliness, row.timeliness),
        state=cast(SummaryReviewState, summary.state),
        late_working_days=summary.late_working_days if summary.late else None,
        clause=summary.deadline_clause,
        unit_key=summary.assignee_key,
        unit_en=summary.assignee_name_in("en"),
    )


def episode_summary_rows(episode: Episode, now: datetime) -> list[SummaryRow]:
    """The summary reports owed by the assignees of the episode's ended responses, in the
    order of the responses' end, each sorted by assignee."""
    responses = (
        Response.objects.filter(tasks__warning__episode=episode).distinct().order_by("closed_at")
    )
    return [row for response in responses for row in response_summary_rows(response, now)]


def unit_summaries_for(episode: Episode, now: datetime) -> tuple[UnitSummary, ...]:
    """The core's records of :func:`episode_summary_rows` (times local, China)."""
    return tuple(_record(row) for row in episode_summary_rows(episode, now))


def unit_summary_ids(episode: Episode, now: datetime) -> list[int]:
    """The ids of the summary reports, in the order of :func:`unit_summaries_for` (for the
    page's links to each report; an assignee may owe one per response of the episode)."""
    return [row.summary.pk for row in episode_summary_rows(episode, now)]
