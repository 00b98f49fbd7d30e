"""Every change to summary reports (总结报告) after a response ends (STYLE.md §7).

The unit's staff submit (and, until the office accepts it, submit again: each submission is a
:class:`SummaryRevision`, so nothing sent is lost); the command office accepts or returns it with
a reason. A submission after the deadline is accepted and flagged late, with the lateness in
working days on the Chinese calendar (``hazeguard.workdays``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazeguard.workdays import UnknownYearError, working_days_between
from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.operations.assignment import local_day
from hazeguard_platform.operations.attachments import checked_attachment
from hazeguard_platform.operations.models import SummaryReport, SummaryRevision, SummaryState
from hazeguard_platform.operations.selectors import may_submit, oversees, summary_report_for_user
from hazeguard_platform.operations.summary_deadlines import notify_staff

# A summary may be (re)submitted in these states; once accepted it is final.
OPEN_STATES = (
    SummaryState.DUE,
    SummaryState.OVERDUE,
    SummaryState.SUBMITTED,
    SummaryState.RETURNED,
)
MAX_TEXT = 20_000  # [characters] per field
# 总结应包括……采取的措施、取得的成效、发现的问题……提出改进措施 (Chaoyang 004 §4).
CONTENT = gettext_lazy("a summary states the measures taken and their results (004 §4)")
# The fields of a summary and of its return, as the form and the refusals name them.
FIELD_NAMES = {
    "measures_taken": gettext_lazy("Measures taken"),
    "results": gettext_lazy("Results"),
    "problems_found": gettext_lazy("Problems found"),
    "improvements_proposed": gettext_lazy("Improvements proposed"),
    "reason": gettext_lazy("Reason for returning"),
}


def late_working_days(due_at: datetime, submitted_at: datetime) -> int | None:
    """Working days from the due day to the submission day, on the Chinese calendar [days]:
    0 when sent later on the due day itself or on the holidays right after it. ``None`` when
    the calendar lacks the year."""
    try:
        return max(0, working_days_between(local_day(due_at), local_day(submitted_at)))
    except UnknownYearError:
        return None


def _text(name: str, value: str, *, required: bool, content: bool = False) -> str:
    """``value`` stripped; ``content`` says why it is required (the plan's content of a summary)."""
    value = value.strip()
    field = FIELD_NAMES[name]
    if required and not value:
        message = _("%(field)s is required") % {"field": field}
        raise InvalidInputError(f"{message}: {CONTENT}" if content else message, field=name)
    if len(value) > MAX_TEXT:
        message = _("%(field)s: at most %(count)s characters") % {"field": field, "count": MAX_TEXT}
        raise InvalidInputError(message, field=name)
    return value


def summary_report_submit(
    *,
    actor: Actor,
    summary_id: int,
    measures_taken: str,
    results: str,
    problems_found: str = "",
    improvements_proposed: str = "",
    attachment: tuple[str, bytes] | None = None,
) -> SummaryReport:
    """Submit (or submit again) a summary report: the measures taken and their results (both
    required), the problems found and the improvements proposed (Chaoyang 004 §4), and an
    optional .docx or .pdf attachment.

    Only the staff of the summary's unit (or the county's officers) submit it; another unit's
    summary raises ``ForbiddenError`` (audited). After the deadline it is accepted and marked late.
    Bad input raises ``InvalidInputError`` naming the field; nothing is stored.
    """
    summary = summary_report_for_user(actor, summary_id)
    if not may_submit(actor, summary):
        raise refuse(actor, action="summary.submit", obj=summary, message="not your unit's summary")
    assert isinstance(actor, User)  # only a person is a unit's assignee
    content = {
        "measures_taken": _text("measures_taken", measures_taken, required=True, content=True),
        "results": _text("results", results, required=True, content=True),
        "problems_found": _text("problems_found", problems_found, required=False),
        "improvements_proposed": _text(
            "improvements_proposed", improvements_proposed, required=False
        ),
    }
    stored: Mapping[str, Any] = checked_attachment(*attachment) if attachment is not None else {}
    now = timezone.now()
    first = summary.first_submitted_at is None
    late = first and summary.due_at is not None and now > summary.due_at
    with transaction.atomic():
        before = summary.snapshot()
        changes: dict[str, object] = {"state": SummaryState.SUBMITTED, "return_reason": ""}
        if first:
            changes.update(
                first_submitted_at=now,
                late=late,
                late_working_days=(
                    late_working_days(summary.due_at, now) if late and summary.due_at else None
                ),
            )
        updated = SummaryReport.objects.filter(
            pk=summary.pk, state__in=OPEN_STATES, version=summary.version
        ).update(version=F("version") + 1, **changes)
        if updated != 1:
            raise ConflictError(
                _("This summary was accepted or changed meanwhile: reload the page.")
            )
        number = (summary.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
        SummaryRevision.objects.create(
            summary=summary,
            number=number,
            submitted_at=now,
            submitted_by=actor,
            **content,
            **stored,
        )
        summary.refresh_from_db()
        audit_record(
            actor=actor,
            action="summary.submit" if number == 1 else "summary.resubmit",
            obj=summary,
            before=before,
            after={**summary.snapshot(), "revision": number},
            message="late" if summary.late and first else "",
        )
    return summary


def _office_summary(actor: Actor, summary_id: int, action: str) -> SummaryReport:
    summary = summary_report_for_user(actor, summary_id)
    if not oversees(actor, summary.response.jurisdiction):
        raise refuse(actor, action=action, obj=summary, message="the command office reviews it")
    if summary.state != SummaryState.SUBMITTED:
        raise ConflictError(_("Only a submitted summary is accepted or returned; reload the page."))
    return summary


def _review(
    actor: Actor, summary: SummaryReport, state: SummaryState, action: str, reason: str = ""
) -> SummaryReport:
    now = timezone.now()
    before = summary.snapshot()
    updated = SummaryReport.objects.filter(
        pk=summary.pk, state=SummaryState.SUBMITTED, version=summary.version
    ).update(
        state=state,
        version=F("version") + 1,
        reviewed_at=now,
        reviewed_by=actor,
        return_reason=reason,
    )
    if updated != 1:
        raise ConflictError(_("This summary was changed meanwhile: reload the page."))
    summary.refresh_from_db()
    audit_record(
        actor=actor,
        action=action,
        obj=summary,
        before=before,
        after=summary.snapshot(),
        message=reason,
    )
    return summary


def summary_report_accept(*, actor: Actor, summary_id: int) -> SummaryReport:
    """The command office accepts a submitted summary; it is final from then on."""
    summary = _office_summary(actor, summary_id, "summary.accept")
    with transaction.atomic():
        return _review(actor, summary, SummaryState.ACCEPTED, "summary.accept")


def summary_report_return(*, actor: Actor, summary_id: int, reason: str) -> SummaryReport:
    """The command office returns a submitted summary with its reason; the unit's staff are told
    (a ``reminder`` notice) and submit it again."""
    from hazeguard_platform.notices.models import Event

    summary = _office_summary(actor, summary_id, "summary.return")
    reason = _text("reason", reason, required=True)
    with transaction.atomic():
        summary = _review(actor, summary, SummaryState.RETURNED, "summary.return", reason)
        notify_staff(
            summary,
            event=Event.REMINDER,
            title=f"{summary.assignee_name_in('zh')} 总结报告退回",
            body=f"指挥部办公室退回了本次应急响应总结报告，请修改后重新报送。退回原因：{reason}",
            title_en=f"{summary.assignee_name_in('en')}: summary report returned",
            body_en="The command office returned the summary report of this response; please "
            f"revise it and submit it again. The reason: {reason}",
        )
    return summary
