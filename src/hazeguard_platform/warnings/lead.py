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
from django.utils.translation import gettext as _

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
    """Whole hours for people (``0`` for a start a moment after issue); one decimal below 10."""
    hours = max(span.total_seconds(), 0.0) / 3600
    return f"{hours:.1f}".removesuffix(".0") if hours < 10 else f"{hours:.0f}"


def checked_start(
    warning: Warning, starts_at: datetime, reason: str, now: datetime
) -> tuple[datetime, Release]:
    """The start time (never before ``now``) and how the release stands against the plan.

    ``InvalidInputError`` for a start without time zone or in the past, and for a release below
    the plan's usual lead time without a reason (the reason is recorded with it).
    """
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise InvalidInputError(_("Enter the start as date and time."), field="starts_at")
    lead = starts_at - now
    if lead < -NOW_TOLERANCE:
        raise InvalidInputError(
            _("The start time is in the past: enter now or a later time."), field="starts_at"
        )
    start = max(starts_at, now)
    previous = warning.supersedes
    if previous is not None and core.rank(warning.level) < core.rank(previous.level):
        # A downgrade relaxes measures, so nobody needs time to prepare for it.
        return start, Release(Lead.DOWNGRADE, "")
    facts = workflow(warning.plan_version).lead_time
    # The advisory notice is judged by its own exemption where the plan gives one (003 §3.1).
    driver = "advisory" if warning.level == "advisory" else warning.driver
    judged = facts.judge(max(lead, timedelta(0)) / timedelta(hours=1), driver)
    below_usual = judged.status in ("minimum", "late")
    if below_usual and not reason.strip():
        minimum = (
            _(", at least %(hours)s h") % {"hours": f"{facts.minimum_hours:g}"}
            if facts.minimum_hours is not None
            else ""
        )
        raise InvalidInputError(
            _(
                "The warning would start %(lead)s h after it is issued; the plan asks for "
                "%(usual)s h%(minimum)s (%(clause)s). Either choose a later start, or state "
                "below why it must start sooner: the release is then recorded as late and the "
                "measures start as set."
            )
            % {
                "lead": _hours(lead),
                "usual": f"{facts.usual_hours:g}",
                "minimum": minimum,
                "clause": judged.clause,
            },
            field="short_lead_reason",
        )
    return start, Release(Lead(judged.status), judged.clause)
