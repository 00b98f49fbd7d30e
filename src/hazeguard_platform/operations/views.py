"""Pages for member-unit staff (their tasks and reports) and the office's report matrix.

A refused object answers 403 (the selector has audited it); bad input 400 naming the field, with
nothing stored.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from hazeguard_platform.accounts.permissions import refuse
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user
from hazeguard_platform.operations.forms import ReportForm
from hazeguard_platform.operations.models import ReportPhoto
from hazeguard_platform.operations.photos import MAX_PHOTO_BYTES
from hazeguard_platform.operations.selectors import (
    may_submit,
    oversees,
    report_for_user,
    report_matrix,
    report_status,
    reports_for_user,
    tasks_for_user,
)
from hazeguard_platform.operations.services import report_submit, report_tasks
from hazeguard_platform.uploads import upload_content


@login_required
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    """The signed-in person's open tasks and their units' reports."""
    now = timezone.now()
    reports = [(r, report_status(r, now)) for r in reports_for_user(request.user)[:60]]
    tasks = tasks_for_user(request.user).exclude(state="closed")
    return render(request, "operations/my_reports.html", {"reports": reports, "tasks": tasks})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: its form for the unit's staff while not submitted, else what was reported."""
    report = report_for_user(request.user, pk)
    tasks = report_tasks(report)
    context = {
        "report": report,
        "status": report_status(report, timezone.now()),
        "can_submit": may_submit(request.user, report) and report.state != "submitted",
    }
    if request.method != "POST":
        context["form"] = ReportForm(tasks=tasks)
        return render(request, "operations/report.html", context)
    form = ReportForm(request.POST, tasks=tasks)
    context["form"] = form
    if not form.is_valid():
        return render(request, "operations/report.html", context, status=400)
    data = form.cleaned_data
    try:
        report_submit(
            actor=request.user,
            report_id=report.pk,
            items=form.items(),
            sites_inspected=data["sites_inspected"],
            vehicles_checked=data["vehicles_checked"],
            enterprises_stopped=data["enterprises_stopped"],
            notes=data["notes"],
            photos=[
                upload_content(f, default_name="photo", limit_bytes=MAX_PHOTO_BYTES, field="photos")
                for f in request.FILES.getlist("photos")
            ],
        )
    except ServiceError as error:
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)
        context["error"] = error
        return render(request, "operations/report.html", context, status=error.status)
    return redirect("operations:report", pk=report.pk)


@login_required
@require_safe
def report_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    """One photo of a report, to those who may see the report."""
    report = report_for_user(request.user, pk)
    photo = get_object_or_404(ReportPhoto, pk=photo_id, report=report)
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def matrix(request: HttpRequest, code: str) -> HttpResponse:
    """The office's assignees × days matrix of one jurisdiction's daily reports."""
    place = jurisdiction_for_user(request.user, code)
    if not oversees(request.user, place):
        raise refuse(request.user, action="report.matrix", obj=place, message="office only")
    text = request.GET.get("days", "7")
    if not text.isdigit() or not 1 <= int(text) <= 31:
        context = {"place": place, "error": gettext("Days: a whole number from 1 to 31")}
        return render(request, "operations/matrix.html", context, status=400)
    table = report_matrix(jurisdiction=place, now=timezone.now(), days=int(text))
    return render(request, "operations/matrix.html", {"place": place, "matrix": table})
