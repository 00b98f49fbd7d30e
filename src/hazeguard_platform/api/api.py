"""The REST API: forecasts, decisions, consultations, warnings and their transitions.

django-ninja rather than DRF + drf-spectacular: the OpenAPI document is generated from the same
typed pydantic schemas that validate the input, with one dependency instead of two.

Token authentication (``Authorization: Bearer hg_…``, see ``api.services.api_token_issue``); the
API acts with the person's roles through the same services and selectors as the pages, so the
permissions are the same. Bad input → 400 ``{"error", "field"}``; wrong role → 403 (audited);
state conflict → 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from hazeguard_platform.accounts.permissions import SignedInRequest
from hazeguard_platform.api.auth import TokenAuth
from hazeguard_platform.api.schemas import (
    AdjustIn,
    ConsultationIn,
    ConsultationOut,
    DecisionOut,
    ErrorOut,
    ForecastIn,
    ForecastOut,
    IssueIn,
    JurisdictionOut,
    ProposeIn,
    ReasonIn,
    WarningOut,
)
from hazeguard_platform.errors import (
    DATABASE_ERRORS,
    DATABASE_FULL,
    DATABASE_OUTAGE,
    DATABASE_RETRY_AFTER,
    ConflictError,
    ServiceError,
    database_full,
)
from hazeguard_platform.forecasts import services as forecast_services
from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.forecasts.selectors import (
    consultation_for_user,
    forecast_for_user,
    forecasts_for,
    latest_forecast,
)
from hazeguard_platform.jurisdictions.selectors import (
    jurisdiction_for_user,
    jurisdictions_for_user,
    plan_version_for,
)
from hazeguard_platform.monitoring.api import router as monitoring_router
from hazeguard_platform.response import services as response_services
from hazeguard_platform.warnings import services as warning_services
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.selectors import (
    allowed_actions,
    warning_for_user,
    warnings_for_user,
)

api = NinjaAPI(
    title="HazeGuard API",
    version="1",
    description="Heavy-pollution-weather emergency plans: forecasts, decisions, warnings.",
    auth=TokenAuth(),
    urls_namespace="api",
    # The Swagger page loads scripts from a CDN, which the site's CSP (and offline sites) refuse.
    docs_url=None,
)

# Hourly station data pushed by monitoring systems (docs/monitoring.md).
api.add_router("/", monitoring_router)

Code = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,64}$")]
PathId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    503: ErrorOut,  # the database went away mid-request: nothing changed, send it again
    507: ErrorOut,  # the database's disk is full: nothing changed, send it again after
}
CHANGE_ERRORS: dict[int, type[ErrorOut]] = {**ERRORS, 409: ErrorOut}


def _error(request: HttpRequest, status: int, message: str, field: str | None) -> HttpResponse:
    return api.create_response(request, {"error": message, "field": field}, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # ninja answers 422; the platform's rule is 400 naming the field (days.2.aqi_high).
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ())]
    while location and location[0] in ("body", "query", "path", "payload", "filters"):
        location.pop(0)
    return _error(request, 400, str(first.get("msg", "invalid input")), ".".join(location) or None)


@api.exception_handler(ServiceError)
def _refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, 409 if isinstance(exc, ConflictError) else 400, exc.message, exc.field)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "forbidden", None)


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "not found", None)


def _database_outage(request: HttpRequest, exc: object) -> HttpResponse:
    # Like the pages (middleware.DatabaseOutageMiddleware): rolled back, send it again.
    if isinstance(exc, Exception) and database_full(exc):
        return _error(request, 507, str(DATABASE_FULL), None)
    response = _error(request, 503, str(DATABASE_OUTAGE), None)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


for _outage in DATABASE_ERRORS:
    api.add_exception_handler(_outage, _database_outage)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "a valid API token is required (Authorization: Bearer …)", None)


def _local(value: Any) -> Any:
    # Times go out in the site's zone (China Standard Time), whatever the database returns.
    return timezone.localtime(value) if isinstance(value, datetime) else value


def _forecast_out(forecast: Forecast) -> dict[str, Any]:
    return {
        "id": forecast.pk,
        "jurisdiction": forecast.jurisdiction.code,
        "issued_at": _local(forecast.issued_at),
        "source": forecast.source,
        "provider": forecast.provider,
        "probabilities": forecast.probabilities,
        "note": forecast.note,
        "days": [
            {
                "date": d.day,
                "aqi_low": d.aqi_low,
                "aqi_high": d.aqi_high,
                "aqi_median": d.aqi_median,
                "primary_pollutant": d.primary_pollutant,
                "dust": d.dust,
                "typhoon": d.typhoon,
            }
            for d in forecast.days.order_by("day")
        ],
    }


def _consultation_out(consultation: Consultation) -> dict[str, Any]:
    return {
        "id": consultation.pk,
        "jurisdiction": consultation.jurisdiction.code,
        "held_at": _local(consultation.held_at),
        "conclusion": consultation.conclusion,
        "concluded_level": consultation.concluded_level,
        "basis_id": consultation.basis_id,
        "plan_version": str(consultation.plan_version),
        "decision": consultation.decision,
    }


def _warning_out(request: HttpRequest, warning: Warning) -> dict[str, Any]:
    fields = [
        "level",
        "response",
        "state",
        "version",
        "reason",
        "proposed_at",
        "approved_at",
        "issued_at",
        "starts_at",
        "ended_at",
        "end_reason",
        "supersedes_id",
        "regional_source_id",
        "respond_by",
        "responded_at",
        "decision",
    ]
    return {
        "id": warning.pk,
        "jurisdiction": warning.jurisdiction.code,
        **{name: _local(getattr(warning, name)) for name in fields},
        "allowed_actions": sorted(allowed_actions(request.user, warning)),
    }


@api.get("/jurisdictions", response={200: list[JurisdictionOut], **ERRORS})
def list_jurisdictions(request: HttpRequest) -> list[dict[str, Any]]:
    """The jurisdictions where the token's person holds a role, and those below them."""
    return [
        {
            "code": j.code,
            "name_zh": j.name_zh,
            "name_en": j.name_en,
            "kind": j.kind,
            "parent": j.parent.code if j.parent else None,
        }
        for j in jurisdictions_for_user(request.user)
    ]


