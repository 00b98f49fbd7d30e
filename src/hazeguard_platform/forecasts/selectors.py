"""Reading forecasts and consultations."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils import timezone

from hazeguard_platform.accounts.permissions import Actor, require_visible
from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.jurisdictions.models import Jurisdiction


def current_forecasts(jurisdiction: Jurisdiction) -> models.QuerySet[Forecast]:
    """The forecasts that still cover today or a coming day (China date), newest issued first."""
    today = timezone.localdate()
    return (
        jurisdiction.forecasts.filter(issued_at__lte=timezone.now(), days__day__gte=today)
        .distinct()
        .order_by("-issued_at", "-id")
    )


def latest_forecast(jurisdiction: Jurisdiction) -> Forecast | None:
    """The most recently issued forecast of the jurisdiction that covers the coming days (today
    or later): a newer forecast of past days, or one not yet issued, is not the latest."""
    return current_forecasts(jurisdiction).first()


def forecasts_for(jurisdiction: Jurisdiction) -> models.QuerySet[Forecast]:
    """The jurisdiction's forecasts, newest first, with their days."""
    return jurisdiction.forecasts.prefetch_related("days").order_by("-issued_at", "-id")


def forecast_for_user(user: Actor, forecast_id: int) -> Forecast:
    """A forecast the user may see (``Http404`` / ``ForbiddenError``)."""
    forecast = Forecast.objects.select_related("jurisdiction").filter(pk=forecast_id).first()
    if forecast is None:
        raise Http404(f"no forecast {forecast_id}")
    require_visible(user, forecast, forecast.jurisdiction_id, action="forecast.view")
    return forecast


def consultation_for_user(user: Actor, consultation_id: int) -> Consultation:
    """A consultation the user may see (``Http404`` / ``ForbiddenError``)."""
    consultation = (
        Consultation.objects.select_related("jurisdiction", "basis", "plan_version")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        raise Http404(f"no consultation {consultation_id}")
    require_visible(user, consultation, consultation.jurisdiction_id, action="consultation.view")
    return consultation
