"""The enterprise portal; the office's list pages are in list_views.py. Changes go through services.

``ForbiddenError`` is Django's ``PermissionDenied`` (403; the selector or service has written the
audit record); ``InvalidInputError`` answers 400 on the page, ``ConflictError`` 409.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hazeguard.documents.site import write_site_sign
from hazeguard.reduction.model import LEVELS
from hazeguard_platform.enterprises.forms import ReportDayForm, production_entries
from hazeguard_platform.enterprises.models import (
    ListedEnterprise,
    ProductionReport,
    ProductionUnit,
    WarningAcknowledgement,
)
from hazeguard_platform.enterprises.reporting import (
    LIMITED,
    NORMAL,
    STOPPED,
    Expected,
    expected_statuses,
)
from hazeguard_platform.enterprises.selectors import (
    core_enterprise,
    enterprise_for_user,
    enterprises_of_contact,
    is_contact_of,
    open_tasks,
)
from hazeguard_platform.enterprises.services import (
    PlanDeviationError,
    enterprise_warning_acknowledge,
    production_status_report,
)
from hazeguard_platform.errors import ConflictError, ServiceError
from hazeguard_platform.public.presenters import (
    category_name,
    grade_name,
    level_name,
    response_name,
)
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.selectors import active_warning

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_safe
def portal_home(request: HttpRequest) -> HttpResponse:
    """An enterprise contact's start page: straight to the enterprise when there is one."""
    mine = list(enterprises_of_contact(request.user))
    if len(mine) == 1:
        return redirect("enterprises:enterprise", enterprise_id=mine[0].pk)
    return render(request, "enterprises/portal_home.html", {"enterprises": mine})


@dataclass(frozen=True)
class UnitRow:
    """One unit's line of the report form: what the site plan asks, and what is filled in (the
    plan's default, or what the contact typed)."""

    unit: ProductionUnit
    expected: Expected
    status: str
    percent: str
    note: str


def _report_rows(
    enterprise: ListedEnterprise, warning: Warning | None, typed: QueryDict | None
) -> list[UnitRow]:
    """Every unit's line: a form sent back keeps what was typed; a new form starts from the
    site plan at the level in force (a unit the plan stops: 停产; one it limits: its cut)."""
    expected = expected_statuses(enterprise, warning.level if warning else None)
    rows = []
    for unit in enterprise.units.all():
        asked = expected[unit.unit_id]
        if typed is not None:
            status = typed.get(f"status-{unit.pk}", "")
            percent = typed.get(f"percent-{unit.pk}", "")
            note = typed.get(f"note-{unit.pk}", "")
        else:
            status, note = asked.status, ""
            percent = f"{asked.percent:g}" if asked.percent is not None else ""
        rows.append(UnitRow(unit, asked, status, percent, note))
    return rows


def _enterprise_context(request: HttpRequest, enterprise: ListedEnterprise) -> dict[str, object]:
    # The site plan and the units are read once for the levels table, the form and its defaults.
    prefetch_related_objects([enterprise], "units", "measures")
    warning = active_warning(enterprise.jurisdiction)
    measures = list(enterprise.measures.all())
    typed = request.POST if request.method == "POST" else None
    return {
        "enterprise": enterprise,
        "warning": warning,
        "level_name": level_name(warning.level) if warning else "",
        "response_name": response_name(warning.response) if warning else "",
        "tasks": open_tasks(enterprise),
        "levels": [
            (level_name(level.value), [m for m in measures if m.level == level.value])
            for level in LEVELS
        ],
        "grade": grade_name(enterprise.grade),
        "category": category_name(enterprise.category),
        "units": list(enterprise.units.all()),
        "rows": _report_rows(enterprise, warning, typed),
        "acknowledged": warning is not None
        and WarningAcknowledgement.objects.filter(enterprise=enterprise, warning=warning).exists(),
        "is_contact": is_contact_of(request.user, enterprise),
        "reports": ProductionReport.objects.filter(enterprise=enterprise)[:14],
        "day_form": ReportDayForm(request.POST or None),
        "statuses": (
            (STOPPED, _("Stopped")),
            (LIMITED, _("Limited")),
            (NORMAL, _("Normal")),
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
        return HttpResponse(_("No warning is in force."), status=409)
    try:
        enterprise_warning_acknowledge(
            actor=request.user, enterprise_id=enterprise.pk, warning_id=warning.pk
        )
    except ConflictError as error:
        return HttpResponse(error.message, status=409)
    messages.success(request, _("Acknowledged: the office sees that you have the warning."))
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
    prefetch_related_objects([enterprise], "units", "measures")
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
            confirmed=request.POST.get("confirm") == "yes",
        )
    except PlanDeviationError as deviation:
        # Asks for confirmation: the same form, as typed, with the differences and a checkbox.
        context = {**page(), "report_error": deviation, "deviations": deviation.deviations}
        return render(request, "enterprises/enterprise.html", context, status=409)
    except ServiceError as error:
        status = 409 if isinstance(error, ConflictError) else 400
        context = {**page(), "report_error": error}
        return render(request, "enterprises/enterprise.html", context, status=status)
    messages.success(request, _("Reported."))
    return redirect("enterprises:enterprise", enterprise_id=enterprise.pk)
