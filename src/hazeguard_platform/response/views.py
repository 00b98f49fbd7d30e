"""The pages where people act on a warning: the proposal page, and the warning page with its
buttons (review → agree → approve → issue → adjust → lift). They live in ``response`` because every
button goes through its services (``warnings`` may not import them).

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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard.vocabulary import CHINA
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.forecasts.selectors import consultation_for_user
from hazeguard_platform.forecasts.services import engine_recommendation
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user
from hazeguard_platform.pages import page_language, rename_service_field, render_form_error
from hazeguard_platform.public.presenters import measures_of
from hazeguard_platform.response import services as response_services
from hazeguard_platform.response.forms import (
    AdjustForm,
    IssueForm,
    LiftForm,
    ProposeForm,
    RejectForm,
    WithdrawForm,
)
from hazeguard_platform.response.proposal import proposal_form, proposal_from
from hazeguard_platform.warnings import services
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.selectors import (
    active_warning,
    allowed_actions,
    pending_proposal,
    proposable_levels,
    steps_of,
    waiting_for,
    warning_for_user,
    who_acts_next,
)

ACTION_FORMS: dict[str, type[forms.Form] | None] = {
    "review": None,
    "agree": None,
    "approve": None,
    "reject": RejectForm,
    "withdraw": WithdrawForm,
    "issue": IssueForm,
    "adjust": AdjustForm,
    "lift": LiftForm,
    "acknowledge": None,
}


def _page_context(request: HttpRequest, warning: Warning, **forms_: forms.Form) -> dict[str, Any]:
    allowed = allowed_actions(request.user, warning)
    action_forms = {
        name: forms_.get(name) or _blank_form(name, form_class, warning)
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
        "steps": steps_of(warning, page_language()),
        "waiting_for": waiting_for(warning, page_language()),
        # Who can act when this person cannot: the page names them (issue 12 §2).
        "who_acts_next": who_acts_next(warning) if not allowed else [],
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


def _blank_form(
    name: str, form_class: type[forms.Form] | None, warning: Warning
) -> forms.Form | None:
    """The action's form before anything is typed: the issue form holds the earliest start the
    engine computed when the proposal was made (never in the past), the adjust form the plan's
    levels."""
    if form_class is None:
        return None
    if name == "issue":
        return form_class(initial={"starts_at": earliest_start(warning), **_initial(name, warning)})
    if name == "adjust":
        levels = proposable_levels(warning.plan_version)
        return AdjustForm(levels=[level for level in levels if level != warning.level])
    return form_class()


def earliest_start(warning: Warning) -> datetime:
    """The engine's earliest start for ``warning`` (its stored decision, China time), or now
    when that has passed or the proposal had no forecast."""
    now = timezone.localtime()
    text = (warning.decision or {}).get("earliest_start")
    if not text:
        return now.replace(second=0, microsecond=0)
    start = datetime.fromisoformat(str(text)).replace(tzinfo=CHINA)
    return max(start, now.replace(second=0, microsecond=0))


@require_safe
@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A warning: level, state, decision with explanation, measures, and the allowed buttons."""
    warning = warning_for_user(request.user, pk)
    return render(request, "response/warning.html", _page_context(request, warning))


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
        "acknowledge": lambda: response_services.warning_acknowledge(
            actor=actor, warning_id=warning.pk
        ),
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
        return render(request, "response/warning.html", context, status=400)
    try:
        result = _call(action, request, warning, form.cleaned_data)
    except ServiceError as error:
        rename_service_field(error)
        if error.field == "reason" and "note" in form.fields:
            error.field = "note"  # the lifting's and the rejection's form call it the note
        context = _page_context(request, warning, **{action: form})
        return render_form_error(request, "response/warning.html", context, form, error)
    # An adjustment is a new proposal: its page is where the next buttons are.
    target = result if isinstance(result, Warning) else warning
    return redirect("response:warning", pk=target.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def warning_propose_view(request: HttpRequest, code: str) -> HttpResponse:
    """The proposal page (GET, pre-filled from the recommendation, or from the consultation named
    by ``?consultation=ID``) and the proposal (POST)."""
    place = jurisdiction_for_user(request.user, code)
    recommendation = engine_recommendation(place, timezone.now())
    form = proposal_form(place, recommendation, request.POST if request.method == "POST" else None)
    if request.method != "POST" and request.GET.get("consultation", "").isdigit():
        form = _from_consultation(request, place.code, int(request.GET["consultation"])) or form
    context: dict[str, Any] = {
        "place": place,
        "recommendation": recommendation,
        "decision": recommendation.decision if recommendation else None,
        "propose_form": form,
        "pending": pending_proposal(place),
        "active": active_warning(place),
    }
    if request.method != "POST":
        return render(request, "response/propose.html", context)
    if not form.is_valid():
        return render(request, "response/propose.html", context, status=400)
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
        rename_service_field(error)
        return render_form_error(request, "response/propose.html", context, form, error)
    return redirect("response:warning", pk=warning.pk)


def _from_consultation(request: HttpRequest, code: str, pk: int) -> ProposeForm | None:
    """The proposal filled from a consultation of this jurisdiction that concluded on a level."""
    consultation = consultation_for_user(request.user, pk)
    if consultation.jurisdiction.code != code:
        raise Http404("the consultation is another jurisdiction's")
    return proposal_from(consultation)
