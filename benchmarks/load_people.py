"""The people of the platform load benchmark: command staff, and everyone a warning notifies.

Set-up, not measured: the people a red warning in Liaocheng tells (``notice_recipients``: county
officers, member-unit staff, one contact per listed enterprise) are direct rows made in bulk with
one password hash, so that 5,000 contacts take seconds; the signed-in users of the HTTP run are
picked from them, each with the script of requests its role would make.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from load_http import Step

PASSWORD = "load-benchmark-password-1"
OFFICE_STAFF = 10


def command_staff(jurisdiction: Any) -> dict[str, Any]:
    """One person per command role of the jurisdiction (the services pick who may act)."""
    from django.contrib.auth.models import User as Person

    from hazeguard_platform.accounts.models import COMMAND_ROLES
    from hazeguard_platform.accounts.services import membership_grant

    staff = {}
    for role in COMMAND_ROLES:
        person = Person.objects.create_user(f"{jurisdiction.code}-{role}", password=PASSWORD)
        membership_grant(actor=None, user=person, jurisdiction=jurisdiction, role=role)
        staff[str(role)] = person
    return staff


def member_units(jurisdiction: Any, wanted: int) -> list[Any]:
    """The plan's own member units, plus synthetic ones (direct rows: set-up) up to ``wanted``."""
    from hazeguard_platform.jurisdictions.models import MemberUnit

    have = list(jurisdiction.member_units.all())
    for number in range(len(have), wanted):
        have.append(
            MemberUnit.objects.create(
                jurisdiction=jurisdiction,
                code=f"synthetic-{number:02d}",
                name_zh=f"合成单位{number}",
            )
        )
    return have


def notified_people(city: Any, units: list[Any]) -> int:
    """Give every county an officer, every member unit a staff member and every listed
    enterprise a contact, where missing (direct rows: set-up). Returns the people created."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User as Person

    from hazeguard_platform.accounts.models import Membership, Role
    from hazeguard_platform.enterprises.models import EnterpriseContact, ListedEnterprise

    password = make_password(PASSWORD)
    have = set(Person.objects.values_list("username", flat=True))
    wanted: dict[str, dict[str, Any]] = {}
    for county in city.children.all():
        wanted[f"county-{county.code}"] = {"jurisdiction": county, "role": Role.COUNTY_OFFICER}
    for unit in units:
        wanted[f"unit-{unit.code}"] = {
            "jurisdiction": city,
            "role": Role.MEMBER_UNIT_STAFF,
            "member_unit": unit,
        }
    enterprises = ListedEnterprise.objects.filter(jurisdiction=city, listed=True)
    by_name = {f"contact-{e.pk}": e for e in enterprises.only("pk")}
    for name in by_name:
        wanted[name] = {"jurisdiction": city, "role": Role.ENTERPRISE_CONTACT}
    new = [name for name in wanted if name not in have]
    Person.objects.bulk_create([Person(username=n, password=password) for n in new])
    ids = dict(Person.objects.filter(username__in=new).values_list("username", "pk"))
    Membership.objects.bulk_create([Membership(user_id=ids[n], **wanted[n]) for n in new])
    EnterpriseContact.objects.bulk_create(
        [EnterpriseContact(user_id=ids[n], enterprise=by_name[n]) for n in new if n in by_name]
    )
    return len(new)


def make_users(setup: dict[str, Any], count: int) -> list[tuple[str, list[Step]]]:
    """``count`` people: office staff (made here), member-unit staff (one per unit) and
    enterprise contacts (from ``notified_people``); each with the script of 10 requests its
    role would make."""
    from django.contrib.auth.models import User as Person
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hazeguard_platform.accounts.models import Role
    from hazeguard_platform.accounts.services import membership_grant
    from hazeguard_platform.enterprises.models import ListedEnterprise

    city = setup["jurisdiction"]
    code = city.code
    people: list[tuple[str, list[Step]]] = []
    for number in range(OFFICE_STAFF):
        person = Person.objects.create_user(f"office-{number}", password=PASSWORD)
        membership_grant(actor=None, user=person, jurisdiction=city, role=Role.COMMAND_OFFICE_STAFF)
        # The office must sign in with a second factor: an authenticator app, set up.
        TOTPDevice.objects.create(user=person, name="load benchmark", confirmed=True)
        script = [
            Step("GET", "/"),
            Step("GET", f"/staff/j/{code}/"),
            Step("GET", f"/operations/{code}/matrix/"),
            Step("GET", f"/enterprises/list/{code}/"),
            Step("GET", f"/j/{code}/"),
        ]
        people.append((person.username, script * 2))
    for unit in setup["units"][: max(0, count - OFFICE_STAFF)]:
        person = Person.objects.get(username=f"unit-{unit.code}")
        # Liaocheng 2020 names no responsible units and no daily report (docs/operations.md):
        # its member units have no tasks or reports, so their staff browse.
        script = [
            Step("GET", "/"),
            Step("GET", "/operations/"),
            Step("GET", f"/j/{code}/"),
            Step("GET", "/notices/inbox/"),
            Step("GET", "/operations/"),
        ]
        people.append((person.username, script * 2))
    today = timezone.localdate().isoformat()
    enterprises = ListedEnterprise.objects.filter(jurisdiction=city, listed=True).order_by("pk")
    for enterprise in enterprises.prefetch_related("units")[: max(0, count - len(people))]:
        person = Person.objects.get(username=f"contact-{enterprise.pk}")
        page = f"/enterprises/{enterprise.pk}/"
        form = {"day": today} | {f"status-{u.pk}": "stopped" for u in enterprise.units.all()}
        script = [
            Step("GET", "/"),
            Step("GET", page),
            Step("POST", f"{page}production/", form, expect=(302,)),
            Step("GET", page),
            Step("GET", f"/j/{code}/"),
        ]
        people.append((person.username, script * 2))
    return people


def authenticator_code(username: str) -> Callable[[], str] | None:
    """What ``username``'s authenticator app shows now (django-otp's TOTP over the device's
    key), or ``None`` for a person without one."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None

    def code() -> str:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    return code
