"""Inspections, penalties and grade downgrades (STYLE.md §7: every change here, audited).

Seed 000 §6 (监督检查): 对重污染天气应急减排措施落实不到位的企业，依法处罚，并按规定下调绩效分级 —
a violation found on an inspection leads to a penalty and a proposed downgrade, which the command
office confirms into the emission list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard.reduction.model import Grade
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor, refuse, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.enterprises.selectors import enterprise_for_user
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.operations.photos import checked_photo
from hazeguard_platform.supervision.models import (
    GradeDowngrade,
    Inspection,
    InspectionKind,
    InspectionPhoto,
    Penalty,
)
from hazeguard_platform.warnings.models import State, Warning

INSPECT_ROLES = (
    Role.COMMAND_OFFICE_STAFF,
    Role.OFFICE_DIRECTOR,
    Role.MEMBER_UNIT_STAFF,  # e.g. the environment bureau's enforcement team
    Role.COUNTY_OFFICER,
)
CONFIRM_ROLES = (Role.OFFICE_DIRECTOR, Role.COMMAND_OFFICE_STAFF)
MAX_PHOTOS = 10

# One step down the 2020 technical guide's ladder; None: no lower grade exists.
DOWNGRADE: dict[Grade, Grade | None] = {
    Grade.A_PLUS: Grade.A,
    Grade.A: Grade.B,
    Grade.B: Grade.C,
    Grade.B_MINUS: Grade.C,
    Grade.C: Grade.D,
    Grade.D: None,
    Grade.LEADING: Grade.NON_LEADING,
    Grade.ADVANCED: Grade.NON_LEADING,
    Grade.NON_LEADING: None,
    Grade.UNGRADED: None,
}


def require_inspector(actor: Actor, enterprise: ListedEnterprise) -> User:
    """The inspector: ``actor`` holding an inspecting role in the enterprise's jurisdiction, one
    above it or one of its counties."""
    place = enterprise.jurisdiction
    scope = [
        place.pk,
        *(j.pk for j in place.ancestors()),
        *place.children.values_list("pk", flat=True),
    ]
    if (
        isinstance(actor, User)
        and Membership.objects.filter(
            user=actor, jurisdiction_id__in=scope, role__in=INSPECT_ROLES
        ).exists()
    ):
        return actor
    raise refuse(
        actor, action="inspection.record", obj=enterprise, message="needs an inspecting role"
    )


def inspection_record(
    *,
    actor: Actor,
    enterprise_id: int,
    kind: str,
    inspected_at: datetime,
    findings: str,
    violation: bool = False,
    penalty: str = "",
    photos: Sequence[tuple[str, bytes]] = (),
) -> Inspection:
    """Record an on-site supervision or an inspection tour with its findings and photos.

    A ``violation`` (measures not carried out) needs the ``penalty`` decided; it is stored with a
    proposed grade downgrade one step down (none when no lower grade exists).
    """
    enterprise = enterprise_for_user(actor, enterprise_id)
    inspector = require_inspector(actor, enterprise)
    if kind not in InspectionKind.values:
        raise InvalidInputError(f"kind is one of {', '.join(InspectionKind.values)}", field="kind")
    if inspected_at > timezone.now():
        raise InvalidInputError(
            "an inspection is recorded after it took place", field="inspected_at"
        )
    if not findings.strip():
        raise InvalidInputError("the findings are required", field="findings")
    if violation and not penalty.strip():
        raise InvalidInputError("a violation states the penalty decided", field="penalty")
    if len(photos) > MAX_PHOTOS:
        raise InvalidInputError(f"at most {MAX_PHOTOS} photos", field="photos")
    # The reports' photo check: JPEG or PNG by content, at most 5 MB (operations.photos).
    checked = [checked_photo(name, data) for name, data in photos]
    warning = Warning.objects.filter(
        jurisdiction_id=enterprise.jurisdiction_id, state=State.IN_FORCE
    ).first()
    with transaction.atomic():
        inspection = Inspection.objects.create(
            enterprise=enterprise,
            kind=kind,
            warning=warning,
            inspected_at=inspected_at,
            inspector=inspector,
            findings=findings.strip(),
            violation=violation,
        )
        InspectionPhoto.objects.bulk_create(
            InspectionPhoto(
                inspection=inspection,
                filename=photo["name"],
                content_type=photo["content_type"],
                data=photo["content"],
            )
            for photo in checked
        )
        after: dict[str, object] = {"kind": kind, "violation": violation, "photos": len(checked)}
        if violation:
            decided = Penalty.objects.create(
                inspection=inspection, enterprise=enterprise, description=penalty.strip()
            )
            lower = DOWNGRADE[Grade(enterprise.grade)]
            if lower is not None:
                GradeDowngrade.objects.create(
                    penalty=decided,
                    enterprise=enterprise,
                    from_grade=enterprise.grade,
                    to_grade=lower.value,
                    proposed_by=inspector,
                )
                after["proposed_grade"] = lower.value
        audit_record(actor=actor, action="inspection.record", obj=inspection, after=after)
    return inspection


def grade_downgrade_confirm(*, proposal: GradeDowngrade, actor: Actor) -> ListedEnterprise:
    """The command office confirms a proposed downgrade: the enterprise's grade on the list
    changes (audit before/after). Its site plan stays as listed until the next list import
    brings the measures of the new grade."""
    enterprise = proposal.enterprise
    require_role(
        actor,
        enterprise.jurisdiction,
        CONFIRM_ROLES,
        action="grade_downgrade.confirm",
        obj=proposal,
    )
    with transaction.atomic():
        claimed = GradeDowngrade.objects.filter(
            pk=proposal.pk, state=GradeDowngrade.State.PROPOSED
        ).update(
            state=GradeDowngrade.State.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now()
        )
        if not claimed:
            raise ConflictError(f"downgrade {proposal.pk} is not waiting for confirmation")
        current = ListedEnterprise.objects.select_for_update().get(pk=enterprise.pk)
        if current.grade != proposal.from_grade:
            raise ConflictError(
                f"{current.name} is graded {current.grade} now, not {proposal.from_grade}"
            )
        ListedEnterprise.objects.filter(pk=current.pk).update(
            grade=proposal.to_grade, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="enterprise.grade_downgrade",
            obj=current,
            before={"grade": proposal.from_grade},
            after={"grade": proposal.to_grade, "downgrade": proposal.pk},
        )
    proposal.refresh_from_db()
    current.refresh_from_db()
    return current
