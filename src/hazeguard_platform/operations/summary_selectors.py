"""Reads of summary reports: each one's timeliness, a unit's list and the office's view per
response (who may read a summary: :func:`selectors.summary_report_for_user`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext, ngettext

from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership
from hazeguard_platform.accounts.permissions import Actor, jurisdictions_of, refuse
from hazeguard_platform.operations.models import (
    Response,
    ResponseState,
    SummaryReport,
    SummaryState,
)
from hazeguard_platform.operations.selectors import assignee_keys_of, oversees

# How a summary stands against its deadline.
ON_TIME, LATE, OVERDUE, PENDING = "on_time", "late", "overdue", "pending"
NO_DEADLINE = "no_deadline"
TIMELINESS_ZH = {
    ON_TIME: "按时 on time",
    LATE: "迟报 late",
    OVERDUE: "逾期未报 overdue",
    PENDING: "未到期 not yet due",
    NO_DEADLINE: "截止未知 deadline unknown",
}


def summary_timeliness(summary: SummaryReport, now: datetime) -> str:
    """``on_time`` or ``late`` once submitted (by its first submission), else ``overdue`` past
    the deadline (even before the worker marks it), ``pending`` before it, ``no_deadline`` when
    the deadline could not be computed."""
    if summary.first_submitted_at is not None:
        return LATE if summary.late else ON_TIME
    if summary.state == SummaryState.OVERDUE:
        return OVERDUE
    if summary.due_at is None:
        return NO_DEADLINE
    return OVERDUE if summary.due_at <= now else PENDING


def lateness(summary: SummaryReport) -> str:
    """``迟报 2 个工作日`` / ``late by 2 working days`` (the page's language) for a late summary,
    else ``""``."""
    if not summary.late:
        return ""
    days = summary.late_working_days
    if days is None:
        return gettext("Late")
    if days == 0:
        return gettext("Late by less than a working day")
    return ngettext("Late by %(days)d working day", "Late by %(days)d working days", days) % {
        "days": days
    }


def summaries_for_user(user: Actor) -> QuerySet[SummaryReport]:
    """The summaries ``user`` submits (their units' and counties'), newest response first."""
    return (
        SummaryReport.objects.filter(assignee_key__in=assignee_keys_of(user))
        .select_related("response__jurisdiction", "member_unit", "county")
        .order_by("-response__closed_at", "assignee_key")
    )


def responses_for_office(user: Actor) -> QuerySet[Response]:
    """The ended responses of every jurisdiction ``user`` oversees, with their summary counts
    (``owed``, ``submitted``, ``accepted``)."""
    return (
        Response.objects.filter(jurisdiction_id__in=_overseen(user), state=ResponseState.CLOSED)
        .select_related("jurisdiction")
        .annotate(
            owed=Count("summaries"),
            submitted=Count("summaries", filter=Q(summaries__first_submitted_at__isnull=False)),
            accepted=Count("summaries", filter=Q(summaries__state=SummaryState.ACCEPTED)),
        )
        .order_by("-closed_at")
    )


def _overseen(user: Actor) -> list[int]:
    """The jurisdictions ``user`` oversees (as :func:`oversees`: a command role there or above),
    with one query on the memberships instead of two or more per visible jurisdiction: a command
    place is one of the user's own, so walking up the parents among the visible places reaches
    it."""
    parent_of = dict(jurisdictions_of(user).values_list("pk", "parent_id"))
    commands = set(
        Membership.objects.filter(
            user=user if isinstance(user, User) else None,
            jurisdiction_id__in=list(parent_of),
            role__in=list(COMMAND_ROLES),
        ).values_list("jurisdiction_id", flat=True)
    )
    overseen = []
    for pk in sorted(parent_of):
        node: int | None = pk
        while node is not None and node not in commands:
            node = parent_of.get(node)
        if node is not None:
            overseen.append(pk)
    return overseen


def response_for_office(user: Actor, response_id: int) -> Response:
    """The response, for the command of its jurisdiction (or above); ``Http404`` if unknown,
    ``ForbiddenError`` (audited) for anyone else."""
    response = Response.objects.select_related("jurisdiction").filter(pk=response_id).first()
    if response is None:
        raise Http404(f"no response {response_id}")
    if not oversees(user, response.jurisdiction):
        raise refuse(user, action="summary.list", obj=response, message="the command office only")
    return response


@dataclass(frozen=True)
class SummaryRow:
    """One assignee's line in the office's view of a response."""

    summary: SummaryReport
    timeliness: str
    lateness: str
    revisions: int


def response_summary_rows(response: Response, now: datetime) -> list[SummaryRow]:
    """Every assignee's summary of ``response``: due, submitted, timeliness, review state."""
    summaries = (
        SummaryReport.objects.filter(response=response)
        .select_related("member_unit", "county")
        .annotate(revision_count=Count("revisions"))
    )
    rows = [
        SummaryRow(s, summary_timeliness(s, now), lateness(s), s.revision_count) for s in summaries
    ]
    return sorted(rows, key=lambda row: (row.summary.assignee_name, row.summary.assignee_key))
