"""Issuing, adjusting and lifting a warning, with everything that follows (STYLE.md §7, §24).

One path for every warning, the city's and each county warning (区域预警) its cascade begins or
ends: :func:`_respond` opens (or retargets) the member units' tasks (``operations``) and the
listed enterprises' tasks (``enterprises``); :func:`_stand_down` closes them. One notice per event
goes out for the warning acted on (``notices.routing``): it reaches the counties' officers, units,
enterprises and address books, each by its deadline, so a county warning sends none of its own.
All of it runs in the warning service's one transaction: the warning changes with its tasks and
notice, or nothing does.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.enterprises.services import enterprise_tasks_close, enterprise_tasks_open
from hazeguard_platform.notices.routing import warning_notice_send
from hazeguard_platform.operations.services import response_tasks_close, response_tasks_open
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.services import Changed, warning_mark_issued, warning_mark_lifted


def _respond(warning: Warning, *, actor: Actor) -> None:
    """Give an issued warning's assignees their tasks for its level."""
    response_tasks_open(warning=warning, actor=actor)  # member units, counties (operations)
    enterprise_tasks_open(warning=warning, actor=actor)  # the jurisdiction's own list


def _stand_down(warning: Warning, *, actor: Actor) -> None:
    """Close the tasks of a warning that ended (lifted, or its regional source lifted)."""
    response_tasks_close(warning=warning, actor=actor)  # the reports owed stay due
    enterprise_tasks_close(warning=warning, actor=actor)


def _issued(issued: Changed, *, actor: Actor) -> None:
    # The city first: a county leaves out the measures the city's response gives it.
    for warning in (issued.warning, *issued.regional):
        _respond(warning, actor=actor)
    event = "adjust" if issued.warning.supersedes_id is not None else "issue"
    warning_notice_send(issued.warning, event=event, actor=actor)


def _lifted(lifted: Changed, *, actor: Actor) -> None:
    for warning in (lifted.warning, *lifted.regional):
        _stand_down(warning, actor=actor)
    warning_notice_send(lifted.warning, event="lift", actor=actor)


def warning_issue(
    *, actor: Actor, warning_id: int, starts_at: datetime, short_lead_reason: str = ""
) -> Warning:
    """Issue an approved warning (``warnings.services.warning_mark_issued``: roles, lead time,
    cascade), open the tasks of it and of every county warning it began, and send its notice
    (an adjustment when it replaces a warning), all in one transaction."""
    return warning_mark_issued(
        actor=actor,
        warning_id=warning_id,
        starts_at=starts_at,
        short_lead_reason=short_lead_reason,
        then=partial(_issued, actor=actor),
    )


def warning_lift(*, actor: Actor, warning_id: int, reason: str) -> Warning:
    """Lift a warning (``warnings.services.warning_mark_lifted``: roles, episode, the county
    warnings that end with it), close its tasks and theirs, and send the lifting notice, all in
    one transaction."""
    return warning_mark_lifted(
        actor=actor, warning_id=warning_id, reason=reason, then=partial(_lifted, actor=actor)
    )
