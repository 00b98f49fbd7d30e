"""The page of the weather bureau's weather forecasts: upload one (the core's daily weather
table), see the newest."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.forecasts.models import WeatherForecast
from hazeguard_platform.forecasts.weather_forecasts import MAX_BYTES, weather_forecast_upload
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user
from hazeguard_platform.uploads import upload_read

TEMPLATE = "forecasts/weather_forecasts.html"


class WeatherUploadForm(forms.Form):
    """A daily weather table: ``date`` and any of the core's weather columns."""

    file = forms.FileField(label=_("Weather forecast CSV"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def weather_forecasts_page(request: HttpRequest, code: str) -> HttpResponse:
    """Upload the bureau's weather forecast; the newest ones below with their days."""
    place = jurisdiction_for_user(request.user, code)
    form = WeatherUploadForm(request.POST or None, request.FILES or None)
    newest = WeatherForecast.objects.filter(jurisdiction=place).prefetch_related("days")[:5]
    context = {"place": place, "form": form, "forecasts": newest}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    upload = form.cleaned_data["file"]
    try:
        content = upload_read(upload, limit_bytes=MAX_BYTES, field="file", name=upload.name)
        weather_forecast_upload(
            actor=request.user, jurisdiction=place, file_name=upload.name, content=content
        )
    except ServiceError as error:
        form.add_error("file", error.message)
        return render(request, TEMPLATE, context, status=400)
    return redirect("forecasts:weather_forecasts", code=place.code)
