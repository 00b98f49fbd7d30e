"""Every change to people, roles and sign-in throttles (STYLE.md §7)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from hazeguard_platform.accounts.models import LoginThrottle, Membership, Role
from hazeguard_platform.accounts.permissions import require_administrator
from hazeguard_platform.audit.models import Outcome
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit


def person_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create a sign-in account; the password must pass the configured validators.

    ``actor`` is ``None`` only for the system itself (the demo loader, a command).
    """
    require_administrator(actor, None, action="person.create")
    username = username.strip()
    if not username:
        raise InvalidInputError("a user name is required", field="username")
    user_model = get_user_model()
    candidate = user_model(username=username, email=email, first_name=full_name[:150])
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidInputError(" ".join(error.messages), field="password") from None
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise InvalidInputError(f"the user name {username!r} is taken", field="username")
        candidate.set_password(password)
        candidate.save()
        audit_record(
            actor=actor,
            action="person.create",
            obj=candidate,
            after={"username": username, "email": email, "full_name": full_name},
        )
    return candidate


def membership_grant(
    *,
    actor: User | None,
    user: User,
    jurisdiction: Jurisdiction,
    role: Role | str,
    member_unit: MemberUnit | None = None,
) -> Membership:
    """Give ``user`` a role in ``jurisdiction`` (member unit staff name their unit)."""
    require_administrator(actor, jurisdiction, action="membership.grant")
    if role not in Role.values:
        raise InvalidInputError(
            f"unknown role {role!r}; one of {', '.join(Role.values)}", field="role"
        )
    if (role == Role.MEMBER_UNIT_STAFF) != (member_unit is not None):
        raise InvalidInputError(
            "member unit staff, and only they, name a member unit", field="member_unit"
        )
    if member_unit is not None and member_unit.jurisdiction_id != jurisdiction.pk:
        raise InvalidInputError(
            f"{member_unit} is not a unit of {jurisdiction}", field="member_unit"
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, jurisdiction=jurisdiction, role=role, member_unit=member_unit
            )
            audit_record(
                actor=actor,
                action="membership.grant",
                obj=membership,
                after={
                    "user": user.get_username(),
                    "jurisdiction": jurisdiction.code,
                    "role": role,
                },
            )
    except IntegrityError:
        raise InvalidInputError(
            f"{user} already has the role {role} in {jurisdiction}", field="role"
        ) from None
    return membership


def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    """Take a role away."""
    require_administrator(actor, membership.jurisdiction, action="membership.revoke")
    with transaction.atomic():
        before = {
            "user": membership.user.get_username(),
            "jurisdiction": membership.jurisdiction.code,
            "role": membership.role,
        }
        audit_record(actor=actor, action="membership.revoke", obj=membership, before=before)
        membership.delete()


def client_address(request: HttpRequest | None) -> str:
    """The peer address ("" outside a request). Proxies' headers are not trusted here."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


def login_is_locked(*, username: str, address: str) -> bool:
    """Whether sign-in for ``username`` from ``address`` is locked right now."""
    return LoginThrottle.objects.filter(
        username=username.lower(), address=address, locked_until__gt=timezone.now()
    ).exists()


def login_locked_until(*, username: str, address: str) -> datetime | None:
    """Until when sign-in for ``username`` from ``address`` is locked; ``None`` when it is not."""
    return (
        LoginThrottle.objects.filter(
            username=username.lower(), address=address, locked_until__gt=timezone.now()
        )
        .values_list("locked_until", flat=True)
        .first()
    )


def login_failure_record(*, username: str, address: str) -> LoginThrottle:
    """Count one failed sign-in; the ``LOGIN_MAX_FAILURES``-th in a row locks the pair."""
    now = timezone.now()
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
            username=username.lower(), address=address
        )
        if throttle.locked_until is not None and throttle.locked_until <= now:
            # The lock ran out: the next run of failures starts from zero.
            throttle.failures = 0
            throttle.locked_until = None
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= settings.LOGIN_MAX_FAILURES:
            throttle.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            audit_record(
                actor=None,
                action="login.lock",
                obj=throttle,
                after={
                    "username": username,
                    "address": address,
                    "until": throttle.locked_until.isoformat(),
                },
            )
        throttle.save()
    return throttle


def login_success_record(*, username: str, address: str) -> None:
    """A successful sign-in clears the failures counted for the pair."""
    LoginThrottle.objects.filter(username=username.lower(), address=address).delete()


def sign_in_audit(
    *,
    action: str,
    request: HttpRequest | None,
    user: User | None = None,
    username: str = "",
) -> None:
    """One audit record of a sign-in (``login``), sign-out (``logout``) or failed sign-in
    (``login.failed``, with the user name tried), with the client's address."""
    address = client_address(request)
    name = user.get_username() if user is not None else username
    audit_record(
        actor=user,
        action=action,
        obj=user,
        outcome=Outcome.DENIED if action == "login.failed" else Outcome.DONE,
        after={"username": name, "address": address},
    )
