"""Public pages (no sign-in) and the CAP 1.2 feed: only published warnings are shown."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from hazeguard.cap import CAP_MEDIA_TYPE, AtomEntry, atom_index, cap_message
from hazeguard_platform.cap_signing import cap_sign
from hazeguard_platform.forecasts.models import ForecastDay
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.public import emission_list
from hazeguard_platform.public import history as warning_history
from hazeguard_platform.public.downloads import csv_response
from hazeguard_platform.public.history import (
    PER_PAGE,
    HistoryFilter,
    published,
    published_in_cap,
)
from hazeguard_platform.public.presenters import (
    CapMessageRef,
    cap_warning_for,
    level_zh,
    messages_of,
    place_name,
    response_zh,
)
from hazeguard_platform.public.selectors import statuses_key, statuses_of
from hazeguard_platform.public.styles import level_css

FEED_WARNINGS = 300
# The feed's entry titles say what happened, in Chinese like the feed (CAP 1.2 msgType).
_EVENT_ZH = {"Alert": "发布", "Update": "调整", "Cancel": "解除"}
# hazeguard-<jurisdiction code>-w<warning id>-<issue|lift>, see presenters.message_id.
_MESSAGE_ID = re.compile(r"^hazeguard-[-\w]+-w(?P<pk>\d{1,12})-(?:issue|lift)$")


@require_safe
def level_styles(request: HttpRequest) -> HttpResponse:
    """The level and AQI colours as CSS, from the core (public/styles.py); cached a day."""
    response = HttpResponse(level_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Every jurisdiction with the warning in force, its colour, response, period and measures."""
    places = Jurisdiction.objects.select_related("parent").order_by("parent_id", "code")
    statuses = statuses_of(list(places), brief=True)
    # Warnings in force come first; the rest keep their order (sort is stable).
    statuses.sort(key=lambda status: status.warning is None)
    context = {"statuses": statuses, "cards_key": statuses_key(statuses)}
    return render(request, "public/home.html", context)


@require_safe
def jurisdiction(request: HttpRequest, code: str) -> HttpResponse:
    """One jurisdiction: the warning in force with every public measure, forecast and history."""
    place = get_object_or_404(Jurisdiction, code=code)
    forecast_days = ForecastDay.objects.filter(forecast__jurisdiction=place).order_by(
        "-forecast__issued_at", "-forecast_id", "day"
    )
    newest = forecast_days.first()
    days = forecast_days.filter(forecast_id=newest.forecast_id) if newest else []
    past = warning_history.rows_of(published().filter(jurisdiction=place)[:20])
    statuses = statuses_of([place])
    context = {
        "status": statuses[0],
        "card_key": statuses_key(statuses),
        "days": days,
        "history": past,
        "header": warning_history.header(),
    }
    return render(request, "public/jurisdiction.html", context)


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    """Published warnings, newest first, filtered by jurisdiction, level and year, a page at a
    time; a bad filter value is said on the form (400)."""
    form = HistoryFilter(request.GET)
    context: dict[str, object] = {"form": form, "header": warning_history.header()}
    if not form.is_valid():
        return render(request, "public/history.html", context, status=400)
    per_page = form.cleaned_data.get("per_page") or PER_PAGE
    page = Paginator(form.warnings(), per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {
        "page": page,
        "rows": warning_history.rows_of(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "public/history.html", context)


@require_safe
def history_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered history as CSV, every row, in the page's language."""
    form = HistoryFilter(request.GET)
    if not form.is_valid():
        return render(request, "public/history.html", {"form": form}, status=400)
    rows = warning_history.csv_rows(form.warnings().iterator())
    return csv_response("hazeguard-warnings.csv", warning_history.header(), rows)


@require_safe
def emission_list_page(request: HttpRequest, code: str) -> HttpResponse:
    """The jurisdiction's emission-reduction list for the public, a page at a time."""
    place = get_object_or_404(Jurisdiction, code=code)
    search = request.GET.get("q", "")[:100]
    page = Paginator(emission_list.listed(place, search), emission_list.PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "place": place,
        "place_name": place_name(place),
        "page": page,
        "rows": emission_list.rows_of(page.object_list),
        "search": search,
        "query": query.urlencode(),
    }
    return render(request, "public/emission_list.html", context)


@require_safe
def emission_list_csv(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The whole list as CSV, in the page's language."""
    place = get_object_or_404(Jurisdiction, code=code)
    enterprises = emission_list.listed(place, request.GET.get("q", "")[:100])
    rows = emission_list.csv_rows(enterprises.iterator(chunk_size=500))
    return csv_response(f"emission-list-{place.code}.csv", emission_list.header(), rows)


def _sender(request: HttpRequest) -> str:
    # CAP 1.2 §3.2.1: the sender identifies the originator; the site's host names it here.
    return f"hazeguard@{request.get_host().split(':')[0]}"


def _all_messages() -> list[CapMessageRef]:
    messages: dict[str, CapMessageRef] = {}
    # The newest published warnings: older messages stay reachable by their own address.
    recent = published_in_cap()[:FEED_WARNINGS]
    for warning in recent.select_related("jurisdiction", "supersedes"):
        for message in messages_of(warning):
            messages[message.identifier] = message
    # Oldest first; at the same second an issue comes before a lifting.
    return sorted(messages.values(), key=lambda m: (m.sent, m.kind == "lift", m.warning.pk))


@require_safe
def cap_feed(request: HttpRequest) -> HttpResponse:
    """The Atom index of every CAP message, newest first."""
    entries = [
        AtomEntry(
            identifier=f"urn:hazeguard:cap:{m.identifier}",
            title=" ".join(
                (m.warning.jurisdiction.name_zh, level_zh(m.warning.level) + _EVENT_ZH[m.msg_type])
            ),
            updated=m.sent,
            cap_url=request.build_absolute_uri(reverse("public:cap_message", args=[m.identifier])),
            html_url=request.build_absolute_uri(
                reverse("public:jurisdiction", args=[m.warning.jurisdiction.code])
            ),
            summary=" ".join(
                (level_zh(m.warning.level), f"{response_zh(m.warning.response)}应急响应")
            ),
        )
        # Newest first: atom_index keeps this order for messages sent at the same second.
        for m in reversed(_all_messages())
    ]
    text = atom_index(
        feed_id=f"urn:hazeguard:cap:{request.get_host()}",
        title="HazeGuard 重污染天气预警 CAP",
        self_url=request.build_absolute_uri(),
        author="HazeGuard",
        entries=entries,
        updated=timezone.now(),
    )
    return HttpResponse(text, content_type="application/atom+xml; charset=utf-8")


@require_safe
def cap_message_view(request: HttpRequest, identifier: str) -> HttpResponse:
    """One CAP 1.2 message, referencing the earlier messages of its warning."""
    found = _MESSAGE_ID.match(identifier)
    warning = published_in_cap().filter(pk=int(found["pk"])).first() if found else None
    chain = messages_of(warning) if warning else []
    for position, message in enumerate(chain):
        if message.identifier == identifier:
            code = message.warning.jurisdiction.code
            web = request.build_absolute_uri(reverse("public:jurisdiction", args=[code]))
            cap = cap_warning_for(message, chain[:position], sender=_sender(request), web=web)
            return HttpResponse(
                cap_sign(cap_message(cap)), content_type=f"{CAP_MEDIA_TYPE}; charset=utf-8"
            )
    raise Http404(f"no CAP message {identifier}")
