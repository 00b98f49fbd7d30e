"""The emission list's changes in a year (issue 13 §3), from what the platform stored: each list
import's counts (enterprises added, updated, delisted) and the grade changes it made (its audit
record), and the downgrades supervision confirmed after inspections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.core import CHINA
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.supervision.models import GradeDowngrade


@dataclass(frozen=True)
class ListImportRow:
    """One list import of the year: when, and how many enterprises it added, updated, delisted."""

    day: dt.date
    filename: str
    created: int
    updated: int
    delisted: int


@dataclass(frozen=True)
class GradeChange:
    """An enterprise's performance grade changed: by a list import or by a confirmed downgrade
    after an inspection (``by`` ``list`` or ``supervision``)."""

    day: dt.date
    credit_code: str
    name: str
    before: str
    after: str
    by: str


@dataclass(frozen=True)
class ListChanges:
    """The year's list imports and grade changes, oldest first."""

    imports: tuple[ListImportRow, ...]
    grade_changes: tuple[GradeChange, ...]

    @property
    def added(self) -> int:
        return sum(row.created for row in self.imports)

    @property
    def delisted(self) -> int:
        return sum(row.delisted for row in self.imports)


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, CHINA).date()


def list_changes_for(place: Jurisdiction, year: int) -> ListChanges:
    """The list changes of ``place`` in ``year`` (China time)."""
    imports = list(
        ListImport.objects.filter(
            jurisdiction=place,
            state=ListImport.State.IMPORTED,
            finished_at__year=year,
        ).order_by("finished_at")
    )
    names = dict(
        ListedEnterprise.objects.filter(jurisdiction=place).values_list("credit_code", "name")
    )
    changes: list[GradeChange] = []
    records = AuditEntry.objects.filter(
        action="emission_list.import",
        object_type="enterprises.listimport",
        object_id__in=[str(i.pk) for i in imports],
    )
    finished = {str(i.pk): i.finished_at for i in imports}
    for entry in records:
        moment = finished.get(entry.object_id) or entry.at
        for change in (entry.after or {}).get("grade_changes", []):
            code = str(change.get("credit_code", ""))
            changes.append(
                GradeChange(
                    _day(moment),
                    code,
                    names.get(code, code),
                    str(change.get("before", "")),
                    str(change.get("after", "")),
                    "list",
                )
            )
    downgrades = GradeDowngrade.objects.filter(
        enterprise__jurisdiction=place,
        state=GradeDowngrade.State.CONFIRMED,
        confirmed_at__year=year,
    ).select_related("enterprise")
    for downgrade in downgrades:
        assert downgrade.confirmed_at is not None  # confirmed ones carry their time
        changes.append(
            GradeChange(
                _day(downgrade.confirmed_at),
                downgrade.enterprise.credit_code,
                downgrade.enterprise.name,
                downgrade.from_grade,
                downgrade.to_grade,
                "supervision",
            )
        )
    rows = tuple(
        ListImportRow(
            _day(i.finished_at) if i.finished_at else _day(i.uploaded_at),
            i.filename,
            i.created,
            i.updated,
            i.delisted,
        )
        for i in imports
    )
    return ListChanges(rows, tuple(sorted(changes, key=lambda c: (c.day, c.credit_code))))