@api.get("/jurisdictions/{code}/forecasts", response={200: list[ForecastOut], **ERRORS})
def list_forecasts(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    """The jurisdiction's forecasts, newest first (at most 50)."""
    place = jurisdiction_for_user(request.user, code)
    return [_forecast_out(f) for f in forecasts_for(place)[:50]]


@api.post("/jurisdictions/{code}/forecasts", response={201: ForecastOut, **CHANGE_ERRORS})
def create_forecast(request: HttpRequest, code: Code, payload: ForecastIn) -> Status[Any]:
    """Store a forecast received from the forecasting system."""
    place = jurisdiction_for_user(request.user, code)
    forecast = forecast_services.forecast_enter(
        actor=request.user,
        jurisdiction=place,
        issued_at=payload.issued_at,
        days=[day.model_dump() for day in payload.days],
        source="api",
        note=payload.note,
        provider=payload.provider,
    )
    return Status(201, _forecast_out(forecast))


@api.get("/forecasts/{forecast_id}", response={200: ForecastOut, **ERRORS})
def get_forecast(request: HttpRequest, forecast_id: PathId) -> dict[str, Any]:
    return _forecast_out(forecast_for_user(request.user, forecast_id))


@api.get("/jurisdictions/{code}/decision", response={200: DecisionOut, **CHANGE_ERRORS})
def get_decision(
    request: HttpRequest,
    code: Code,
    forecast_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> dict[str, Any]:
    """The engine's decision on a forecast (the newest when none is named), with its reasons."""
    place = jurisdiction_for_user(request.user, code)
    forecast = forecast_for_user(request.user, forecast_id) if forecast_id else None
    forecast = forecast or latest_forecast(place)
    if forecast is None or forecast.jurisdiction_id != place.pk:
        raise ConflictError(f"{place.code} has no such forecast", field="forecast_id")
    version = plan_version_for(place)
    if version is None:
        raise ConflictError(f"{place.code} has no plan imported")
    decision = forecast_services.engine_decision(place, version.snapshot, forecast, timezone.now())
    return {
        "jurisdiction": place.code,
        "forecast_id": forecast.pk,
        "plan_version": str(version),
        "decision": decision,
    }


@api.post("/jurisdictions/{code}/consultations", response={201: ConsultationOut, **CHANGE_ERRORS})
def create_consultation(
    request: SignedInRequest, code: Code, payload: ConsultationIn
) -> Status[Any]:
    """Record a consultation; the engine's decision on the newest forecast is stored with it."""
    place = jurisdiction_for_user(request.user, code)
    consultation = forecast_services.consultation_record(
        actor=request.user,
        jurisdiction=place,
        held_at=payload.held_at,
        conclusion=payload.conclusion,
        concluded_level=payload.concluded_level,
        forecast_ids=payload.forecast_ids,
        other_participants=payload.other_participants,
        participant_ids=[request.user.pk],
    )
    return Status(201, _consultation_out(consultation))


@api.get("/consultations/{consultation_id}", response={200: ConsultationOut, **ERRORS})
def get_consultation(request: HttpRequest, consultation_id: PathId) -> dict[str, Any]:
    return _consultation_out(consultation_for_user(request.user, consultation_id))


@api.get("/warnings", response={200: list[WarningOut], **ERRORS})
def list_warnings(
    request: HttpRequest,
    jurisdiction: Annotated[str | None, Query(pattern=r"^[-a-zA-Z0-9_]{1,64}$")] = None,
) -> list[dict[str, Any]]:
    """Warnings the person may see, newest first (at most 100)."""
    rows = warnings_for_user(request.user).order_by("-proposed_at", "-id")
    if jurisdiction:
        rows = rows.filter(jurisdiction__code=jurisdiction)
    return [_warning_out(request, w) for w in rows[:100]]


@api.get("/warnings/{warning_id}", response={200: WarningOut, **ERRORS})
def get_warning(request: HttpRequest, warning_id: PathId) -> dict[str, Any]:
    return _warning_out(request, warning_for_user(request.user, warning_id))


@api.post("/jurisdictions/{code}/warnings", response={201: WarningOut, **CHANGE_ERRORS})
def propose_warning(request: HttpRequest, code: Code, payload: ProposeIn) -> Status[Any]:
    """Propose a warning level from a forecast or consultation."""
    place = jurisdiction_for_user(request.user, code)
    warning = response_services.warning_propose(
        actor=request.user,
        jurisdiction=place,
        level=payload.level,
        forecast_id=payload.forecast_id,
        consultation_id=payload.consultation_id,
        reason=payload.reason,
    )
    return Status(201, _warning_out(request, warning))


def _transition(request: HttpRequest, warning_id: int) -> Warning:
    # Visibility first (404/403 like the pages); the service checks the role for the action.
    return warning_for_user(request.user, warning_id)


@api.post("/warnings/{warning_id}/review", response={200: WarningOut, **CHANGE_ERRORS})
def review_warning(request: HttpRequest, warning_id: PathId) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = response_services.warning_review(actor=request.user, warning_id=warning_id)
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/agree", response={200: WarningOut, **CHANGE_ERRORS})
def agree_warning(request: HttpRequest, warning_id: PathId) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = response_services.warning_agree(actor=request.user, warning_id=warning_id)
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/approve", response={200: WarningOut, **CHANGE_ERRORS})
def approve_warning(request: HttpRequest, warning_id: PathId) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = response_services.warning_approve(actor=request.user, warning_id=warning_id)
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/reject", response={200: WarningOut, **CHANGE_ERRORS})
def reject_warning(request: HttpRequest, warning_id: PathId, payload: ReasonIn) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = warning_services.warning_reject(
        actor=request.user, warning_id=warning_id, reason=payload.reason
    )
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/withdraw", response={200: WarningOut, **CHANGE_ERRORS})
def withdraw_warning(request: HttpRequest, warning_id: PathId) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = warning_services.warning_withdraw(actor=request.user, warning_id=warning_id)
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/issue", response={200: WarningOut, **CHANGE_ERRORS})
def issue_warning(request: HttpRequest, warning_id: PathId, payload: IssueIn) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = response_services.warning_issue(
        actor=request.user,
        warning_id=warning_id,
        starts_at=payload.starts_at,
        short_lead_reason=payload.short_lead_reason,
        ends_at=payload.ends_at,
    )
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/adjust", response={201: WarningOut, **CHANGE_ERRORS})
def adjust_warning(request: HttpRequest, warning_id: PathId, payload: AdjustIn) -> Status[Any]:
    """Propose another level for the warning in force: a new warning to approve and issue."""
    _transition(request, warning_id)
    warning = response_services.warning_adjust(
        actor=request.user,
        warning_id=warning_id,
        level=payload.level,
        forecast_id=payload.forecast_id,
        consultation_id=payload.consultation_id,
        reason=payload.reason,
    )
    return Status(201, _warning_out(request, warning))


@api.post("/warnings/{warning_id}/lift", response={200: WarningOut, **CHANGE_ERRORS})
def lift_warning(request: HttpRequest, warning_id: PathId, payload: ReasonIn) -> dict[str, Any]:
    _transition(request, warning_id)
    warning = response_services.warning_lift(
        actor=request.user, warning_id=warning_id, reason=payload.reason
    )
    return _warning_out(request, warning)


@api.post("/warnings/{warning_id}/acknowledge", response={200: WarningOut, **CHANGE_ERRORS})
def acknowledge_warning(request: HttpRequest, warning_id: PathId) -> dict[str, Any]:
    """A county confirms it received the regional warning and acted on it."""
    _transition(request, warning_id)
    warning = response_services.warning_acknowledge(actor=request.user, warning_id=warning_id)
    return _warning_out(request, warning)
