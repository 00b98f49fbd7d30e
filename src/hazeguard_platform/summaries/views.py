"""The episode summary for the command office: on screen, as .docx, and its AQI chart.

Every view authorises through :func:`selectors.episode_for_office` (403 + audit for others); the
content and the files are the core's (``summary_sections``, ``summary_docx``, ``aqi_chart_png``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard.documents.summary import EpisodeSummary, aqi_chart_png, summary_docx
from hazeguard.documents.summary_sections import summary_sections
from hazeguard_platform.documents import docx_response, json_response
from hazeguard_platform.errors import ServiceError
from hazeguard_platform.meters.check_services import electricity_check_queue
from hazeguard_platform.meters.selectors import latest_check, latest_check_job
from hazeguard_platform.pages import page_language, render_form_error
from hazeguard_platform.summaries.forms import InventoryForm
from hazeguard_platform.summaries.reductions import current_inventory
from hazeguard_platform.summaries.selectors import (
    episode_for_office,
    episode_summary_for,
    episodes_for_office,
    key_figures,
)
from hazeguard_platform.summaries.services import inventory_enter
from hazeguard_platform.summaries.units import unit_summary_ids
from hazeguard_platform.warnings.models import Episode


def _summary(request: HttpRequest, episode_id: int) -> tuple[Episode, EpisodeSummary]:
    episode = episode_for_office(request.user, episode_id)
    try:
        return episode, episode_summary_for(episode)
    except ValueError as error:  # the core refuses an episode without an issued warning
        raise Http404(str(error)) from error


@login_required
@require_safe
def episode_list(request: HttpRequest, code: str) -> HttpResponse:
    """The jurisdiction's episodes, each linking to its summary."""
    place, episodes = episodes_for_office(request.user, code)
    return render(request, "summaries/episodes.html", {"place": place, "episodes": episodes})


@login_required
@require_safe
def summary_page(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The summary report on screen, with links to the .docx and the chart."""
    episode, summary = _summary(request, episode_id)
    sections = summary_sections(summary, page_language())
    units = next(section for section in sections if section.key == "unit_summaries")
    assert units.table is not None
    ids = unit_summary_ids(episode, timezone.now())
    context = {
        "episode": episode,
        "summary": summary,
        "sections": sections,
        "figures": key_figures(summary),
        "check": latest_check(episode),
        "check_job": latest_check_job(episode),
        # Section 九 as in the .docx and JSON (the core's records and cells), each row with the
        # id of its report for the link.
        "unit_summaries": list(zip(summary.unit_summaries, units.table.rows, ids, strict=False)),
    }
    return render(request, "summaries/summary.html", context)


@login_required
@require_safe
def summary_download(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The summary report as a Word document built by the core."""
    episode, summary = _summary(request, episode_id)
    name = f"summary-{episode.jurisdiction.code}-{summary.started:%Y%m%d}.docx"
    return docx_response(summary_docx(summary), name)


@login_required
@require_safe
def summary_json(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The summary's data as JSON (docs/episode-summary.schema.json; the core's ``to_dict``)."""
    _, summary = _summary(request, episode_id)
    return json_response(summary.to_dict())


@login_required
@require_safe
def summary_chart(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The forecast-vs-observed AQI chart (PNG); 404 when the episode has no AQI data."""
    _, summary = _summary(request, episode_id)
    if not summary.aqi:
        raise Http404("no forecast or observed AQI for this episode")
    return HttpResponse(aqi_chart_png(summary.aqi), content_type="image/png")


@login_required
@require_POST
def electricity_check(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Queue the electricity check of the episode for the task worker (the office), then show
    the summary, which shows the check queued, running, done (with its result) or failed."""
    episode = episode_for_office(request.user, episode_id)
    try:
        electricity_check_queue(actor=request.user, episode=episode)
    except ServiceError as error:
        return HttpResponse(error.message, status=400)
    messages.success(
        request, _("The electricity check is queued: reload this page for its result.")
    )
    return redirect("summaries:episode", episode_id=episode.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def inventory_page(request: HttpRequest, code: str) -> HttpResponse:
    """The society-wide inventory in use and the form to enter a source class's figures."""
    place, _episodes = episodes_for_office(request.user, code)
    form = InventoryForm(request.POST or None)
    context = {"place": place, "form": form, "entries": current_inventory(place)}
    if request.method != "POST":
        return render(request, "summaries/inventory.html", context)
    if not form.is_valid():
        return render(request, "summaries/inventory.html", context, status=400)
    try:
        inventory_enter(actor=request.user, jurisdiction=place, **form.cleaned_data)
    except ServiceError as error:
        return render_form_error(request, "summaries/inventory.html", context, form, error)
    messages.success(request, _("Entered."))
    return redirect("summaries:inventory", code=place.code)
