"""The situation pages (office and public), their data, and the readings upload page."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user
from hazeguard_platform.monitoring.models import Delivery, Way
from hazeguard_platform.monitoring.selectors import flagged_readings, places_under
from hazeguard_platform.monitoring.services import readings_ingest
from hazeguard_platform.monitoring.situation import situation_json
from hazeguard_platform.monitoring.weather import weather_ingest
from hazeguard_platform.operations.selectors import recent_processes
from hazeguard_platform.pages import page_language
from hazeguard_platform.uploads import upload_name, upload_read

TEMPLATE = "monitoring/situation.html"
UPLOAD_LIMIT = 50 * 1024 * 1024  # [bytes] a month of 2,000 stations is about 40 MB of CSV


def _public_place(code: str) -> Jurisdiction:
    place = Jurisdiction.objects.filter(code=code).first()
    if place is None:
        raise Http404(code)
    return place


@require_safe
def public_situation(request: HttpRequest, code: str) -> HttpResponse:
    """The public situation page: map and chart, no internal details."""
    place = _public_place(code)
    return render(request, TEMPLATE, {"place": place, "public": True})


@require_safe
def public_data(request: HttpRequest, code: str) -> HttpResponse:
    return _json(situation_json(_public_place(code), public=True))


@require_safe
@login_required
def situation(request: HttpRequest, code: str) -> HttpResponse:
    """The office's situation page: the public view plus flagged readings and the upload."""
    place = jurisdiction_for_user(request.user, code)
    flagged = [
        (reading, flag_labels(reading.flags))
        for reading in flagged_readings(places_under(place))[:50]
    ]
    processes = recent_processes(place, limit=3)
    return render(
        request,
        TEMPLATE,
        {"place": place, "public": False, "flagged": flagged, "processes": processes},
    )


def flag_labels(flags: dict[str, int]) -> str:
    """A reading's flags as people read them: "PM2.5：突变；SO2：负值" (or English)."""
    from hazeguard.monitoring.plausibility import FLAG_NAMES, Flag
    from hazeguard.vocabulary import pollutant_name, pollutant_of_measurement

    english = page_language() == "en"
    parts = []
    for pollutant, bits in flags.items():
        names = [pair[1 if english else 0] for flag, pair in FLAG_NAMES.items() if bits & flag]
        if bits & ~int(sum(Flag)):
            names.append("?")
        code = pollutant_of_measurement(pollutant)
        label = pollutant_name(code, "en" if english else "zh") if code else pollutant
        parts.append(f"{label}: {', '.join(names)}" if english else f"{label}：{'、'.join(names)}")
    return "; ".join(parts) if english else "；".join(parts)


@require_safe
@login_required
def data(request: HttpRequest, code: str) -> HttpResponse:
    return _json(situation_json(jurisdiction_for_user(request.user, code), public=False))


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


def _delivery_upload(
    request: HttpRequest, code: str, default_name: str, ingest: Callable[..., Delivery]
) -> tuple[Delivery | None, HttpResponse]:
    """Read the uploaded ``file`` and hand its text to ``ingest`` (a service taking ``actor,
    jurisdiction, body, layout, way, source``); errors become a message on the situation page."""
    back = redirect("monitoring:situation", code=code)
    place = jurisdiction_for_user(request.user, code)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose a CSV file to upload."))
        return None, back
    name = upload_name(file, default_name)
    try:
        body = upload_read(file, limit_bytes=UPLOAD_LIMIT, field="file", name=name)
        delivery = ingest(
            actor=request.user,
            jurisdiction=place,
            body=body.decode("utf-8-sig", errors="replace"),
            layout=request.POST.get("layout", "hazeguard"),
            way=Way.UPLOAD,
            source=name,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return None, back
    return delivery, back


def _counts(delivery: Delivery) -> dict[str, int]:
    return {
        "stored": delivery.stored,
        "corrected": delivery.corrected,
        "unchanged": delivery.unchanged,
    }


@require_http_methods(["POST"])
@login_required
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a CSV of hourly station data (hazeguard or CNEMC layout); all or nothing."""
    delivery, back = _delivery_upload(
        request, code, "upload.csv", functools.partial(readings_ingest, fmt="csv")
    )
    if delivery is not None:
        messages.success(
            request,
            _("Stored %(stored)d hours, %(corrected)d corrected, %(unchanged)d already stored.")
            % _counts(delivery),
        )
    return back


@require_http_methods(["POST"])
@login_required
def weather_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a CSV of observed hourly weather (HazeGuard or Beijing multi-site layout)."""
    delivery, back = _delivery_upload(request, code, "weather.csv", weather_ingest)
    if delivery is not None:
        messages.success(
            request,
            _(
                "Stored %(stored)d weather hours, %(corrected)d corrected, "
                "%(unchanged)d already stored."
            )
            % _counts(delivery),
        )
    return back


@require_http_methods(["POST"])
@login_required
def stations_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Import the station registry from CSV (all or nothing)."""
    from hazeguard_platform.monitoring.stations import stations_import

    place = jurisdiction_for_user(request.user, code)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose a CSV file to upload."))
        return redirect("monitoring:situation", code=code)
    name = upload_name(file, "stations.csv")
    try:
        body = upload_read(file, limit_bytes=UPLOAD_LIMIT, field="file", name=name)
        stations = stations_import(
            actor=request.user,
            jurisdiction=place,
            csv_text=body.decode("utf-8-sig", errors="replace"),
            filename=name,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("monitoring:situation", code=code)
    messages.success(request, _("%(count)d stations imported.") % {"count": len(stations)})
    return redirect("monitoring:situation", code=code)
