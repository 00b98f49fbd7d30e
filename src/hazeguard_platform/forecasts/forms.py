"""The forecast and consultation forms. They check the shape of the input only; every rule lives
in the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard.vocabulary import WARNING_LEVELS
from hazeguard_platform.forecasts.models import Pollutant, Provider
from hazeguard_platform.pages import level_choices

FORECAST_DAYS = 7
# A forecast file larger than this is not a 7-day city forecast [bytes].
MAX_UPLOAD_BYTES = 256 * 1024


# Whose forecast a person enters: the model's are made by the worker only.
PROVIDER_CHOICES = [(value, label) for value, label in Provider.choices if value != Provider.MODEL]


class ForecastProviderForm(forms.Form):
    """Whose forecast it is: the monitoring centre's, the weather bureau's, a forecaster's."""

    # Not required: a form or a script that predates the providers enters the monitoring centre's
    # forecast, as before.
    provider = forms.ChoiceField(
        label=_("Forecast by"),
        choices=PROVIDER_CHOICES,
        initial=Provider.MONITORING_CENTRE,
        required=False,
    )

    def clean_provider(self) -> str:
        return str(self.cleaned_data.get("provider") or Provider.MONITORING_CENTRE)


class ForecastUploadForm(ForecastProviderForm):
    """A forecast CSV: columns day, aqi_low, aqi_high, primary_pollutant, dust."""

    file = forms.FileField(label=_("Forecast CSV"))
    issued_at = forms.DateTimeField(label=_("Issued at"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 256 KiB."))
        return upload


class ForecastDayForm(forms.Form):
    """One day of a forecast entered by hand: AQI range, primary pollutant, dust and typhoon
    flags."""

    day = forms.DateField(label=_("Day"))
    aqi_low = forms.IntegerField(label=_("AQI from"), min_value=0, max_value=2000)
    aqi_high = forms.IntegerField(label=_("AQI to"), min_value=0, max_value=2000)
    primary_pollutant = forms.ChoiceField(
        label=_("Primary pollutant"), choices=Pollutant.choices, required=False
    )
    dust = forms.BooleanField(label=_("Dust"), required=False)
    typhoon = forms.BooleanField(label=_("Typhoon"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("aqi_low"), data.get("aqi_high")
        if low is not None and high is not None and low > high:
            self.add_error("aqi_high", _("The upper AQI is below the lower one."))
        return data


ForecastDayFormSet = forms.formset_factory(
    ForecastDayForm,
    extra=0,
    min_num=FORECAST_DAYS,
    max_num=FORECAST_DAYS,
    validate_min=True,
    validate_max=True,
)


def initial_days() -> list[dict[str, Any]]:
    """Seven days from tomorrow, for the entry form."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return [{"day": tomorrow + timedelta(days=n)} for n in range(FORECAST_DAYS)]


class ConsultationForm(forms.Form):
    """The record of a consultation (会商): who, when, which source the conclusion rests on,
    what was concluded. ``sources``: ``(forecast id, label)`` of the sources on the page."""

    held_at = forms.DateTimeField(label=_("Held at"))
    forecast = forms.TypedChoiceField(
        label=_("Conclusion rests on"), coerce=int, widget=forms.RadioSelect
    )
    other_participants = forms.CharField(
        label=_("Other participants"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}))
    concluded_level = forms.ChoiceField(
        label=_("Concluded level"),
        choices=[("", _("no warning"))],  # and the levels, named in the page's language
        required=False,
    )

    def __init__(self, *args: Any, sources: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forecast = self.fields["forecast"]
        assert isinstance(forecast, forms.ChoiceField)
        forecast.choices = sources
        level = self.fields["concluded_level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [("", _("no warning")), *level_choices(WARNING_LEVELS)]


class PeriodForm(forms.Form):
    """The days of issue to verify (the heating season so far by default)."""

    start = forms.DateField(label=_("Issued from"), required=False)
    end = forms.DateField(label=_("to"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end is before the start."))
        return data
