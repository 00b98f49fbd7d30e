"""The warning page and its buttons: propose → approve → issue → adjust → lift.

Buttons are shown by ``allowed_actions`` (what the person may do now); the services check again,
so a hand-made POST by the wrong role still gets 403 and leaves an audit record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from hazeguard.vocabulary import CHINA, Language
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user
from hazeguard_platform.public.presenters import measures_of
from hazeguard_platform.response import services as response_services
from hazeguard_platform.warnings import services
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.selectors import (
    allowed_actions,
    steps_of,
    waiting_for,
    warning_for_user,
)
from hazeguard_platform.web.forms import AdjustForm, IssueForm, LiftForm, ProposeForm, RejectForm
from hazeguard_platform.web.views import dashboard_context, render_form_error

ACTION_FORMS: dict[str, type[forms.Form] | None] = {
    "review": None,
    "agree": None,
    "approve": None,
    "reject": RejectForm,
    "withdraw": None,
    "issue": IssueForm,
    "adjust": AdjustForm,
    "lift": LiftForm,
    "acknowledge": None,
}


def _page_context(request: HttpRequest, warning: Warning, **forms_: forms.Form) -> dict[str, Any]:
    allowed = allowed_actions(request.user, warning)
    action_forms = {
        name: forms_.get(name)
        or (form_class(initial=_initial(name, warning)) if form_class else None)
        for name, form_class in ACTION_FORMS.items()
        if name in allowed
    }
    return {
        "warning": warning,
        "allowed": allowed,
        "action_forms": action_forms,
        "measures": measures_of(warning),
        "decision": warning.decision or {},
        "children": warning.regional_children.select_related("jurisdiction").order_by(
            "jurisdiction__code"
        ),
        "now": timezone.now(),
        "steps": steps_of(warning, _language()),
        "waiting_for": waiting_for(warning, _language()),
    }


def _initial(action: str, warning: Warning) -> dict[str, Any]:
    """The issue form starts from the end of the forecast episode the warning was decided on."""
    expected_end = (warning.decision or {}).get("expected_end")
    if action != "issue" or not expected_end:
        return {}
    moment = datetime.fromisoformat(expected_end)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=CHINA)  # the core's times are China Standard Time
    return {"ends_at": timezone.localtime(moment)}


def _language() -> Language:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


@require_safe
@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A warning: level, state, decision with explanation, measures, and the allowed buttons."""
    warning = warning_for_user(request.user, pk)
    return render(request, "web/warning.html", _page_context(request, warning))


@require_POST
@login_required
def warning_propose_view(request: HttpRequest, code: str) -> HttpResponse:
    """Propose a warning for the jurisdiction from a forecast (and its consultation)."""
    place = jurisdiction_for_user(request.user, code)
    form = ProposeForm(request.POST)
    context = {**dashboard_context(request, place), "propose_form": form}
    if not form.is_valid():
        return render(request, "web/dashboard.html", context, status=400)
    data = form.cleaned_data
    try:
        warning = response_services.warning_propose(
            actor=request.user,
            jurisdiction=place,
            level=data["level"],
            forecast_id=data["forecast"],
            consultation_id=data["consultation"],
            reason=data["reason"],
            drill=data["drill"],
        )
    except ServiceError as error:
        _rename_field(error)
        return render_form_error(request, "web/dashboard.html", context, form, error)
    return redirect("web:warning", pk=warning.pk)


def _rename_field(error: ServiceError) -> None:
    # The services name model ids ("forecast_id"); the forms name the choice ("forecast").
    if error.field and error.field.endswith("_id"):
        error.field = error.field.removesuffix("_id")


def _call(action: str, request: HttpRequest, warning: Warning, data: dict[str, Any]) -> Any:
    actor = request.user
    calls: dict[str, Callable[[], Any]] = {
        "review": lambda: response_services.warning_review(actor=actor, warning_id=warning.pk),
        "agree": lambda: response_services.warning_agree(actor=actor, warning_id=warning.pk),
        "approve": lambda: response_services.warning_approve(actor=actor, warning_id=warning.pk),
        "reject": lambda: services.warning_reject(
            actor=actor, warning_id=warning.pk, reason=data["note"]
        ),
        "withdraw": lambda: services.warning_withdraw(actor=actor, warning_id=warning.pk),
        "issue": lambda: response_services.warning_issue(
            actor=actor,
            warning_id=warning.pk,
            starts_at=data["starts_at"] or timezone.now(),
            short_lead_reason=data["short_lead_reason"],
            ends_at=data["ends_at"],
        ),
        "adjust": lambda: response_services.warning_adjust(
            actor=actor,
            warning_id=warning.pk,
            level=data["level"],
            forecast_id=data["forecast"],
            reason=data["reason"],
        ),
        "lift": lambda: response_services.warning_lift(
            actor=actor, warning_id=warning.pk, reason=data["note"]
        ),
        "acknowledge": lambda: services.warning_acknowledge(actor=actor, warning_id=warning.pk),
    }
    return calls[action]()


@require_POST
@login_required
def warning_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Carry out one button: the service decides whether this person may."""
    if action not in ACTION_FORMS:
        raise Http404(f"no action {action!r}")
    warning = warning_for_user(request.user, pk)
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST) if form_class else forms.Form(request.POST)
    if not form.is_valid():
        context = _page_context(request, warning, **{action: form})
        return render(request, "web/warning.html", context, status=400)
    try:
        result = _call(action, request, warning, form.cleaned_data)
    except ServiceError as error:
        _rename_field(error)
        if error.field == "reason" and "note" in form.fields:
            error.field = "note"  # the lifting's and the rejection's form call it the note
        context = _page_context(request, warning, **{action: form})
        return render_form_error(request, "web/warning.html", context, form, error)
    # An adjustment is a new proposal: its page is where the next buttons are.
    target = result if isinstance(result, Warning) else warning
    return redirect("web:warning", pk=target.pk)
