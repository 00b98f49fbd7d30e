"""Staff pages of the forecasts: a forecast uploaded or entered by hand, one forecast, the
consultation (the sources side by side, its record, the 《会商意见》 document) and each source's
verification over the season. Every change goes through a service; a refusal is shown on the form
(``pages.render_form_error``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard_platform.accounts.models import COMMAND_ROLES
from hazeguard_platform.accounts.permissions import SignedInRequest, roles_of
from hazeguard_platform.errors import InvalidInputError, ServiceError
from hazeguard_platform.forecasts.document import consultation_document, document_name
from hazeguard_platform.forecasts.forms import (
    ConsultationForm,
    ForecastDayFormSet,
    ForecastProviderForm,
    ForecastUploadForm,
    PeriodForm,
    initial_days,
)
from hazeguard_platform.forecasts.models import Forecast, Provider
from hazeguard_platform.forecasts.selectors import consultation_for_user, forecast_for_user
from hazeguard_platform.forecasts.services import (
    consultation_record,
    forecast_enter,
    forecast_upload,
)
from hazeguard_platform.forecasts.sources import (
    latest_by_provider,
    probability_rows,
    recorded_rows,
    source_rows,
    table_days,
)
from hazeguard_platform.forecasts.verification import chart_data, season_start, verification
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user, plan_version_for
from hazeguard_platform.pages import render_form_error, status_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPLOAD_PAGE = "forecasts/forecast_upload.html"


@require_safe
@login_required
def verification_page(request: HttpRequest, code: str) -> HttpResponse:
    """Each source's scores over the season, per lead day, with persistence and a chart."""
    place = jurisdiction_for_user(request.user, code)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start: date = season_start(today)
    end: date = today
    status = 200
    if request.GET and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    elif request.GET:
        status = 400
    if not request.GET:
        form = PeriodForm(initial={"start": start, "end": end})
    results = verification(place, start, end) if status == 200 else []
    context = {
        "place": place,
        "form": form,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "results": results,
        "chart": chart_data(results),
    }
    return render(request, "forecasts/verification.html", context, status=status)


@require_safe
@login_required
def consultation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation's conclusion as the 《会商意见》 (.docx), in the page's language."""
    consultation = consultation_for_user(request.user, pk)
    response = HttpResponse(consultation_document(consultation), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{document_name(consultation)}"
    return response


@require_POST
@login_required
def forecast_upload_view(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a forecast CSV (``date,aqi_low,aqi_high,primary_pollutant,dust``)."""
    place = jurisdiction_for_user(request.user, code)
    form = ForecastUploadForm(request.POST, request.FILES)
    # A refused file is shown on the upload form's own page, with what to mend.
    context = {"place": place, "upload_form": form}
    if not form.is_valid():
        return render(request, UPLOAD_PAGE, context, status=400)
    raw: bytes = form.cleaned_data["file"].read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error("file", _("The file is not UTF-8 text."))
        return render(request, UPLOAD_PAGE, context, status=400)
    try:
        forecast_upload(
            actor=request.user,
            jurisdiction=place,
            issued_at=form.cleaned_data["issued_at"] or timezone.now(),
            csv_text=text,
            provider=form.cleaned_data["provider"],
        )
    except ServiceError as error:
        return render_form_error(request, UPLOAD_PAGE, context, form, error)
    return redirect("web:dashboard", code=place.code)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def forecast_entry(request: HttpRequest, code: str) -> HttpResponse:
    """Enter a 7-day forecast by hand: AQI range, primary pollutant and dust flag per day."""
    place = jurisdiction_for_user(request.user, code)
    if request.method != "POST":
        formset = ForecastDayFormSet(initial=initial_days(), prefix="days")
        blank = {"place": place, "formset": formset, "provider_form": ForecastProviderForm()}
        return render(request, "forecasts/forecast_entry.html", blank)
    formset = ForecastDayFormSet(request.POST, prefix="days")
    provider_form = ForecastProviderForm(request.POST)
    context: dict[str, Any] = {"place": place, "formset": formset, "provider_form": provider_form}
    if not (formset.is_valid() and provider_form.is_valid()):
        return render(request, "forecasts/forecast_entry.html", context, status=400)
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
        return render(request, "forecasts/forecast_entry.html", context, status=status_of(error))
    return redirect("web:dashboard", code=place.code)


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
        return render(request, "forecasts/consultation_new.html", context)
    if not form.is_valid():
        return render(request, "forecasts/consultation_new.html", context, status=400)
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
        return render_form_error(request, "forecasts/consultation_new.html", context, form, error)
    except ServiceError as error:
        return render_form_error(request, "forecasts/consultation_new.html", context, form, error)
    return redirect("forecasts:consultation", pk=consultation.pk)


def _source_label(forecast: Forecast) -> str:
    issued = timezone.localtime(forecast.issued_at)
    return f"{Provider(forecast.provider).label} · {issued:%m-%d %H:%M}"


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
        # The conclusion feeds the proposal: the proposal page opens with level, start and reason
        # filled from it (STYLE.md §28).
        "can_propose": bool(consultation.concluded_level and roles & COMMAND_ROLES),
    }
    return render(request, "forecasts/consultation.html", context)


@require_safe
@login_required
def forecast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One forecast with its days."""
    forecast = forecast_for_user(request.user, pk)
    days = forecast.days.order_by("day")
    return render(request, "forecasts/forecast.html", {"forecast": forecast, "days": days})
