"""Who holds which role where, and the refusals that follow (STYLE.md §12).

A refusal raises ``ForbiddenError`` and leaves an audit record of the attempt, written in its own
(autocommit) statement before the exception, so the record survives the refused change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.http import HttpRequest

from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.audit.services import audit_denial
from hazeguard_platform.errors import ForbiddenError
from hazeguard_platform.jurisdictions.models import Jurisdiction

Actor = User | AnonymousUser | None


class SignedInRequest(HttpRequest):
    """The request a view behind ``login_required`` (or an API route behind a token) receives:
    its user is a person. A type for mypy only; at run time it is Django's ``HttpRequest``."""

    user: User


# The attribute an API token puts on its (per-request) user: the ids of the token's
# jurisdiction and those below it. The person's roles count only there.
TOKEN_SCOPE = "token_jurisdiction_ids"


def token_scope(user: Actor) -> frozenset[int] | None:
    """The jurisdictions an API token limits ``user`` to; ``None`` when not acting by token."""
    scope = getattr(user, TOKEN_SCOPE, None)
    return frozenset(scope) if scope is not None else None


def with_descendants(ids: Iterable[int]) -> set[int]:
    """``ids`` and the ids of every jurisdiction below them."""
    reachable = set(ids)
    frontier = set(reachable)
    while frontier:  # the tree is three or four levels deep: a few small queries
        frontier = (
            set(Jurisdiction.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            - reachable
        )
        reachable |= frontier
    return reachable


def roles_of(user: Actor, jurisdiction: Jurisdiction) -> set[Role]:
    """The roles ``user`` holds in exactly this jurisdiction."""
    if not isinstance(user, User) or not user.is_active:
        return set()
    scope = token_scope(user)
    if scope is not None and jurisdiction.pk not in scope:
        return set()
    return {
        Role(role)
        for role in Membership.objects.filter(user=user, jurisdiction=jurisdiction).values_list(
            "role", flat=True
        )
    }


def jurisdictions_of(user: Actor) -> models.QuerySet[Jurisdiction]:
    """Every jurisdiction where ``user`` holds a staff role, and every jurisdiction below those.

    An enterprise contact's role is not one: it opens its own enterprise (the portal's
    ``enterprise_for_user``), never the command's pages — proposals, consultations and
    forecasts are not public."""
    if not isinstance(user, User) or not user.is_active:
        return Jurisdiction.objects.none()
    staff = Membership.objects.filter(user=user).exclude(role=Role.ENTERPRISE_CONTACT)
    reachable = with_descendants(staff.values_list("jurisdiction_id", flat=True))
    scope = token_scope(user)
    if scope is not None:
        reachable &= scope
    return Jurisdiction.objects.filter(id__in=reachable)


def _self_and_ancestors(jurisdiction_id: int) -> list[int]:
    """``jurisdiction_id`` and the ids of the jurisdictions above it, three levels a query."""
    chain = [jurisdiction_id]
    while True:
        row = (
            Jurisdiction.objects.filter(pk=chain[-1])
            .values_list("parent_id", "parent__parent_id", "parent__parent__parent_id")
            .first()
        )
        above = [pk for pk in row or () if pk is not None and pk not in chain]
        chain += above
        if len(above) < 3:
            return chain


def require_visible(user: Actor, obj: models.Model, jurisdiction_id: int, *, action: str) -> None:
    """``ForbiddenError`` (audited) unless ``user`` holds a role in the jurisdiction or above it.

    The same answer as ``jurisdictions_of(user)`` containing it, looked at from below: the
    jurisdiction's ancestors in one query, then one ``EXISTS`` on the memberships (2 queries on
    every staff page, where walking the user's tree down took 3–4)."""
    scope = token_scope(user)
    visible = (
        isinstance(user, User)
        and user.is_active
        and (scope is None or jurisdiction_id in scope)
        and Membership.objects.filter(
            user=user, jurisdiction_id__in=_self_and_ancestors(jurisdiction_id)
        )
        .exclude(role=Role.ENTERPRISE_CONTACT)
        .exists()
    )
    if not visible:
        raise refuse(user, action=action, obj=obj, message="not your jurisdiction")


def refuse(actor: Actor, *, action: str, obj: models.Model | None, message: str) -> ForbiddenError:
    """Record a refusal in the audit log and return the exception to raise."""
    audit_denial(actor=actor, action=action, obj=obj, message=message)
    return ForbiddenError(message, action=action)


def require_role(
    actor: Actor,
    jurisdiction: Jurisdiction,
    roles: Iterable[Role],
    *,
    action: str,
    obj: models.Model | None = None,
) -> Role:
    """One of ``roles`` that ``actor`` holds in ``jurisdiction``; else a recorded refusal."""
    wanted = list(roles)
    held = roles_of(actor, jurisdiction)
    for role in wanted:
        if role in held:
            return role
    names = " or ".join(role.value for role in wanted)
    raise refuse(
        actor,
        action=action,
        obj=obj or jurisdiction,
        message=f"{action} in {jurisdiction.code} needs the role {names}",
    )


def require_administrator(actor: Actor, jurisdiction: Jurisdiction | None, *, action: str) -> None:
    """Administrators of the jurisdiction (or one above it) and superusers pass; ``None`` is the
    system itself (demo loader, commands run by the operator)."""
    if actor is None:
        return
    if isinstance(actor, User) and getattr(actor, "is_superuser", False):
        return
    scope = [] if jurisdiction is None else [jurisdiction, *jurisdiction.ancestors()]
    admin_in = Membership.objects.filter(
        user=actor if isinstance(actor, User) else None, role=Role.ADMINISTRATOR
    )
    if jurisdiction is None and admin_in.exists():
        return
    if admin_in.filter(jurisdiction__in=scope).exists():
        return
    raise refuse(actor, action=action, obj=jurisdiction, message=f"{action} needs an administrator")
