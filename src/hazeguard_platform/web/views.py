"""The staff home ("待我处理") and a jurisdiction's dashboard: the pages that draw on every app, so
they sit on the top floor. Each app's own staff pages live in that app (forecasts, response, api,
operations, enterprises, …); these pages link to them and change nothing themselves."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.accounts.permissions import SignedInRequest, roles_of
from hazeguard_platform.forecasts.forms import ForecastUploadForm
from hazeguard_platform.forecasts.selectors import latest_forecast
from hazeguard_platform.forecasts.services import (
    FORECAST_ROLES,
    engine_recommendation,
    forecast_values,
)
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import (
    jurisdiction_for_user,
    jurisdictions_for_user,
    plan_version_for,
)
from hazeguard_platform.summaries.selectors import OFFICE_ROLES as SUMMARY_ROLES
from hazeguard_platform.warnings.models import ACTIVE_STATES, Warning
from hazeguard_platform.warnings.selectors import active_warning, pending_proposal
from hazeguard_platform.web.queue import waiting_for_me


def dashboard_context(request: HttpRequest, place: Jurisdiction) -> dict[str, Any]:
    """What the dashboard of ``place`` shows; the caller has checked that the user may see it
    (``jurisdiction_for_user``)."""
    forecast = latest_forecast(place)
    # The caller checked that the user may see ``place`` (jurisdiction_for_user), so its warnings
    # are theirs: warnings_for_user would walk the user's jurisdiction tree again (3 queries).
    mine = Warning.objects.filter(jurisdiction=place)
    # A county's deadline is open while its warning is: a lifted warning leaves none behind.
    children = Warning.objects.filter(
        jurisdiction__parent=place,
        regional_source__isnull=False,
        respond_by__isnull=False,
        state__in=ACTIVE_STATES,
    ).select_related("jurisdiction")
    own_regional = (
        Warning.objects.filter(
            jurisdiction=place,
            regional_source__isnull=False,
            respond_by__isnull=False,
            state__in=ACTIVE_STATES,
        )
        .select_related("regional_source__jurisdiction")  # the page names the source's place
        .order_by("-respond_by")
    )
    roles = roles_of(request.user, place)
    days = forecast_values(forecast) if forecast else []
    version = plan_version_for(place)
    return {
        "place": place,
        # Forms are shown to the roles that may use them; the services check again.
        "can_enter_forecasts": bool(roles & set(FORECAST_ROLES)),
        "can_propose": bool(roles & COMMAND_ROLES),
        "can_read_summaries": bool(roles & set(SUMMARY_ROLES)),
        "active": active_warning(place),
        "forecast": forecast,
        "days": days,
        "recommendation": engine_recommendation(place, timezone.now(), forecast=forecast, days=days)
        if forecast
        else None,
        # The proposal waiting for its chain (one at a time): the dashboard links to it.
        "pending": pending_proposal(place),
        "recent": mine.order_by("-proposed_at")[:20],
        "consultations": place.consultations.order_by("-held_at")[:10],
        "county_deadlines": children.order_by("jurisdiction__code", "-respond_by"),
        "own_regional": own_regional[:5],
        "plan_version": version,
        "upload_form": ForecastUploadForm(),
        "now": timezone.now(),
    }


@require_safe
@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """The person's home ("待我处理"): what waits for them, then their jurisdictions (the one
    they work in opens below the queue). An enterprise contact lands on the portal."""
    places = jurisdictions_for_user(request.user)
    if (
        not places
        and Membership.objects.filter(user=request.user, role=Role.ENTERPRISE_CONTACT).exists()
    ):
        return redirect("enterprises:portal")
    ids = {p.pk for p in places}
    context: dict[str, Any] = {
        "queue": waiting_for_me(request.user),
        # The city before its counties.
        "places": sorted(places, key=lambda p: (p.parent_id in ids, p.code)),
        "now": timezone.now(),
    }
    if len(places) == 1:
        context.update(dashboard_context(request, places[0]))
    return render(request, "web/home.html", context)


@require_safe
@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A jurisdiction's dashboard: warning in force, proposals, forecast, county deadlines."""
    place = jurisdiction_for_user(request.user, code)
    return render(request, "web/dashboard.html", dashboard_context(request, place))
