"""Words the staff pages show for the core's codes, in the page's language (STYLE.md §27).

A template library below the apps (``settings.TEMPLATES`` registers it as ``staff_words``), so
every app's staff pages load it without depending on another app."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from hazeguard.deadlines import DEADLINE_NAMES, deadline_name
from hazeguard.vocabulary import (
    RESPONSE_NUMERAL_ZH,
    ROLE_NAMES,
    level_name,
    response_name,
    role_name,
)
from hazeguard_platform.core import CHINA
from hazeguard_platform.pages import label_in, page_language
from hazeguard_platform.public.presenters import category_name, grade_name, when

register = template.Library()


@register.filter(name="level_name")
def level_label(level: str) -> str:
    """``红色预警`` / ``red warning`` (the core's vocabulary); unknown names as they are."""
    return level_name(level, page_language())


@register.filter
def role_label(role: str) -> str:
    """``指挥长`` / ``commander`` for a plan's role; unknown roles as they are."""
    if role not in ROLE_NAMES:
        return role
    return role_name(role, page_language())


@register.filter
def plan_time(text: str | None) -> str:
    """A time the engine gives as naive China time (``2026-01-05T00:00``) written for people
    (``1月5日 00:00``); empty for none."""
    if not text:
        return ""
    return when(datetime.fromisoformat(str(text)).replace(tzinfo=CHINA), year=False)


def day_list(periods: list[str], language: str) -> str:
    """``12月6日、12月7日`` / ``6 Dec, 7 Dec`` for the engine's ISO days; other labels as given."""
    shown = []
    for period in periods:
        try:
            day = date.fromisoformat(period)
        except ValueError:
            shown.append(period)
            continue
        shown.append(f"{day.day} {day:%b}" if language == "en" else f"{day.month}月{day.day}日")
    return (", " if language == "en" else "、").join(shown)


@register.filter
def plan_days(periods: list[str] | None) -> str:
    """The engine's matched days for people, in the page's language."""
    return day_list(list(periods or []), page_language())


@register.filter
def one_language(label: str) -> str:
    """The page's half of a ``"中文 english"`` choice label (the models' states:
    ``已提请 proposed`` → ``已提请`` / ``proposed``)."""
    return label_in(label, page_language())


@register.filter
def deadline_label(state: str) -> str:
    """``未到期`` / ``not yet due`` and the other states of ``hazeguard.deadlines``."""
    if state not in DEADLINE_NAMES:
        return state
    return deadline_name(state, page_language())


@register.filter
def response_label(response: str) -> str:
    """``Ⅲ级应急响应`` / ``level III response`` (the core's vocabulary); others as they are."""
    if response not in RESPONSE_NUMERAL_ZH:
        return str(response or "")
    return response_name(response, page_language())


# A listed enterprise's performance grade and category in the page's language (``B级`` / ``B``).
register.filter("grade_label", grade_name)
register.filter("category_label", category_name)
