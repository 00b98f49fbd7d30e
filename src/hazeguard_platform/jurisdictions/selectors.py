"""Reading jurisdictions and the plan version that governs them."""

from __future__ import annotations

from django.http import Http404

from hazeguard_platform.accounts.permissions import Actor, jurisdictions_of, require_visible
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion


def plan_version_for(jurisdiction: Jurisdiction) -> PlanVersion | None:
    """The jurisdiction's newest plan version, else its nearest ancestor's (a county acts under its
    city's plan)."""
    node: Jurisdiction | None = jurisdiction
    while node is not None:  # upwards one parent at a time: most have their own plan
        version = (
            PlanVersion.objects.filter(jurisdiction=node).order_by("-imported_at", "-id").first()
        )
        if version is not None:
            return version
        node = node.parent
    return None


def jurisdiction_for_user(user: Actor, code: str) -> Jurisdiction:
    """The jurisdiction ``code`` if ``user`` holds a role in it or above it.

    ``Http404`` when there is no such jurisdiction; ``ForbiddenError`` (with an audit record) when
    the user may not see it.
    """
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise Http404(f"no jurisdiction {code!r}")
    require_visible(user, jurisdiction, jurisdiction.pk, action="jurisdiction.view")
    return jurisdiction


def jurisdictions_for_user(user: Actor) -> list[Jurisdiction]:
    """Every jurisdiction the user may see, by code."""
    return list(jurisdictions_of(user).order_by("code"))
