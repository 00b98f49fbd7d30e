"""Importing plans: the jurisdiction tree, member units and immutable plan versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction

from hazeguard_platform import core
from hazeguard_platform.accounts.permissions import require_administrator
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit, PlanVersion

if TYPE_CHECKING:
    from hazeguard.plans import Parent


def _jurisdiction_upsert(
    *, code: str, name_zh: str, name_en: str, kind: str, parent: Jurisdiction | None
) -> Jurisdiction:
    jurisdiction, created = Jurisdiction.objects.get_or_create(
        code=code,
        defaults={"name_zh": name_zh, "name_en": name_en, "kind": kind, "parent": parent},
    )
    if not created:
        changed: dict[str, object] = {"name_zh": name_zh, "name_en": name_en, "kind": kind}
        if parent is not None:
            changed["parent"] = parent
        for field, value in changed.items():
            setattr(jurisdiction, field, value)
        jurisdiction.save()
    return jurisdiction


def _parent_upsert(named: Parent) -> Jurisdiction:
    """The jurisdiction above a plan's, with the names the plan gives it.

    A parent known only by its code (an older plan file, or no plan of its own yet) is named by
    the code until a plan names it; names already given are not overwritten by a plan that gives
    none, nor by a child plan once the parent's own plan has named it differently.
    """
    parent = Jurisdiction.objects.filter(code=named.code).first()
    if parent is None:
        return Jurisdiction.objects.create(
            code=named.code,
            name_zh=named.name_zh or named.code,
            name_en=named.name_en or named.code,
            kind=named.kind or "city",
        )
    if named.named and parent.name_zh == parent.code:
        parent.name_zh, parent.name_en = named.name_zh, named.name_en
        parent.kind = named.kind or parent.kind
        parent.save(update_fields=["name_zh", "name_en", "kind"])
    return parent


def plan_import(*, actor: User | None, plan_id: str) -> PlanVersion:
    """Import a shipped plan: its jurisdiction (under its parent), counties, member units, and a
    new immutable :class:`PlanVersion` when the plan's snapshot differs from the stored ones.

    Importing an unchanged plan returns the version already stored and changes nothing.
    """
    require_administrator(actor, None, action="plan.import")
    try:
        plan = core.load_plan(plan_id)
    except KeyError:
        raise InvalidInputError(f"there is no plan {plan_id!r}", field="plan_id") from None
    snapshot = plan.to_dict()
    digest = core.snapshot_digest(snapshot)
    with transaction.atomic():
        existing = PlanVersion.objects.filter(plan_id=plan.id, digest=digest).first()
        if existing is not None:
            return existing
        parent = _parent_upsert(plan.parent) if plan.parent is not None else None
        home = _jurisdiction_upsert(
            code=plan.jurisdiction.code,
            name_zh=plan.jurisdiction.name_zh,
            name_en=plan.jurisdiction.name_en,
            kind=plan.jurisdiction.kind,
            parent=parent,
        )
        counties = {
            county.code: _jurisdiction_upsert(
                code=county.code,
                name_zh=county.name_zh,
                name_en=county.name_en,
                kind=county.kind,
                parent=home,
            )
            for county in plan.counties
        }
        for pair in plan.adjacency:
            first, second = (counties[code] for code in pair.between)
            first.neighbours.add(second)
        for unit in plan.member_units:
            MemberUnit.objects.update_or_create(
                jurisdiction=home,
                code=unit.code,
                defaults={
                    "name_zh": unit.name_zh,
                    "name_en": unit.name_en,
                    "duties_zh": unit.text_zh,
                },
            )
        number = PlanVersion.objects.filter(plan_id=plan.id).count() + 1
        version = PlanVersion.objects.create(
            jurisdiction=home,
            plan_id=plan.id,
            number=number,
            snapshot=snapshot,
            digest=digest,
            imported_by=actor,
        )
        audit_record(
            actor=actor,
            action="plan.import",
            obj=version,
            after={"plan_id": plan.id, "number": number, "digest": digest},
        )
    return version
