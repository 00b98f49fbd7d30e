"""The emission-reduction list as the public reads it (000 §6.4 "及时向社会公布", 003 §10
"向社会公开"): each listed enterprise's name, credit code, county, industry, category, grade and
its measures at each warning level, in the active language.

Nothing about people: no contacts, phone numbers, details (``ListedEnterprise.details``) or
production figures leave the office's pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from hazeguard.reduction.enums import LEVELS
from hazeguard_platform.enterprises.models import ListedEnterprise, SiteMeasure
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.public.presenters import category_name, grade_name, level_name

PER_PAGE = 50


def listed(jurisdiction: Jurisdiction, search: str = "") -> QuerySet[ListedEnterprise]:
    """The jurisdiction's listed enterprises, by county and name, with their measures."""
    found = ListedEnterprise.objects.filter(jurisdiction=jurisdiction, listed=True)
    if search:
        found = found.filter(name__icontains=search.strip())
    measures = SiteMeasure.objects.only("enterprise_id", "level", "position", "description")
    return (
        found.only(
            "pk",
            "credit_code",
            "name",
            "county",
            "industry_code",
            "key_industry",
            "grade",
            "category",
        )
        .order_by("county", "name", "pk")
        .prefetch_related(Prefetch("measures", queryset=measures.order_by("position")))
    )


@dataclass(frozen=True)
class ListedRow:
    """One enterprise as the public reads it; ``measures`` is (level name, descriptions)."""

    name: str
    credit_code: str
    county: str
    industry: str
    category: str
    grade: str
    measures: tuple[tuple[str, tuple[str, ...]], ...]


def rows_of(enterprises: Iterable[ListedEnterprise]) -> list[ListedRow]:
    """The rows of ``enterprises`` (their ``measures`` prefetched) in the active language."""
    rows = []
    for enterprise in enterprises:
        by_level = {
            level: tuple(m.description for m in enterprise.measures.all() if m.level == level)
            for level in LEVELS
        }
        rows.append(
            ListedRow(
                name=enterprise.name,
                credit_code=enterprise.credit_code,
                county=enterprise.county,
                industry=enterprise.industry_code,  # GB/T 4754 (key_industry is a rule-table key)
                category=category_name(enterprise.category),
                grade=grade_name(enterprise.grade),
                measures=tuple((level_name(level), by_level[level]) for level in LEVELS),
            )
        )
    return rows


def header() -> list[str]:
    """The CSV's column names in the active language."""
    names = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("County"),
        _("Industry"),
        _("Category"),
        _("Performance grade"),
    ]
    return [str(name) for name in names] + [level_name(level) for level in LEVELS]


def csv_rows(enterprises: Iterable[ListedEnterprise]) -> Iterator[list[str]]:
    """The CSV rows under :func:`header`; the measures of one level joined by "；"."""
    for row in rows_of(enterprises):
        cells = [row.name, row.credit_code, row.county, row.industry, row.category, row.grade]
        yield cells + ["；".join(texts) for _, texts in row.measures]
