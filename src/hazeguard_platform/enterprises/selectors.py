"""Reading the list, and who may see an enterprise (STYLE.md §12: one function per object type)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import models
from django.http import Http404

from hazeguard.reduction.model import (
    Emissions,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    EssentialBasis,
    Grade,
    Measure,
    MeasureKind,
    ProductionUnit,
    TruckTrips,
    UnitStatus,
    WarningLevel,
)
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.enterprises.models import (
    EnterpriseContact,
    EnterpriseTask,
    ListedEnterprise,
)
from hazeguard_platform.jurisdictions.models import Jurisdiction


def _staff_jurisdiction_ids(user: Actor) -> set[int]:
    """Jurisdictions where ``user`` holds a role other than enterprise contact.

    An enterprise contact's role is per jurisdiction, but it opens only the enterprises the
    person is linked to (EnterpriseContact), never the jurisdiction's whole list.
    """
    if not isinstance(user, User) or not user.is_active:
        return set()
    return set(
        Membership.objects.filter(user=user)
        .exclude(role=Role.ENTERPRISE_CONTACT)
        .values_list("jurisdiction_id", flat=True)
    )


def is_staff_of(user: Actor, jurisdiction: Jurisdiction) -> bool:
    """True when ``user`` holds a staff role in ``jurisdiction`` or a jurisdiction above it."""
    scope = {jurisdiction.pk, *(j.pk for j in jurisdiction.ancestors())}
    return bool(_staff_jurisdiction_ids(user) & scope)


def is_county_staff_of(user: Actor, enterprise: ListedEnterprise) -> bool:
    """True when ``user`` holds a staff role in the county the enterprise is listed in (a child
    jurisdiction of the list's jurisdiction with the enterprise's county name): county officers
    answer for the listed enterprises of their county (seed 003 §1.4:
    各县（市、区）…辖区内列入限产、停产名单的企业)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return (
        Membership.objects.filter(
            user=user,
            jurisdiction__parent_id=enterprise.jurisdiction_id,
            jurisdiction__name_zh=enterprise.county,
        )
        .exclude(role=Role.ENTERPRISE_CONTACT)
        .exists()
    )


def is_contact_of(user: Actor, enterprise: ListedEnterprise) -> bool:
    """True when ``user`` is linked to ``enterprise`` as its contact."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return EnterpriseContact.objects.filter(user=user, enterprise=enterprise).exists()


def enterprise_for_user(user: Actor, enterprise_id: int) -> ListedEnterprise:
    """The enterprise if ``user`` is its contact, staff of its jurisdiction (or above) or staff
    of its county.

    ``Http404`` when there is no such enterprise; ``ForbiddenError`` with an audit record when the
    user may not see it (an enterprise contact asking for another enterprise's data).
    """
    enterprise = (
        ListedEnterprise.objects.select_related("jurisdiction").filter(pk=enterprise_id).first()
    )
    if enterprise is None:
        raise Http404(f"no enterprise {enterprise_id}")
    if (
        is_contact_of(user, enterprise)
        or is_staff_of(user, enterprise.jurisdiction)
        or is_county_staff_of(user, enterprise)
    ):
        return enterprise
    raise refuse(user, action="enterprise.view", obj=enterprise, message="not your enterprise")


def enterprises_of_contact(user: Actor) -> models.QuerySet[ListedEnterprise]:
    """The enterprises ``user`` answers for, for the portal's start page."""
    if not isinstance(user, User) or not user.is_active:
        return ListedEnterprise.objects.none()
    return ListedEnterprise.objects.filter(contacts__user=user).order_by("name")


def open_tasks(enterprise: ListedEnterprise) -> models.QuerySet[EnterpriseTask]:
    """The enterprise's tasks of the warning in force (or issued and waiting to start)."""
    return EnterpriseTask.objects.filter(
        enterprise=enterprise, state=EnterpriseTask.State.OPEN
    ).select_related("warning")


def core_enterprise(enterprise: ListedEnterprise) -> Enterprise:
    """The stored enterprise as the core's ``Enterprise`` (for documents and accounting)."""
    units = tuple(
        ProductionUnit(
            unit_id=u.unit_id,
            name=u.name,
            process=u.process,
            capacity=u.capacity,
            baseline=Emissions(u.so2, u.nox, u.pm, u.vocs),
            status=UnitStatus(u.status),
            capacity_unit=u.capacity_unit,
        )
        for u in enterprise.units.all()
    )
    measures = tuple(
        Measure(
            level=WarningLevel(m.level),
            kind=MeasureKind(m.kind),
            unit_ids=tuple(m.unit_ids),
            fraction=m.fraction,
            amount=m.amount,
            base_amount=m.base_amount,
            batch=m.batch,
            batches=m.batches,
            truck_stage=EmissionStage(m.truck_stage) if m.truck_stage else None,
            reason=m.reason,
            text=m.text,
            rule_ref=m.rule_ref or None,
        )
        for m in enterprise.measures.all()
    )
    details = enterprise.details
    return Enterprise(
        credit_code=enterprise.credit_code,
        name=enterprise.name,
        county=enterprise.county,
        industry_code=enterprise.industry_code,
        key_industry=enterprise.key_industry or None,
        grade=Grade(enterprise.grade),
        category=EnterpriseCategory(enterprise.category),
        units=units,
        measures=measures,
        essential_basis=(
            EssentialBasis(enterprise.essential_basis) if enterprise.essential_basis else None
        ),
        truck_trips=tuple(
            TruckTrips(EmissionStage(stage), float(trips))
            for stage, trips in details.get("truck_trips", [])
        ),
        power_meters=tuple(details.get("power_meters", [])),
        coal_or_oil_fired=bool(details.get("coal_or_oil_fired", False)),
        toxic_pollutants=bool(details.get("toxic_pollutants", False)),
    )


def list_jurisdiction_for_user(user: Actor, code: str) -> Jurisdiction:
    """The jurisdiction whose list ``user`` may read: staff there or above (404 / 403 audited)."""
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise Http404(f"no jurisdiction {code!r}")
    if not is_staff_of(user, jurisdiction):
        raise refuse(user, action="emission_list.view", obj=jurisdiction, message="staff only")
    return jurisdiction
