"""Public pages (no sign-in) and the CAP 1.2 feed: only published warnings are shown."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from hazeguard.cap import CAP_MEDIA_TYPE, AtomEntry, atom_index, cap_message
from hazeguard_platform.cap_signing import cap_sign
from hazeguard_platform.forecasts.models import ForecastDay
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.public.presenters import (
    PUBLISHED_STATES,
    CapMessageRef,
    cap_warning_for,
    messages_of,
)
from hazeguard_platform.public.selectors import statuses_key, statuses_of
from hazeguard_platform.warnings.models import Warning

FEED_WARNINGS = 300
# hazeguard-<jurisdiction code>-w<warning id>-<issue|lift>, see presenters.message_id.
_MESSAGE_ID = re.compile(r"^hazeguard-[-\w]+-w(?P<pk>\d{1,12})-(?:issue|lift)$")


def _published() -> QuerySet[Warning]:
    # A drill (演练) never reaches the public; CAP carries warning levels, not the advisory notice.
    return Warning.objects.filter(
        state__in=PUBLISHED_STATES, issued_at__isnull=False, drill=False
    ).exclude(level="advisory")


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
    history = _published().filter(jurisdiction=place).order_by("-issued_at")[:50]
    statuses = statuses_of([place])
    context = {
        "status": statuses[0],
        "card_key": statuses_key(statuses),
        "days": days,
        "history": history,
    }
    return render(request, "public/jurisdiction.html", context)


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    """Every published warning, newest first."""
    warnings = _published().select_related("jurisdiction").order_by("-issued_at")[:200]
    return render(request, "public/history.html", {"warnings": warnings})


def _sender(request: HttpRequest) -> str:
    # CAP 1.2 §3.2.1: the sender identifies the originator; the site's host names it here.
    return f"hazeguard@{request.get_host().split(':')[0]}"


def _all_messages() -> list[CapMessageRef]:
    messages: dict[str, CapMessageRef] = {}
    # The newest published warnings: older messages stay reachable by their own address.
    recent = _published().order_by("-issued_at")[:FEED_WARNINGS]
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
            title=f"{m.msg_type}: {m.warning.jurisdiction.name_zh} {m.warning.level}",
            updated=m.sent,
            cap_url=request.build_absolute_uri(reverse("public:cap_message", args=[m.identifier])),
            html_url=request.build_absolute_uri(
                reverse("public:jurisdiction", args=[m.warning.jurisdiction.code])
            ),
            summary=f"{m.msg_type} {m.warning.level} {m.warning.response}",
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
    warning = _published().filter(pk=int(found["pk"])).first() if found else None
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
