"""Forms of the list and portal pages; they only shape input, the services validate it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from hazeguard.reduction.enums import Grade
from hazeguard_platform.enterprises.models import ProductionUnit
from hazeguard_platform.public.presenters import grade_name


class ListUploadForm(forms.Form):
    file = forms.FileField(label=_("Emission-reduction list (.xlsx)"))


class ReportDayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def production_entries(
    data: Mapping[str, Any], units: Iterable[ProductionUnit]
) -> list[dict[str, Any]]:
    """The per-unit inputs ``status-<pk>``, ``percent-<pk>``, ``note-<pk>`` as service entries.

    A unit left without a status is left out, so the service names it as not reported.
    """
    entries = []
    for unit in units:
        status = data.get(f"status-{unit.pk}", "")
        if not status:
            continue
        entries.append(
            {
                "unit_id": unit.unit_id,
                "status": status,
                "limited_percent": data.get(f"percent-{unit.pk}") or None,
                "note": data.get(f"note-{unit.pk}", ""),
            }
        )
    return entries


# Grades by name in the page's language (``B级`` / ``B``, ``引领性`` / ``Leading``).
GRADE_CHOICES = [
    ("", _("all")),
    *((grade.value, lazy(grade_name, str)(grade.value)) for grade in Grade),
]


class ListFilterForm(forms.Form):
    """Search and filter of the list page (GET): name or credit code, grade."""

    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=200)
    grade = forms.ChoiceField(label=_("Grade"), choices=GRADE_CHOICES, required=False)
