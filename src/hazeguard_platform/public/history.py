"""The public history of warnings: the filter (jurisdiction, level, year), the rows a page and the
CSV show, in the active language. Only published warnings; never the office's reason."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard.cap import LEVEL_ZH
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.public.presenters import (
    PUBLISHED_STATES,
    level_name,
    place_name,
    public_state,
    response_name,
    when,
)
from hazeguard_platform.warnings.models import Warning

# Rows per page (``?per_page=`` may ask for fewer or more, within these bounds).
PER_PAGE = 50
PER_PAGE_MAX = 200
FIRST_YEAR = 2013  # the first heavy pollution weather plans (State Council, 2013)


def published() -> QuerySet[Warning]:
    """Every warning made public, newest first, Liaocheng's advisory notice (提示信息, 003 §3.1:
    public information too) among them. A drill (演练) never reaches the public."""
    return (
        Warning.objects.filter(state__in=PUBLISHED_STATES, issued_at__isnull=False, drill=False)
        .select_related("jurisdiction")
        .order_by("-issued_at", "-pk")
    )


def published_in_cap() -> QuerySet[Warning]:
    """The published warnings CAP carries: warning levels only, never the advisory notice (CAP's
    severity and the feed speak of warning levels; the advisory is no level of the plan)."""
    return published().exclude(level="advisory")


class PlaceChoice(forms.ModelChoiceField[Jurisdiction]):
    def label_from_instance(self, obj: Jurisdiction) -> str:
        return place_name(obj)


def _levels() -> list[tuple[str, str]]:
    shown = ("advisory", *LEVEL_ZH)  # the advisory notice below the warning levels
    return [("", str(_("All levels")))] + [(level, level_name(level)) for level in shown]


def _years() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", str(_("All years")))] + [
        (str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
    ]


class HistoryFilter(forms.Form):
    """``?jurisdiction=<code>&level=<colour>&year=<yyyy>``; all optional."""

    jurisdiction = PlaceChoice(
        queryset=Jurisdiction.objects.order_by("parent_id", "code"),
        to_field_name="code",
        required=False,
        label=_("Jurisdiction"),
        empty_label=_("All jurisdictions"),
    )
    level = forms.ChoiceField(required=False, label=_("Level"))
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Year"))
    per_page = forms.IntegerField(
        required=False, min_value=1, max_value=PER_PAGE_MAX, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("level", _levels()), ("year", _years())):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # declared above
            field.choices = choices

    def warnings(self) -> QuerySet[Warning]:
        """The published warnings the valid filter selects. Without a jurisdiction, the
        counties' copies of a city's regional warning are left out (the city's row stands for
        them); with one, all of its warnings are listed."""
        data = self.cleaned_data
        found = published()
        if data.get("jurisdiction"):
            found = found.filter(jurisdiction=data["jurisdiction"])
        else:
            found = found.filter(regional_source__isnull=True)
        if data.get("level"):
            found = found.filter(level=data["level"])
        if data.get("year"):
            found = found.filter(issued_at__year=data["year"])
        return found


@dataclass(frozen=True)
class HistoryRow:
    """One published warning as the public reads it."""

    pk: int
    code: str
    place: str
    level: str
    level_label: str
    response: str
    issued: str
    starts: str
    ends: str
    state: str


def rows_of(warnings: Iterable[Warning]) -> list[HistoryRow]:
    """The rows of ``warnings`` in the active language."""
    return [
        HistoryRow(
            pk=w.pk,
            code=w.jurisdiction.code,
            place=place_name(w.jurisdiction),
            level=w.level,
            level_label=level_name(w.level),
            response=response_name(w.response),
            issued=when(w.issued_at),
            starts=when(w.starts_at or w.issued_at),
            ends=when(w.ended_at),
            state=public_state(w),
        )
        for w in warnings
    ]


def header() -> list[str]:
    """The column names of the table and the CSV, in the active language."""
    names = (
        _("Jurisdiction"),
        _("Level"),
        _("Response"),
        _("Issued"),
        _("Starts"),
        _("Ends"),
        _("State"),
    )
    return [str(name) for name in names]


def csv_rows(warnings: Iterable[Warning]) -> Iterator[list[str]]:
    """The CSV rows under :func:`header`."""
    for warning in warnings:
        (row,) = rows_of([warning])
        cells = [row.place, row.level_label, row.response, row.issued, row.starts, row.ends]
        yield [*cells, row.state]
