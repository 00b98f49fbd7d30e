"""The forms of the warning pages: propose, issue, adjust, lift, withdraw, reject. They check the
shape of the input only; every rule lives in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hazeguard.vocabulary import WARNING_LEVELS
from hazeguard_platform.pages import level_choices


class ProposeForm(forms.Form):
    """Propose a warning for a jurisdiction, from a forecast (and its consultation).

    ``levels`` are ``(name, label)`` of the plan's levels (a plan without blue offers no blue);
    ``consultations`` ``(id, label)`` of the jurisdiction's consultations: nobody types an id.
    """

    level = forms.ChoiceField(label=_("Level"))
    forecast = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    consultation = forms.TypedChoiceField(
        label=_("Consultation"), coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 6}))
    # An exercise (演练) where the plan provides for drills: never shown to the public.
    drill = forms.BooleanField(label=_("Drill (exercise)"), required=False)

    def __init__(
        self,
        *args: Any,
        levels: list[tuple[str, str]],
        consultations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = levels
        consultation = self.fields["consultation"]
        assert isinstance(consultation, forms.ChoiceField)
        consultation.choices = [("", _("none")), *consultations]


class IssueForm(forms.Form):
    """Issue an approved warning; a start sooner than the plan's lead time needs a reason."""

    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        required=False,
        help_text=_("Filled in with the earliest start the engine computed."),
        widget=forms.DateTimeInput(format="%Y-%m-%d %H:%M"),
    )
    short_lead_reason = forms.CharField(
        label=_("Reason for a short lead time"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The forecast episode's end, pre-filled from the decision: lifting from then on is lifting
    # on schedule where the plan has it (001 §3.7.2).
    ends_at = forms.DateTimeField(label=_("Announced end"), required=False)


class AdjustForm(forms.Form):
    """Propose another level for the warning in force (upgrade or downgrade). The page offers the
    plan's other levels; any warning level passes the form and the service judges it."""

    level = forms.ChoiceField(label=_("New level"))
    forecast = forms.IntegerField(label=_("Forecast"), min_value=1, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, levels: Iterable[str] = WARNING_LEVELS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = level_choices(levels)


class LiftForm(forms.Form):
    """Take the next step of lifting the warning in force (the first step states why)."""

    note = forms.CharField(
        label=_("Why it is lifted"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Lifting ends the measures for everyone: the button does nothing until this is ticked.
    confirm = forms.BooleanField(label=_("I confirm: lift this warning"))


class WithdrawForm(forms.Form):
    """Withdraw a proposal (it leaves the approval queue for good)."""

    confirm = forms.BooleanField(label=_("I confirm: withdraw this proposal"))


class RejectForm(forms.Form):
    """Refuse a proposal."""

    note = forms.CharField(label=_("Why it is refused"), widget=forms.Textarea(attrs={"rows": 2}))
