"""The public subscription form: a jurisdiction, a channel and an address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.subscriptions.models import Channel


class JurisdictionChoice(forms.ModelChoiceField[Jurisdiction]):
    """Jurisdictions by their public name (no ids shown)."""

    def label_from_instance(self, obj: Jurisdiction) -> str:
        from hazeguard_platform.public.presenters import place_name

        return place_name(obj)


class SubscribeForm(forms.Form):
    jurisdiction = JurisdictionChoice(
        queryset=Jurisdiction.objects.order_by("parent_id", "code"),
        to_field_name="code",
        label=_("Warnings of"),
        empty_label=None,
    )
    channel = forms.ChoiceField(
        choices=Channel.choices, initial=Channel.EMAIL, widget=forms.RadioSelect, label=_("By")
    )
    address = forms.CharField(
        max_length=254,
        label=_("E-mail address or mobile number"),
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
