"""The inspection form; the service checks the photos' type and size and every rule."""

from __future__ import annotations

from typing import Any

from django import forms

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


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="类型 kind", choices=InspectionKind.choices)
    inspected_at = forms.DateTimeField(label="检查时间 inspected at")
    findings = forms.CharField(label="检查情况 findings", widget=forms.Textarea)
    violation = forms.BooleanField(label="未落实减排措施 violation", required=False)
    penalty = forms.CharField(label="处罚 penalty", required=False)
    photos = MultipleFileField(label="照片 photos (JPEG/PNG, ≤ 5 MB)", required=False)
