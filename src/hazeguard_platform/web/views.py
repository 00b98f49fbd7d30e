"""Staff pages: dashboards, forecasts and consultations. Every change goes through a service.

A form with bad input answers 400 and names the field; a service's ``InvalidInputError`` is put on
the form field it names (400), ``ConflictError`` answers 409, ``ForbiddenError`` 403 (Django's
``PermissionDenied``; the service has already written the audit record).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard.vocabulary import Language
from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.accounts.permissions import SignedInRequest, jurisdictions_of, roles_of
from hazeguard_platform.api.models import ApiToken
from hazeguard_platform.api.services import api_token_issue, api_token_revoke
from hazeguard_platform.errors import ConflictError, InvalidInputError, ServiceError
from hazeguard_platform.forecasts.models import Consultation, Forecast, Provider
from hazeguard_platform.forecasts.selectors import (
    consultation_for_user,
    forecast_for_user,
    latest_forecast,
)
from hazeguard_platform.forecasts.services import (
    FORECAST_ROLES,
    consultation_record,
    engine_recommendation,
    forecast_enter,
    forecast_upload,
    forecast_values,
)
from hazeguard_platform.forecasts.sources import (
    latest_by_provider,
    probability_rows,
    recorded_rows,
    source_rows,
    table_days,
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
from hazeguard_platform.web.forms import (
    ConsultationForm,
    ForecastDayFormSet,
    ForecastProviderForm,
    ForecastUploadForm,
    initial_days,
)
from hazeguard_platform.web.queue import waiting_for_me


def page_language() -> Language:
    """The page's language as the core names it (``zh`` or ``en``)."""
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def rename_service_field(error: ServiceError) -> None:
    """The services name model ids (``forecast_id``); the forms name the choice (``forecast``)."""
    if error.field and error.field.endswith("_id"):
        error.field = error.field.removesuffix("_id")


def render_form_error(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: forms.BaseForm | forms.BaseFormSet[Any],
    error: ServiceError,
) -> HttpResponse:
    """Show a service's refusal on the form: 400 on the named field, 409 for a conflict."""
    if isinstance(form, forms.BaseForm) and error.field in form.fields:
        form.add_error(error.field, error.message)
    elif isinstance(form, forms.BaseForm):
        # The message says what to do; the internal field name means nothing to the reader.
        form.add_error(None, error.message)
    status = 409 if isinstance(error, ConflictError) else 400
    context = {**context, "service_error": error}
    return render(request, template, context, status=status)


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


