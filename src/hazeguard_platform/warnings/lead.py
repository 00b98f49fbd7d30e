"""A warning's release against the plan's lead time (the core's ``Workflow.lead_time``).

The plans ask for release 24 h ahead as a rule and 12 h at least (Kashgar 001 §3.5), and to start
as early as possible: a late release is allowed and recorded as late with its reason, the measures
are never postponed. Observation-driven warnings and warnings following a higher jurisdiction
start at once where the plan says so; a plan that states no lead time judges none (no default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.warnings.chains import workflow
from hazeguard_platform.warnings.models import Lead, Warning

# A start time entered as "now" arrives a moment late; within this it counts as now.
NOW_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Release:
    """How the release stands: a :class:`Lead` status and the clause it was judged by."""

    status: Lead
    clause: str


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:.3g}"


def checked_start(
    warning: Warning, starts_at: datetime, reason: str, now: datetime
) -> tuple[datetime, Release]:
    """The start time (never before ``now``) and how the release stands against the plan.

    ``InvalidInputError`` for a start without time zone or in the past, and for a release below
    the plan's usual lead time without a reason (the reason is recorded with it).
    """
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise InvalidInputError("a start time with its time zone is required", field="starts_at")
    lead = starts_at - now
    if lead < -NOW_TOLERANCE:
        raise InvalidInputError("the start time is in the past", field="starts_at")
    start = max(starts_at, now)
    previous = warning.supersedes
    if previous is not None and core.rank(warning.level) < core.rank(previous.level):
        # A downgrade relaxes measures, so nobody needs time to prepare for it.
        return start, Release(Lead.DOWNGRADE, "")
    facts = workflow(warning.plan_version).lead_time
    judged = facts.judge(max(lead, timedelta(0)) / timedelta(hours=1), warning.driver)
    below_usual = judged.status in ("minimum", "late")
    if below_usual and not reason.strip():
        minimum = f", at least {facts.minimum_hours:g} h" if facts.minimum_hours is not None else ""
        raise InvalidInputError(
            f"the start is {_hours(lead)} h after issue, below the plan's lead time of "
            f"{facts.usual_hours:g} h{minimum} ({judged.clause}): state the reason; the release "
            "is recorded as such and the measures start as set",
            field="short_lead_reason",
        )
    return start, Release(Lead(judged.status), judged.clause)
