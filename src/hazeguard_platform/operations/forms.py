"""The daily-report form: it only reads the request; the service checks and stores (STYLE.md §7)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.operations.models import ItemStatus, Task
from hazeguard_platform.operations.services import ItemInput
from hazeguard_platform.operations.summary_services import FIELD_NAMES
from hazeguard_platform.pages import label_in, page_language


class ReportForm(forms.Form):
    """Figures and notes, plus one status and reason field per task (``status_<task id>``)."""

    sites_inspected = forms.IntegerField(required=False, label=_("Sites inspected"))
    vehicles_checked = forms.IntegerField(required=False, label=_("Vehicles checked"))
    enterprises_stopped = forms.IntegerField(required=False, label=_("Enterprises stopped"))
    notes = forms.CharField(required=False, widget=forms.Textarea, label=_("Notes"))

    def __init__(self, *args: Any, tasks: Sequence[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tasks = list(tasks)
        language = page_language()
        status_choices = [(value, label_in(label, language)) for value, label in ItemStatus.choices]
        for task in self.tasks:
            self.fields[f"status_{task.pk}"] = forms.ChoiceField(
                choices=status_choices, required=False, label=task.text_zh
            )
            self.fields[f"reason_{task.pk}"] = forms.CharField(required=False, label=_("Reason"))

    def items(self) -> list[ItemInput]:
        """One input per task; a blank status is left for the service to name."""
        return [
            ItemInput(
                task_id=task.pk,
                status=self.cleaned_data.get(f"status_{task.pk}") or "",
                reason=self.cleaned_data.get(f"reason_{task.pk}") or "",
            )
            for task in self.tasks
        ]

    def task_rows(self) -> list[tuple[Task, forms.BoundField, forms.BoundField]]:
        return [(task, self[f"status_{task.pk}"], self[f"reason_{task.pk}"]) for task in self.tasks]


class SummaryForm(forms.Form):
    """A summary report's content (Chaoyang 004 §4) and its optional attachment; the service
    checks the content and the file."""

    measures_taken = forms.CharField(
        required=False, widget=forms.Textarea, label=FIELD_NAMES["measures_taken"]
    )
    results = forms.CharField(required=False, widget=forms.Textarea, label=FIELD_NAMES["results"])
    problems_found = forms.CharField(
        required=False, widget=forms.Textarea, label=FIELD_NAMES["problems_found"]
    )
    improvements_proposed = forms.CharField(
        required=False, widget=forms.Textarea, label=FIELD_NAMES["improvements_proposed"]
    )
    attachment = forms.FileField(
        required=False, label=_("Attachment (.docx/.pdf, ≤ 10 MB)"), allow_empty_file=True
    )


class ReturnForm(forms.Form):
    """The office's reason for returning a summary."""

    reason = forms.CharField(required=False, widget=forms.Textarea, label=FIELD_NAMES["reason"])
