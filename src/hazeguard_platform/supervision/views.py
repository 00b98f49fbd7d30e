"""Inspection entry and the office's confirmation of grade downgrades. Services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard_platform.accounts.permissions import roles_of
from hazeguard_platform.enterprises.selectors import enterprise_for_user, list_jurisdiction_for_user
from hazeguard_platform.errors import ConflictError, ServiceError
from hazeguard_platform.operations.photos import MAX_PHOTO_BYTES
from hazeguard_platform.pages import render_form_error
from hazeguard_platform.supervision.forms import InspectionForm
from hazeguard_platform.supervision.selectors import (
    downgrade_for_user,
    photo_for_user,
    proposed_downgrades,
)
from hazeguard_platform.supervision.services import (
    CONFIRM_ROLES,
    grade_downgrade_confirm,
    inspection_record,
    require_inspector,
)
from hazeguard_platform.uploads import upload_content


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def inspection_new(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """Record an on-site supervision or inspection tour of one enterprise."""
    enterprise = enterprise_for_user(request.user, enterprise_id)
    # The form is the inspectors' (the service's rule), not the portal's: the enterprise's own
    # contact may see its enterprise but not the form for recording an inspection of it.
    require_inspector(request.user, enterprise)
    form = InspectionForm(request.POST or None, request.FILES or None)
    context = {"enterprise": enterprise, "form": form}
    if request.method != "POST":
        return render(request, "supervision/inspection_new.html", context)
    if not form.is_valid():
        return render(request, "supervision/inspection_new.html", context, status=400)
    data = form.cleaned_data
    try:
        inspection_record(
            actor=request.user,
            enterprise_id=enterprise.pk,
            kind=data["kind"],
            inspected_at=data["inspected_at"],
            findings=data["findings"],
            violation=data["violation"],
            penalty=data["penalty"],
            photos=[
                upload_content(f, default_name="photo", limit_bytes=MAX_PHOTO_BYTES, field="photos")
                for f in data["photos"]
            ],
        )
    except ServiceError as error:
        return render_form_error(request, "supervision/inspection_new.html", context, form, error)
    messages.success(request, _("Recorded."))
    return redirect("enterprises:enterprise", enterprise_id=enterprise.pk)


@login_required
@require_safe
def downgrades(request: HttpRequest, code: str) -> HttpResponse:
    """The proposed grade downgrades of a jurisdiction, waiting for the office."""
    place = list_jurisdiction_for_user(request.user, code)
    context = {
        "place": place,
        "proposals": proposed_downgrades(request.user, place),
        # The button for those the service lets confirm; other staff only read the proposals.
        "can_confirm": bool(roles_of(request.user, place) & set(CONFIRM_ROLES)),
    }
    return render(request, "supervision/downgrades.html", context)


@login_required
@require_POST
def downgrade_confirm(request: HttpRequest, downgrade_id: int) -> HttpResponse:
    """Confirm one proposed downgrade into the list."""
    proposal = downgrade_for_user(request.user, downgrade_id)
    try:
        enterprise = grade_downgrade_confirm(proposal=proposal, actor=request.user)
    except ConflictError as error:
        return HttpResponse(error.message, status=409)
    change = f"{proposal.from_grade} → {enterprise.grade}"
    said = _("%(enterprise)s: performance grade %(change)s")
    messages.success(request, said % {"enterprise": enterprise.name, "change": change})
    return redirect("supervision:downgrades", code=enterprise.jurisdiction.code)


@login_required
@require_safe
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """One inspection photo, served with the type recognised at upload."""
    found = photo_for_user(request.user, photo_id)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
