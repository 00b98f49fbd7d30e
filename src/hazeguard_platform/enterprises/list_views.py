"""The office's emission-list page (paged, searchable) and the status page of a list upload.

A city's list has thousands of enterprises (Liaocheng: 5,000 in the load benchmark), so the page
shows one page of them at a time, in a fixed number of queries (``test_list_page_queries.py``);
an upload is stored and imported by the worker, and its status page tells how it went.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from hazeguard.reduction.io_excel import write_template
from hazeguard_platform.enterprises.forms import ListFilterForm, ListUploadForm
from hazeguard_platform.enterprises.list_import import emission_list_upload
from hazeguard_platform.enterprises.models import (
    ListedEnterprise,
    ListImport,
    ProductionReport,
    WarningAcknowledgement,
)
from hazeguard_platform.enterprises.selectors import list_jurisdiction_for_user
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.warnings.selectors import active_warning

PAGE_SIZE = 100  # enterprises per page


def _list_context(
    request: HttpRequest, place: Jurisdiction, form: ListUploadForm
) -> dict[str, Any]:
    warning = active_warning(place)
    listed = ListedEnterprise.objects.filter(jurisdiction=place, listed=True)
    shown = listed.order_by("county", "name", "pk")
    filters = ListFilterForm(request.GET)
    if filters.is_valid():
        if query := filters.cleaned_data["q"].strip():
            shown = shown.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
        if grade := filters.cleaned_data["grade"]:
            shown = shown.filter(grade=grade)
    page = Paginator(shown.defer("details"), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [enterprise.pk for enterprise in page]
    acknowledgements = WarningAcknowledgement.objects.filter(warning=warning)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "place": place,
        "form": form,
        "filters": filters,
        "warning": warning,
        "page": page,
        "query": query.urlencode(),
        "listed_count": listed.count(),
        "acknowledged_count": (
            acknowledgements.filter(enterprise__in=listed).count() if warning else 0
        ),
        "acknowledged": set(
            acknowledgements.filter(enterprise_id__in=ids).values_list("enterprise_id", flat=True)
        ),
        "reported_today": set(
            ProductionReport.objects.filter(
                enterprise_id__in=ids, day=timezone.localdate()
            ).values_list("enterprise_id", flat=True)
        ),
        "imports": ListImport.objects.filter(jurisdiction=place).defer("workbook")[:10],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def list_page(request: HttpRequest, code: str) -> HttpResponse:
    """One page of the jurisdiction's list, its recent uploads, and the upload form (POST
    stores the workbook and queues its import, then shows the upload's status page)."""
    place = list_jurisdiction_for_user(request.user, code)
    form = ListUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "enterprises/list.html", _list_context(request, place, form))
    if form.is_valid():
        try:
            record = emission_list_upload(
                jurisdiction=place, file=form.cleaned_data["file"], actor=request.user
            )
        except ServiceError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Uploaded; the import is queued."))
            return redirect("enterprises:list_import", code=place.code, import_id=record.pk)
    context = _list_context(request, place, form)
    return render(request, "enterprises/list.html", context, status=400)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def list_template(request: HttpRequest, code: str) -> HttpResponse:
    """The empty list workbook with its headers and notes (the core's ``write_template``, the
    same file as ``hazeguard list template``), to fill in and upload."""
    list_jurisdiction_for_user(request.user, code)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="emission-list-template.xlsx"'
    return response


@login_required
@require_safe
def list_import_page(request: HttpRequest, code: str, import_id: int) -> HttpResponse:
    """An upload's state (queued, running, imported, refused) and every error by sheet!cell."""
    place = list_jurisdiction_for_user(request.user, code)
    record = (
        ListImport.objects.filter(pk=import_id, jurisdiction=place)
        .select_related("uploaded_by")
        .defer("workbook")
        .first()
    )
    if record is None:
        raise Http404(f"no list upload {import_id} in {code!r}")
    return render(request, "enterprises/list_import.html", {"place": place, "record": record})
