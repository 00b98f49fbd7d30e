"""The enterprise portal; the office's list pages are in list_views.py. Changes go through services.

``ForbiddenError`` is Django's ``PermissionDenied`` (403; the selector or service has written the
audit record); ``InvalidInputError`` answers 400 on the page, ``ConflictError`` 409.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from hazeguard.documents.site import write_site_sign
from hazeguard.reduction.model import LEVELS
from hazeguard_platform.enterprises.forms import ReportDayForm, production_entries
from hazeguard_platform.enterprises.models import (
    ListedEnterprise,
    ProductionReport,
    WarningAcknowledgement,
)
from hazeguard_platform.enterprises.selectors import (
    core_enterprise,
    enterprise_for_user,
    enterprises_of_contact,
    is_contact_of,
    open_tasks,
)
from hazeguard_platform.enterprises.services import (
    enterprise_warning_acknowledge,
    production_status_report,
)
from hazeguard_platform.errors import ConflictError, ServiceError
from hazeguard_platform.warnings.selectors import active_warning
from hazeguard_platform.web.views import render_form_error

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_safe
def portal_home(request: HttpRequest) -> HttpResponse:
    """An enterprise contact's start page: straight to the enterprise when there is one."""
    mine = list(enterprises_of_contact(request.user))
    if len(mine) == 1:
        return redirect("enterprises:enterprise", enterprise_id=mine[0].pk)
    return render(request, "enterprises/portal_home.html", {"enterprises": mine})


def _enterprise_context(request: HttpRequest, enterprise: ListedEnterprise) -> dict[str, object]:
    warning = active_warning(enterprise.jurisdiction)
    measures = list(enterprise.measures.all())
    return {
        "enterprise": enterprise,
        "warning": warning,
        "tasks": open_tasks(enterprise),
        "levels": [
            (level.label_zh, [m for m in measures if m.level == level.value]) for level in LEVELS
        ],
        "units": list(enterprise.units.all()),
        "acknowledged": warning is not None
        and WarningAcknowledgement.objects.filter(enterprise=enterprise, warning=warning).exists(),
        "is_contact": is_contact_of(request.user, enterprise),
        "reports": ProductionReport.objects.filter(enterprise=enterprise)[:7],
        "day_form": ReportDayForm(request.POST or None),
        "statuses": (
            ("normal", "正常 normal"),
            ("limited", "限产 limited"),
            ("stopped", "停产 stopped"),
        ),
    }


@login_required
@require_safe
def enterprise_page(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """The level in force, the enterprise's measures and tasks, acknowledgement and daily report."""
    enterprise = enterprise_for_user(request.user, enterprise_id)
    return render(request, "enterprises/enterprise.html", _enterprise_context(request, enterprise))


@login_required
@require_safe
def site_sign(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """The site sign (公示牌) as .docx, written by the core from the stored list."""
    enterprise = enterprise_for_user(request.user, enterprise_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sign.docx"
        write_site_sign(core_enterprise(enterprise), path)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="site-sign-{enterprise.credit_code}.docx"'
    )
    return response


@login_required
@require_POST
def acknowledge(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """The contact confirms the warning in force was received."""
    enterprise = enterprise_for_user(request.user, enterprise_id)
    warning = active_warning(enterprise.jurisdiction)
    if warning is None:
        return HttpResponse("no warning in force", status=409)
    try:
        enterprise_warning_acknowledge(
            actor=request.user, enterprise_id=enterprise.pk, warning_id=warning.pk
        )
    except ConflictError as error:
        return HttpResponse(error.message, status=409)
    messages.success(request, "已确认收到预警 acknowledged")
    return redirect("enterprises:enterprise", enterprise_id=enterprise.pk)


@login_required
@require_POST
def production_report(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """The contact's daily production status, one status per unit.

    The page's context (tasks, measures, reports) is read only to show an error: a report that
    goes through is answered with a redirect (it is a quarter of the requests under load).
    """
    enterprise = enterprise_for_user(request.user, enterprise_id)
    # The form and the service read the same units: once.
    prefetch_related_objects([enterprise], "units")
    day_form = ReportDayForm(request.POST)

    def page() -> dict[str, object]:
        return {**_enterprise_context(request, enterprise), "day_form": day_form}

    if not day_form.is_valid():
        return render(request, "enterprises/enterprise.html", page(), status=400)
    try:
        production_status_report(
            actor=request.user,
            enterprise_id=enterprise.pk,
            day=day_form.cleaned_data["day"],
            entries=production_entries(request.POST, enterprise.units.all()),
            enterprise=enterprise,
        )
    except ServiceError as error:
        return render_form_error(request, "enterprises/enterprise.html", page(), day_form, error)
    messages.success(request, "已报送 reported")
    return redirect("enterprises:enterprise", enterprise_id=enterprise.pk)
