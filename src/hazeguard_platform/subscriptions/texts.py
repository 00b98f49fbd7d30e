"""What a subscriber reads, written once per message in the language the person subscribed in.

Only public facts: the place, the level, the response, the times and the public page. The
office's internal reason (依据) is never put in a subscriber's message (docs/public.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hazeguard.vocabulary import LEVELS, RESPONSE_NUMERAL_ZH
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices import conf
from hazeguard_platform.pages import page_language
from hazeguard_platform.public.presenters import place_name, when
from hazeguard_platform.subscriptions.models import Channel
from hazeguard_platform.warnings.models import Warning


@dataclass(frozen=True)
class Text:
    """A message's subject (e-mail only) and its text."""

    subject: str
    text: str


def colour_name(level: str) -> str:
    """``红色`` / ``red`` (the sentences add 预警 / warning), from the core's vocabulary."""
    terms = LEVELS.get(level)
    if terms is None:
        return level
    if page_language() == "en":
        return terms.name_en.removesuffix(" warning")
    return terms.colour_zh or terms.name_zh


def response_name(response: str) -> str:
    """``Ⅰ级`` / ``level I`` (the sentences add 应急响应 / emergency response)."""
    if page_language() == "en":
        return f"level {response}"
    return RESPONSE_NUMERAL_ZH.get(response, response)


def _page(jurisdiction: Jurisdiction) -> str:
    return conf.base_url() + reverse("public:jurisdiction", args=[jurisdiction.code])


def confirm_text(
    *, jurisdiction: Jurisdiction, channel: str, language: str, confirm: str, end: str
) -> Text:
    """The double opt-in request sent to a new address."""
    with translation.override(language):
        place = place_name(jurisdiction)
        subject = _("Please confirm your subscription to %(place)s heavy pollution warnings") % {
            "place": place
        }
        if channel == Channel.SMS:
            text = _(
                "[HazeGuard] To receive %(place)s heavy pollution warnings, confirm: %(confirm)s "
                "Not you? Ignore this. Unsubscribe: %(end)s"
            ) % {"place": place, "confirm": confirm, "end": end}
            return Text(subject, text)
        lines = [
            _(
                "Someone, we hope you, asked HazeGuard to send the heavy pollution weather "
                "warnings of %(place)s to this address."
            )
            % {"place": place},
            _("Open this link to confirm the subscription (valid for 7 days):"),
            confirm,
            "",
            _("If it was not you, ignore this message: without confirmation nothing more is sent."),
            "",
            _("Unsubscribe: %(end)s") % {"end": end},
        ]
        return Text(subject, "\n".join(lines))


def _sentence(warning: Warning, event: str, place: str) -> str:
    facts = {
        "place": place,
        "level": colour_name(warning.level),
        "response": response_name(warning.response),
        "start": when(warning.starts_at or warning.issued_at, year=False),
        "end": when(warning.ended_at or timezone.now(), year=False),
    }
    if event == "lift":
        return _("%(place)s lifted its %(level)s heavy pollution warning at %(end)s.") % facts
    if event == "adjust":
        return (
            _(
                "%(place)s adjusted its heavy pollution warning to %(level)s: "
                "%(response)s emergency response from %(start)s."
            )
            % facts
        )
    return (
        _(
            "%(place)s issued a %(level)s heavy pollution warning: "
            "%(response)s emergency response from %(start)s."
        )
        % facts
    )


def _subject(warning: Warning, event: str, place: str) -> str:
    facts = {"place": place, "level": colour_name(warning.level)}
    if event == "lift":
        return _("%(place)s: %(level)s warning lifted") % facts
    if event == "adjust":
        return _("%(place)s: warning adjusted to %(level)s") % facts
    return _("%(place)s: %(level)s warning issued") % facts


def warning_text(
    *,
    warning: Warning,
    event: str,
    subscribed_to: Jurisdiction,
    channel: str,
    language: str,
    end: str,
) -> Text:
    """The message of a warning issued, adjusted or lifted, for one subscriber of
    ``subscribed_to`` (the warning's jurisdiction or one of its counties)."""
    with translation.override(language):
        sentence = _sentence(warning, event, place_name(warning.jurisdiction))
        page = _page(subscribed_to)
        subject = _subject(warning, event, place_name(warning.jurisdiction))
        if channel == Channel.SMS:
            text = _("[HazeGuard] %(sentence)s Details: %(page)s Unsubscribe: %(end)s") % {
                "sentence": sentence,
                "page": page,
                "end": end,
            }
            return Text(subject, text)
        lines = [
            sentence,
            "",
            _("What to do, the measures in force and health advice: %(page)s") % {"page": page},
            "",
            _("You receive this because this address subscribed to %(place)s warnings.")
            % {"place": place_name(subscribed_to)},
            _("Unsubscribe: %(end)s") % {"end": end},
        ]
        return Text(subject, "\n".join(lines))
