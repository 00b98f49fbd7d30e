"""Template filters for warning levels and responses in Chinese (`{% load hazeguard_levels %}`)."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.translation import get_language

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.public.presenters import approver_zh as _approver_zh
from hazeguard_platform.public.presenters import level_name as _level_name
from hazeguard_platform.public.presenters import level_zh as _level_zh
from hazeguard_platform.public.presenters import place_name as _place_name
from hazeguard_platform.public.presenters import public_state as _public_state
from hazeguard_platform.public.presenters import response_zh as _response_zh
from hazeguard_platform.public.presenters import when as _when
from hazeguard_platform.warnings.models import Warning

register = template.Library()


@register.filter
def level_zh(level: str) -> str:
    """``红色`` for ``red``."""
    return _level_zh(level)


@register.filter
def level_name(level: str) -> str:
    """``红色预警`` / ``Red warning``, ``提示信息`` / ``Advisory notice``, ``无预警`` /
    ``No warning`` in the active language."""
    return _level_name(level or "none")


@register.filter
def iso_when(text: str | None) -> str:
    """``2026-12-06 00:00`` for the engine's ``2026-12-06T00:00:00`` (China time); as given when
    it is not an ISO time."""
    if not text:
        return ""
    try:
        return datetime.fromisoformat(str(text)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(text)


@register.filter
def percent(share: float | None) -> str:
    """``37 %`` for 0.37; ``—`` when unknown."""
    return "—" if share is None else f"{round(100 * share)} %"


@register.filter
def response_zh(response: str) -> str:
    """``Ⅰ级`` for ``I``."""
    return _response_zh(response)


@register.filter
def approver_zh(role: str) -> str:
    """``指挥长`` for ``commander``."""
    return _approver_zh(role)


@register.filter
def when(moment: datetime | None) -> str:
    """``1月5日 08:00`` / ``5 Jan 08:00`` (China Standard Time, the active language)."""
    return _when(moment, year=False)


@register.filter
def when_dated(moment: datetime | None) -> str:
    """``2026年1月5日 08:00`` / ``5 Jan 2026 08:00``."""
    return _when(moment)


@register.filter
def day_name(day: date | None) -> str:
    """``1月5日`` / ``5 Jan`` of a calendar date."""
    if day is None:
        return ""
    return f"{day.day} {day:%b}" if get_language() == "en" else f"{day.month}月{day.day}日"


@register.filter
def public_state(warning: Warning) -> str:
    """``生效中`` / ``In force``: a warning's state as the public reads it."""
    return _public_state(warning)


@register.filter
def place(jurisdiction: Jurisdiction) -> str:
    """A jurisdiction's name in the active language."""
    return _place_name(jurisdiction)
