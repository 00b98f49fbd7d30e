"""The units' summary reports in the episode summary: who owed one, and how each stands.

Kept apart from :mod:`summaries.selectors` (which fills the core's ``EpisodeSummary``): the core's
summary model has no section for them yet, so the page shows this table beside the core's
sections. The rows are the operations app's (docs/unit-summaries.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from hazeguard_platform.operations.models import Response
from hazeguard_platform.operations.summary_selectors import SummaryRow, response_summary_rows
from hazeguard_platform.warnings.models import Episode


@dataclass(frozen=True)
class UnitSummaries:
    """Every unit's summary report over the episode's responses, and their counts by
    timeliness (``on_time``, ``late``, ``overdue``, ``pending``, ``no_deadline``)."""

    rows: tuple[SummaryRow, ...]
    counts: dict[str, int]
    accepted: int

    @property
    def owed(self) -> int:
        return len(self.rows)


def unit_summaries_for(episode: Episode, now: datetime) -> UnitSummaries:
    """The summary reports owed by the assignees of the episode's ended responses."""
    responses = (
        Response.objects.filter(tasks__warning__episode=episode).distinct().order_by("closed_at")
    )
    rows = tuple(row for response in responses for row in response_summary_rows(response, now))
    return UnitSummaries(
        rows=rows,
        counts=dict(Counter(row.timeliness for row in rows)),
        accepted=sum(row.summary.state == "accepted" for row in rows),
    )
