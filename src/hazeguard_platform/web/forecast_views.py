"""Staff pages of the forecast sources: their verification over the season, and the
consultation's conclusion as the 《会商意见》 document."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from hazeguard_platform.forecasts.document import consultation_document, document_name
from hazeguard_platform.forecasts.selectors import consultation_for_user
from hazeguard_platform.forecasts.verification import chart_data, season_start, verification
from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PeriodForm(forms.Form):
    """The days of issue to verify (the heating season so far by default)."""

    start = forms.DateField(label=gettext_lazy("Issued from"), required=False)
    end = forms.DateField(label=gettext_lazy("to"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end is before the start."))
        return data


@require_safe
@login_required
def verification_page(request: HttpRequest, code: str) -> HttpResponse:
    """Each source's scores over the season, per lead day, with persistence and a chart."""
    place = jurisdiction_for_user(request.user, code)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start: date = season_start(today)
    end: date = today
    status = 200
    if request.GET and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    elif request.GET:
        status = 400
    if not request.GET:
        form = PeriodForm(initial={"start": start, "end": end})
    results = verification(place, start, end) if status == 200 else []
    context = {
        "place": place,
        "form": form,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "results": results,
        "chart": chart_data(results),
    }
    return render(request, "web/verification.html", context, status=status)


@require_safe
@login_required
def consultation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation's conclusion as the 《会商意见》 (.docx), in the page's language."""
    consultation = consultation_for_user(request.user, pk)
    response = HttpResponse(consultation_document(consultation), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{document_name(consultation)}"
    return response
