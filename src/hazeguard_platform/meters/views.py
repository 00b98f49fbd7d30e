"""The meter-readings upload page. The service does the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.meters.forms import ReadingsUploadForm
from hazeguard_platform.meters.selectors import upload_jurisdiction_for_user, uploads_for
from hazeguard_platform.meters.services import MeterUploadError, meter_readings_upload
from hazeguard_platform.pages import render_form_error

TEMPLATE = "meters/upload.html"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload_page(request: HttpRequest, code: str) -> HttpResponse:
    """Recent uploads and the upload form (POST stores a file, all or nothing)."""
    place = upload_jurisdiction_for_user(request.user, code)
    form = ReadingsUploadForm(request.POST or None, request.FILES or None)
    context = {"place": place, "form": form, "uploads": uploads_for(request.user, place)}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        record = meter_readings_upload(
            actor=request.user, jurisdiction=place, file=form.cleaned_data["file"]
        )
    except MeterUploadError as error:
        context["refused"] = error
        return render_form_error(request, TEMPLATE, context, form, error)
    except ServiceError as error:
        return render_form_error(request, TEMPLATE, context, form, error)
    if record.outcome == record.Outcome.QUEUED:
        messages.success(request, _("Queued: the worker stores it; see its outcome below."))
    else:
        counts = {"stored": record.stored, "unchanged": record.unchanged}
        stored = _("Stored %(stored)s readings (%(unchanged)s already stored).") % counts
        messages.success(request, stored)
    return redirect("meters:upload", code=place.code)
