"""The inspection form; the service checks the photos' type and size and every rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.supervision.models import InspectionKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


# The kinds in the page's language (the model's labels are "中文 english").
KIND_CHOICES = [
    (InspectionKind.ON_SITE.value, _("on-site supervision")),
    (InspectionKind.TOUR.value, _("inspection tour")),
]


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    inspected_at = forms.DateTimeField(label=_("Inspected at"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea)
    violation = forms.BooleanField(label=_("Measures not carried out"), required=False)
    penalty = forms.CharField(label=_("Penalty"), required=False)
    photos = MultipleFileField(label=_("Photos (JPEG/PNG, ≤ 5 MB)"), required=False)
