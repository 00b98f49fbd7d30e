"""The upload form; it only shapes input, the service validates the file."""

from __future__ import annotations

from django import forms


class ReadingsUploadForm(forms.Form):
    file = forms.FileField(
        label="用电量数据 power consumption (CSV: enterprise, meter, time, energy_kwh)"
    )
