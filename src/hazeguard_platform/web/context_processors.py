"""What every page's site menu needs to know about the signed-in person."""

from __future__ import annotations

from django.http import HttpRequest

from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role

# Who works each menu entry's pages: the notices office page (notices.selectors.OFFICE_ROLES),
# the tasks and daily reports (operations: the units', the counties' and the command's), the
# enterprise portal (its contacts). The inbox is every signed-in person's; the staff pages and API
# tokens are everyone's but an enterprise contact's (accounts.permissions.jurisdictions_of gives a
# contact no jurisdiction, so those pages would be empty for them).
NOTICE_OFFICE_ROLES = frozenset({*COMMAND_ROLES, Role.ADMINISTRATOR})
OPERATIONS_ROLES = frozenset({*COMMAND_ROLES, Role.MEMBER_UNIT_STAFF, Role.COUNTY_OFFICER})
PORTAL_ROLES = frozenset({Role.ENTERPRISE_CONTACT})


def menu(request: HttpRequest) -> dict[str, object]:
    """``menu``: which role-bound entries to show (``staff``, ``notices``, ``operations``,
    ``enterprises``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": {}}
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return {
        "menu": {
            "staff": user.is_superuser or bool(held - PORTAL_ROLES),
            "notices": bool(held & NOTICE_OFFICE_ROLES),
            "operations": bool(held & OPERATIONS_ROLES),
            "enterprises": bool(held & PORTAL_ROLES),
        }
    }
