"""Reading inspections and downgrades (visibility follows ``enterprise_for_user``)."""

from __future__ import annotations

from django.db import models
from django.http import Http404

from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.enterprises.selectors import enterprise_for_user, is_contact_of, is_staff_of
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.supervision.models import GradeDowngrade, InspectionPhoto


def proposed_downgrades(user: Actor, jurisdiction: Jurisdiction) -> models.QuerySet[GradeDowngrade]:
    """Downgrades waiting for the office's confirmation; none for a user who is not staff there."""
    if not is_staff_of(user, jurisdiction):
        return GradeDowngrade.objects.none()
    return GradeDowngrade.objects.filter(
        enterprise__jurisdiction=jurisdiction, state=GradeDowngrade.State.PROPOSED
    ).select_related("enterprise", "penalty")


def downgrade_for_user(user: Actor, downgrade_id: int) -> GradeDowngrade:
    """The downgrade if its enterprise is visible to ``user`` (404 / 403 like its enterprise)."""
    found = GradeDowngrade.objects.filter(pk=downgrade_id).first()
    if found is None:
        raise Http404(f"no downgrade {downgrade_id}")
    enterprise_for_user(user, found.enterprise_id)
    return found


def photo_for_user(user: Actor, photo_id: int) -> InspectionPhoto:
    """An inspection photo for staff who may see its enterprise; an enterprise contact gets 403
    (audited): photos are evidence for the office, not part of the portal."""
    photo = InspectionPhoto.objects.select_related("inspection__enterprise").filter(pk=photo_id)
    found = photo.first()
    if found is None:
        raise Http404(f"no photo {photo_id}")
    enterprise = enterprise_for_user(user, found.inspection.enterprise_id)
    if is_contact_of(user, enterprise):
        raise refuse(user, action="inspection.photo", obj=found, message="staff only")
    return found