@require_POST
@login_required
def forecast_upload_view(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a forecast CSV (``date,aqi_low,aqi_high,primary_pollutant,dust``)."""
    place = jurisdiction_for_user(request.user, code)
    form = ForecastUploadForm(request.POST, request.FILES)
    context = {**dashboard_context(request, place), "upload_form": form}
    if not form.is_valid():
        return render(request, "web/dashboard.html", context, status=400)
    raw: bytes = form.cleaned_data["file"].read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error("file", _("The file is not UTF-8 text."))
        return render(request, "web/dashboard.html", context, status=400)
    try:
        forecast_upload(
            actor=request.user,
            jurisdiction=place,
            issued_at=form.cleaned_data["issued_at"] or timezone.now(),
            csv_text=text,
            provider=form.cleaned_data["provider"],
        )
    except ServiceError as error:
        return render_form_error(request, "web/dashboard.html", context, form, error)
    return redirect("web:dashboard", code=place.code)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def forecast_entry(request: HttpRequest, code: str) -> HttpResponse:
    """Enter a 7-day forecast by hand: AQI range, primary pollutant and dust flag per day."""
    place = jurisdiction_for_user(request.user, code)
    if request.method != "POST":
        formset = ForecastDayFormSet(initial=initial_days(), prefix="days")
        blank = {"place": place, "formset": formset, "provider_form": ForecastProviderForm()}
        return render(request, "web/forecast_entry.html", blank)
    formset = ForecastDayFormSet(request.POST, prefix="days")
    provider_form = ForecastProviderForm(request.POST)
    context: dict[str, Any] = {"place": place, "formset": formset, "provider_form": provider_form}
    if not (formset.is_valid() and provider_form.is_valid()):
        return render(request, "web/forecast_entry.html", context, status=400)
    days = [
        {**form.cleaned_data, "date": form.cleaned_data["day"]}
        for form in formset.forms
        if form.cleaned_data
    ]
    try:
        forecast_enter(
            actor=request.user,
            jurisdiction=place,
            issued_at=timezone.now(),
            days=days,
            provider=provider_form.cleaned_data["provider"],
        )
    except ServiceError as error:
        context["service_error"] = error
        return render(request, "web/forecast_entry.html", context, status=_status_of(error))
    return redirect("web:dashboard", code=place.code)


def _status_of(error: ServiceError) -> int:
    return 409 if isinstance(error, ConflictError) else 400


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def consultation_new(request: SignedInRequest, code: str) -> HttpResponse:
    """Record a consultation: the sources side by side (the model's, the monitoring centre's, the
    weather bureau's, the forecaster's) with the engine's decision on each and the model's level
    probabilities, beside the form."""
    place = jurisdiction_for_user(request.user, code)
    version = plan_version_for(place)
    forecasts = latest_by_provider(place)
    rows = source_rows(place, forecasts, version.snapshot if version else None, timezone.now())
    default = next((r for r in rows if r.forecast.provider != Provider.MODEL), None)
    default = default or (rows[0] if rows else None)
    form = ConsultationForm(
        request.POST or None,
        sources=[(r.forecast.pk, _source_label(r.forecast)) for r in rows],
        initial={
            "held_at": timezone.localtime().replace(second=0, microsecond=0),
            "forecast": default.forecast.pk if default else None,
        },
    )
    model = next((f for f in forecasts if f.provider == Provider.MODEL), None)
    context: dict[str, Any] = {
        "place": place,
        "form": form,
        "rows": rows,
        "table_days": table_days(rows),
        "model_forecast": model,
        "probabilities": probability_rows(model) if model else [],
        "level_names": (model.probabilities.get("levels", []) if model else []),
        "decision": default.decision if default and version else None,
    }
    if request.method != "POST":
        return render(request, "web/consultation_new.html", context)
    if not form.is_valid():
        return render(request, "web/consultation_new.html", context, status=400)
    data = form.cleaned_data
    try:
        consultation = consultation_record(
            actor=request.user,
            jurisdiction=place,
            held_at=data["held_at"],
            conclusion=data["conclusion"],
            concluded_level=data["concluded_level"],
            forecast_ids=[r.forecast.pk for r in rows],
            basis_id=data["forecast"],
            other_participants=data["other_participants"],
            participant_ids=[request.user.pk],
        )
    except InvalidInputError as error:
        if error.field in ("forecast_ids", "basis_id"):
            error.field = "forecast"
        return render_form_error(request, "web/consultation_new.html", context, form, error)
    except ServiceError as error:
        return render_form_error(request, "web/consultation_new.html", context, form, error)
    return redirect("web:consultation", pk=consultation.pk)


def _source_label(forecast: Forecast) -> str:
    issued = timezone.localtime(forecast.issued_at)
    return f"{Provider(forecast.provider).label} · {issued:%m-%d %H:%M}"


def _proposal_from(consultation: Consultation) -> Any:
    # proposal_views builds on this module's helpers, so it is imported when needed.
    from hazeguard_platform.web.proposal_views import proposal_from

    return proposal_from(consultation)


@require_safe
@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation's conclusion beside the engine's decision and its explanation."""
    consultation = consultation_for_user(request.user, pk)
    rows = recorded_rows(consultation)
    model = next((r.forecast for r in rows if r.forecast.provider == Provider.MODEL), None)
    roles = roles_of(request.user, consultation.jurisdiction)
    context = {
        "consultation": consultation,
        "place": consultation.jurisdiction,
        "rows": rows,
        "table_days": table_days(rows),
        "model_forecast": model,
        "probabilities": probability_rows(model) if model else [],
        "level_names": model.probabilities.get("levels", []) if model else [],
        # The conclusion feeds the proposal: level, start and reason pre-filled (STYLE.md §28).
        "propose_form": _proposal_from(consultation) if roles & COMMAND_ROLES else None,
    }
    return render(request, "web/consultation.html", context)


@require_safe
@login_required
def forecast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One forecast with its days."""
    forecast = forecast_for_user(request.user, pk)
    days = forecast.days.order_by("day")
    return render(request, "web/forecast.html", {"forecast": forecast, "days": days})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """The person's API tokens: create one (shown once) or revoke one. An enterprise contact
    works on the portal only and holds no token (the API acts in jurisdictions)."""
    if not jurisdictions_of(request.user).exists():
        raise PermissionDenied(_("API tokens are for staff of a jurisdiction."))
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        token = ApiToken.objects.filter(
            pk=_int_or_none(request.POST["revoke"]) or 0, user=request.user
        ).first()
        if token is not None:
            api_token_revoke(actor=request.user, token=token)
        return redirect("web:api_tokens")
    if request.method == "POST":
        try:
            place = (
                jurisdictions_of(request.user)
                .filter(pk=_int_or_none(request.POST.get("jurisdiction", "")) or 0)
                .first()
            )
            if place is None:
                raise InvalidInputError(_("Choose the jurisdiction the token may act in."))
            _row, context["new_token"] = api_token_issue(
                actor=request.user,
                user=request.user,
                name=request.POST.get("name", ""),
                jurisdiction=place,
                scope=request.POST.get("scope", "read"),
                days=_int_or_none(request.POST.get("days", "")) or 0,
            )
        except ServiceError as error:
            context["service_error"] = error
            status = _status_of(error)
    context["tokens"] = ApiToken.objects.filter(
        user=request.user, revoked_at__isnull=True
    ).select_related("jurisdiction")
    context["places"] = jurisdictions_of(request.user).order_by("code")
    return render(request, "web/api_tokens.html", context, status=status)


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None
