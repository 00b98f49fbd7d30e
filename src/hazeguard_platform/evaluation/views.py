"""The episode evaluation (on screen with charts, .docx, JSON) and the yearly evaluation page.

Every view authorises through the summary's office check (``summaries.selectors``: the command
office of the jurisdiction or above; 403 + audit for others).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hazeguard.vocabulary import LEVELS
from hazeguard_platform.documents import docx_response, json_response
from hazeguard_platform.evaluation.docx import episode_docx, year_docx
from hazeguard_platform.evaluation.records import EpisodeEvaluation
from hazeguard_platform.evaluation.selectors import episode_evaluation_for
from hazeguard_platform.evaluation.terms import level_label, source_label
from hazeguard_platform.evaluation.year import YearEvaluation, year_evaluation_for
from hazeguard_platform.summaries.selectors import episode_for_office, episodes_for_office
from hazeguard_platform.warnings.models import Episode

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a year outside is a typing error, not a plan year


def _evaluation(request: HttpRequest, episode_id: int) -> tuple[Episode, EpisodeEvaluation]:
    episode = episode_for_office(request.user, episode_id)
    try:
        return episode, episode_evaluation_for(episode)
    except ValueError as error:  # an episode without an issued warning has nothing to evaluate
        raise Http404(str(error)) from error


def chart_data(evaluation: EpisodeEvaluation) -> dict[str, object]:
    """What the page's charts draw, in the active language."""
    sources = sorted({check.source for check in evaluation.forecasts})
    return {
        "days": [day.isoformat() for day, _ in evaluation.observed],
        "observed": [value for _, value in evaluation.observed],
        "forecasts": [
            {
                "name": source_label(source),
                "ranges": [
                    [c.day.isoformat(), c.aqi_low, c.aqi_high]
                    for c in evaluation.forecasts
                    if c.source == source
                ],
            }
            for source in sources
        ],
        "warnings": [
            {
                "name": level_label(w.level),
                "colour": LEVELS[w.level].colour if w.level in LEVELS else "#888888",
                "lead": w.lead_hours,
                "usual": w.usual_hours,
                "minimum": w.minimum_hours,
            }
            for w in evaluation.warnings
        ],
    }


@login_required
@require_safe
def episode_page(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The evaluation of an episode on screen, with its charts."""
    episode, evaluation = _evaluation(request, episode_id)
    context = {"episode": episode, "e": evaluation, "chart": chart_data(evaluation)}
    return render(request, "evaluation/episode.html", context)


@login_required
@require_safe
def episode_json(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The evaluation's data as JSON (codes, ISO times, numbers)."""
    _, evaluation = _evaluation(request, episode_id)
    return json_response(evaluation.to_dict())


@login_required
@require_safe
def episode_download(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The evaluation as a Word document (Chinese, as reports to the government are)."""
    episode, evaluation = _evaluation(request, episode_id)
    name = f"evaluation-{episode.jurisdiction.code}-{episode.started_at:%Y%m%d}.docx"
    return docx_response(episode_docx(evaluation), name)


def _year(request: HttpRequest, code: str, year: str) -> YearEvaluation:
    place, _ = episodes_for_office(request.user, code)
    if not year.isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise Http404(f"{year!r} is not a year between {FIRST_YEAR} and {LAST_YEAR}")
    return year_evaluation_for(place, int(year))


@login_required
@require_safe
def year_page(request: HttpRequest, code: str, year: str) -> HttpResponse:
    """Every episode of the year, the verdicts, the planning cycle's deadlines, the findings."""
    evaluation = _year(request, code, year)
    return render(request, "evaluation/year.html", {"y": evaluation})


@login_required
@require_safe
def year_download(request: HttpRequest, code: str, year: str) -> HttpResponse:
    """The yearly evaluation as a Word document."""
    evaluation = _year(request, code, year)
    return docx_response(year_docx(evaluation), f"evaluation-{code}-{evaluation.year}.docx")
