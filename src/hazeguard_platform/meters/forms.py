"""The upload form; it only shapes input, the service validates the file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReadingsUploadForm(forms.Form):
    file = forms.FileField(label=_("Power consumption (CSV: enterprise, meter, time, energy_kwh)"))
