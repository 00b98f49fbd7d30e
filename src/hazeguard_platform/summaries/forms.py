"""The inventory form; it only shapes input, the service validates it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.summaries.models import SourceClass


class InventoryForm(forms.Form):
    source_class = forms.ChoiceField(label=_("Source class"), choices=SourceClass.choices)
    so2 = forms.FloatField(label="SO2 [t/d]", required=False)
    nox = forms.FloatField(label="NOx [t/d]", required=False)
    pm = forms.FloatField(label=_("PM [t/d]"), required=False)
    vocs = forms.FloatField(label="VOCs [t/d]", required=False)
    source = forms.CharField(label=_("Data source"), max_length=500)
