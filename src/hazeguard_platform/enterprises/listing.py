"""Storing a validated emission list (the core's objects) as rows; used by the import service."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import timezone

from hazeguard.documents.measure_text import describe
from hazeguard.reduction.model import Enterprise, Measure
from hazeguard_platform.enterprises.models import ListedEnterprise, ProductionUnit, SiteMeasure
from hazeguard_platform.jurisdictions.models import Jurisdiction


def _fields(enterprise: Enterprise) -> dict[str, object]:
    return {
        "name": enterprise.name,
        "county": enterprise.county,
        "industry_code": enterprise.industry_code,
        "key_industry": enterprise.key_industry or "",
        "grade": enterprise.grade.value,
        "category": enterprise.category.value,
        "essential_basis": enterprise.essential_basis.value if enterprise.essential_basis else "",
        "details": {
            "truck_trips": [[t.stage.value, t.trips_per_day] for t in enterprise.truck_trips],
            "power_meters": list(enterprise.power_meters),
            "coal_or_oil_fired": enterprise.coal_or_oil_fired,
            "toxic_pollutants": enterprise.toxic_pollutants,
        },
        "listed": True,
        "updated_at": timezone.now(),
    }


def measure_row(measure: Measure) -> dict[str, object]:
    """The stored fields of one core ``Measure`` (also copied onto the tasks it opens)."""
    return {
        "level": measure.level.value,
        "kind": measure.kind.value,
        "unit_ids": list(measure.unit_ids),
        "fraction": measure.fraction,
        "amount": measure.amount,
        "base_amount": measure.base_amount,
        "batch": measure.batch,
        "batches": measure.batches,
        "truck_stage": measure.truck_stage.value if measure.truck_stage else "",
        "reason": measure.reason,
        "text": measure.text,
        "rule_ref": measure.rule_ref or "",
    }


def store_enterprises(
    jurisdiction: Jurisdiction,
    enterprises: Iterable[Enterprise],
    output_value: Mapping[tuple[str, str], float] | None = None,
) -> tuple[int, int, list[dict[str, str]]]:
    """Create or update each enterprise with its units and measures (replaced as a whole);
    ``output_value`` maps (credit code, unit id) to the unit's daily output value [yuan/d].

    Returns (created, updated, grade changes as ``{"credit_code", "before", "after"}``).
    Call inside the import's transaction.
    """
    created = updated = 0
    grade_changes: list[dict[str, str]] = []
    existing = {
        e.credit_code: e for e in ListedEnterprise.objects.filter(jurisdiction=jurisdiction)
    }
    for enterprise in enterprises:
        fields = _fields(enterprise)
        row = existing.get(enterprise.credit_code)
        if row is None:
            row = ListedEnterprise.objects.create(
                jurisdiction=jurisdiction, credit_code=enterprise.credit_code, **fields
            )
            created += 1
        else:
            if row.grade != enterprise.grade.value:
                grade_changes.append(
                    {
                        "credit_code": row.credit_code,
                        "before": row.grade,
                        "after": str(fields["grade"]),
                    }
                )
            ListedEnterprise.objects.filter(pk=row.pk).update(**fields)
            row.units.all().delete()
            row.measures.all().delete()
            updated += 1
        ProductionUnit.objects.bulk_create(
            ProductionUnit(
                enterprise=row,
                unit_id=u.unit_id,
                name=u.name,
                process=u.process,
                capacity=u.capacity,
                capacity_unit=u.capacity_unit,
                status=u.status.value,
                so2=u.baseline.so2,
                nox=u.baseline.nox,
                pm=u.baseline.pm,
                vocs=u.baseline.vocs,
                output_value=(output_value or {}).get((enterprise.credit_code, u.unit_id)),
            )
            for u in enterprise.units
        )
        SiteMeasure.objects.bulk_create(
            SiteMeasure(
                enterprise=row,
                position=position,
                description=describe(m, enterprise),
                **measure_row(m),
            )
            for position, m in enumerate(enterprise.measures)
        )
    return created, updated, grade_changes
