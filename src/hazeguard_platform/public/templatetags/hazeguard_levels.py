"""Template filters for warning levels and responses in Chinese (`{% load hazeguard_levels %}`)."""

from __future__ import annotations

from django import template

from hazeguard_platform.public.presenters import approver_zh as _approver_zh
from hazeguard_platform.public.presenters import level_zh as _level_zh
from hazeguard_platform.public.presenters import response_zh as _response_zh

register = template.Library()


@register.filter
def level_zh(level: str) -> str:
    """``红色`` for ``red``."""
    return _level_zh(level)


@register.filter
def response_zh(response: str) -> str:
    """``Ⅰ级`` for ``I``."""
    return _response_zh(response)


@register.filter
def approver_zh(role: str) -> str:
    """``指挥长`` for ``commander``."""
    return _approver_zh(role)
