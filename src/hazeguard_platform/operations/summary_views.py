"""Pages of summary reports: a unit's list and form, the office's view per response with its
accept and return buttons, and the attachments.

A refused object answers 403 (the selector has audited it), an unknown one 404; bad input 400
naming the field, with nothing stored.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.operations.attachments import MAX_ATTACHMENT_BYTES
from hazeguard_platform.operations.forms import ReturnForm, SummaryForm
from hazeguard_platform.operations.models import SummaryRevision, SummaryState
from hazeguard_platform.operations.selectors import may_submit, oversees, summary_report_for_user
from hazeguard_platform.operations.summary_selectors import (
    TIMELINESS_ZH,
    lateness,
    response_for_office,
    response_summary_rows,
    responses_for_office,
    summaries_for_user,
    summary_timeliness,
)
from hazeguard_platform.operations.summary_services import (
    summary_report_accept,
    summary_report_return,
    summary_report_submit,
)
from hazeguard_platform.uploads import upload_content


def _attachment(upload: UploadedFile[bytes]) -> tuple[str, bytes]:
    return upload_content(
        upload, default_name="attachment", limit_bytes=MAX_ATTACHMENT_BYTES, field="attachment"
    )


@login_required
@require_safe
def summary_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's summaries to submit, and the ended responses they oversee."""
    now = timezone.now()
    mine = [(s, summary_timeliness(s, now)) for s in summaries_for_user(request.user)[:60]]
    context = {
        "mine": mine,
        "responses": responses_for_office(request.user)[:60],
        "timeliness": TIMELINESS_ZH,
    }
    return render(request, "operations/summaries.html", context)


@login_required
@require_safe
def response_summaries(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's view of one response: every unit, due, submitted, timeliness, review."""
    response = response_for_office(request.user, pk)
    rows = response_summary_rows(response, timezone.now())
    context = {"response": response, "rows": rows, "timeliness": TIMELINESS_ZH}
    return render(request, "operations/response_summaries.html", context)


def _render(request: HttpRequest, pk: int, status: int = 200, **extra: object) -> HttpResponse:
    summary = summary_report_for_user(request.user, pk)
    context = {
        "summary": summary,
        "timeliness": summary_timeliness(summary, timezone.now()),
        "timeliness_names": TIMELINESS_ZH,
        "lateness": lateness(summary),
        "revisions": summary.revisions.select_related("submitted_by").order_by("-number"),
        "can_submit": may_submit(request.user, summary) and summary.state != SummaryState.ACCEPTED,
        "can_review": oversees(request.user, summary.response.jurisdiction)
        and summary.state == SummaryState.SUBMITTED,
        "form": SummaryForm(),
        "return_form": ReturnForm(),
        **extra,
    }
    return render(request, "operations/summary.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A summary: what was sent (every revision) and, for the unit's staff, the form."""
    if request.method != "POST":
        return _render(request, pk)
    form = SummaryForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, pk, 400, form=form)
    data = form.cleaned_data
    upload = data["attachment"]
    try:
        summary_report_submit(
            actor=request.user,
            summary_id=pk,
            measures_taken=data["measures_taken"],
            results=data["results"],
            problems_found=data["problems_found"],
            improvements_proposed=data["improvements_proposed"],
            attachment=_attachment(upload) if upload else None,
        )
    except ServiceError as error:
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        return _render(request, pk, error.status, form=form, error=error)
    return redirect("operations:summary", pk=pk)


@login_required
@require_POST
def summary_review(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    """The office accepts (``accept``) or returns (``return``, with a reason) a summary."""
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        if verdict == "accept":
            summary_report_accept(actor=request.user, summary_id=pk)
        else:
            reason = form.cleaned_data.get("reason") or ""
            summary_report_return(actor=request.user, summary_id=pk, reason=reason)
    except ServiceError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        return _render(request, pk, error.status, return_form=form, error=error)
    return redirect("operations:summary", pk=pk)


@login_required
@require_safe
def summary_attachment(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    """One revision's attachment, to those who may read the summary."""
    summary = summary_report_for_user(request.user, pk)
    sent = get_object_or_404(
        SummaryRevision, summary=summary, number=revision, attachment__isnull=False
    )
    answer = HttpResponse(bytes(sent.attachment or b""), content_type=sent.attachment_type)
    answer["X-Content-Type-Options"] = "nosniff"
    extension = "pdf" if sent.attachment_type.endswith("pdf") else "docx"
    answer["Content-Disposition"] = f'attachment; filename="summary-{pk}-{revision}.{extension}"'
    return answer
