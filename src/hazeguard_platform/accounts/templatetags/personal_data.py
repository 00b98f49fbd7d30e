"""``{% load personal_data %}``: ``{{ address|masked:show_contacts }}`` masks a phone number or
e-mail address unless the page's viewer needs it (accounts/personal_data.py)."""

from __future__ import annotations

from django import template

from hazeguard_platform.accounts.personal_data import mask_address

register = template.Library()


@register.filter
def masked(address: str, shown: bool) -> str:
    return address if shown else mask_address(address)
