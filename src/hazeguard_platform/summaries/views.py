"""The episode summary for the command office: on screen, as .docx, and its AQI chart.

Every view authorises through :func:`selectors.episode_for_office` (403 + audit for others); the
content and the files are the core's (``summary_sections``, ``summary_docx``, ``aqi_chart_png``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hazeguard.documents.summary import EpisodeSummary, aqi_chart_png, summary_docx
from hazeguard.documents.summary_sections import summary_sections
from hazeguard_platform.summaries.selectors import (
    NOT_AVAILABLE,
    episode_for_office,
    episode_summary_for,
    episodes_for_office,
)
from hazeguard_platform.summaries.units import unit_summaries_for
from hazeguard_platform.warnings.models import Episode

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
    context = {
        "episode": episode,
        "summary": summary,
        "sections": summary_sections(summary),
        "not_available": NOT_AVAILABLE,
        "unit_summaries": unit_summaries_for(episode, timezone.now()),
    }
    return render(request, "summaries/summary.html", context)


@login_required
@require_safe
def summary_download(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The summary report as a Word document built by the core."""
    episode, summary = _summary(request, episode_id)
    response = HttpResponse(summary_docx(summary), content_type=DOCX)
    name = f"summary-{episode.jurisdiction.code}-{summary.started:%Y%m%d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def summary_chart(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The forecast-vs-observed AQI chart (PNG); 404 when the episode has no AQI data."""
    _, summary = _summary(request, episode_id)
    if not summary.aqi:
        raise Http404("no forecast or observed AQI for this episode")
    return HttpResponse(aqi_chart_png(summary.aqi), content_type="image/png")
