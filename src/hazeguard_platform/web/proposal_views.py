"""From the engine's recommendation to a proposal: the proposal page, pre-filled.

The dashboard shows what the engine recommends now (``forecasts.services.engine_recommendation``)
with a button "按建议提请" that opens this page with the level, the consultation held on the same
forecast and a reason written from the decision's criteria. Where a new proposal would be refused
(one is pending, or a warning is issued) the page says so and links to it instead of a form.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hazeguard.vocabulary import Language, level_name
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.forecasts.models import Consultation
from hazeguard_platform.forecasts.services import Recommendation, engine_recommendation
from hazeguard_platform.forecasts.sources import earliest_start
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user, plan_version_for
from hazeguard_platform.public.presenters import when
from hazeguard_platform.response import services as response_services
from hazeguard_platform.warnings.selectors import (
    active_warning,
    pending_proposal,
    proposable_levels,
)
from hazeguard_platform.web.forms import ProposeForm
from hazeguard_platform.web.templatetags.staff_words import day_list
from hazeguard_platform.web.views import page_language, rename_service_field, render_form_error


def recommended_reason(decision: dict[str, Any], lang: Language) -> str:
    """The decision written as a proposal's reason: its headline, then each criterion met with
    its days and clause (``AQI日均值>300连续2天（48小时）：1月5日、1月6日 [003 §3.1]``)."""
    headline = decision.get("headline") or {}
    lines = [str(headline.get(lang, ""))] if headline else []
    for criterion in decision.get("criteria") or []:
        text = criterion.get("criterion_zh" if lang == "zh" else "criterion", "")
        days = day_list(criterion.get("periods") or [], lang)
        colon = "：" if lang == "zh" else ": "
        lines.append(f"{text}{colon + days if days else ''} [{criterion.get('clause', '')}]")
    return "\n".join(line for line in lines if line)


def _consultation_choices(place: Jurisdiction) -> list[tuple[int, str]]:
    return [
        (c.pk, f"{when(c.held_at)} · {level_name(c.concluded_level, page_language()) or '—'}")
        for c in place.consultations.order_by("-held_at", "-id")[:10]
    ]


def _level_choices(place: Jurisdiction) -> list[tuple[str, str]]:
    version = plan_version_for(place)
    levels = proposable_levels(version) if version is not None else ()
    return [(level, level_name(level, page_language())) for level in levels]


def proposal_form(
    place: Jurisdiction, recommendation: Recommendation | None, data: Any = None
) -> ProposeForm:
    """The proposal form of ``place``, pre-filled from the engine's recommendation."""
    initial: dict[str, Any] = {}
    if recommendation is not None:
        initial["forecast"] = recommendation.forecast.pk
        if recommendation.level != "none":
            initial["level"] = recommendation.level
            initial["reason"] = recommended_reason(recommendation.decision, page_language())
        if recommendation.consultation is not None:
            initial["consultation"] = recommendation.consultation.pk
    return ProposeForm(
        data,
        initial=initial,
        levels=_level_choices(place),
        consultations=_consultation_choices(place),
    )


def proposal_from(consultation: Consultation) -> ProposeForm | None:
    """The proposal form filled from a consultation that concluded on a level (else None)."""
    if not consultation.concluded_level:
        return None
    start = earliest_start(consultation.decision)
    reason = consultation.conclusion
    if start is not None:
        reason = _("%(reason)s (earliest start by the plan: %(start)s)") % {
            "reason": reason,
            "start": f"{timezone.localtime(start):%Y-%m-%d %H:%M}",
        }
    place = consultation.jurisdiction
    return ProposeForm(
        initial={
            "level": consultation.concluded_level,
            "forecast": consultation.basis_id,
            "consultation": consultation.pk,
            "reason": reason,
        },
        levels=_level_choices(place),
        consultations=_consultation_choices(place),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def warning_propose_view(request: HttpRequest, code: str) -> HttpResponse:
    """The proposal page (GET, pre-filled from the recommendation) and the proposal (POST)."""
    place = jurisdiction_for_user(request.user, code)
    recommendation = engine_recommendation(place, timezone.now())
    form = proposal_form(place, recommendation, request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "place": place,
        "recommendation": recommendation,
        "decision": recommendation.decision if recommendation else None,
        "propose_form": form,
        "pending": pending_proposal(place),
        "active": active_warning(place),
    }
    if request.method != "POST":
        return render(request, "web/propose.html", context)
    if not form.is_valid():
        return render(request, "web/propose.html", context, status=400)
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
        return render_form_error(request, "web/propose.html", context, form, error)
    return redirect("web:warning", pk=warning.pk)
