"""Personal data (PIPL; GB/T 22239-2019 8.1.4.11): who sees phone numbers and e-mail addresses
unmasked, and a person's contact data exported or erased by the office, with the audit kept.

The command office staff, the office director and administrators keep the address books and
repair failed deliveries: they see contact data. Commanders and deputies approve warnings and see
it masked (``138****8000``, ``w***@example.cn``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from hazeguard_platform.accounts.models import Membership, Role, SmsDevice
from hazeguard_platform.accounts.permissions import Actor, refuse, with_descendants
from hazeguard_platform.audit.services import audit_record

# The roles whose work needs people's contact data in full.
CONTACT_DATA_ROLES = frozenset(
    {Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR, Role.ADMINISTRATOR}
)


def mask_address(address: str) -> str:
    """A phone number with only its first 3 and last 4 digits, an e-mail address with only its
    first letter and domain; anything else (a URL) unchanged."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = address.removeprefix("+")
    if digits.isdigit() and len(digits) >= 7:
        return f"{address[: len(address) - len(digits) + 3]}****{digits[-4:]}"
    return address


def sees_contact_data(user: Actor, jurisdiction_id: int) -> bool:
    """Whether ``user`` holds a contact-data role in the jurisdiction or one above it."""
    if not isinstance(user, User):
        return False
    if getattr(user, "is_superuser", False):
        return True
    held = Membership.objects.filter(user=user, role__in=CONTACT_DATA_ROLES).values_list(
        "jurisdiction_id", flat=True
    )
    return jurisdiction_id in with_descendants(held)


def _require_office_for(actor: Actor, person: User, action: str) -> None:
    """The office (a contact-data role) of a jurisdiction where ``person`` holds a role, or one
    above it; ``None`` is the operator on the command line."""
    if actor is None:
        return
    places = Membership.objects.filter(user=person).values_list("jurisdiction_id", flat=True)
    if not any(sees_contact_data(actor, place) for place in set(places)):
        raise refuse(actor, action=action, obj=person, message="not the office of this person")


def person_data_export(*, actor: Actor, person: User) -> dict[str, Any]:
    """Everything the platform keeps to reach ``person``: account, roles, address-book entries,
    enterprises, SMS sign-in phones, addresses notices went to. Audited."""
    from hazeguard_platform.notices.models import Contact, Delivery

    _require_office_for(actor, person, "person.data_export")
    data: dict[str, Any] = {
        "username": person.get_username(),
        "full_name": person.get_full_name(),
        "email": getattr(person, "email", ""),
        "roles": [
            {"jurisdiction": m.jurisdiction.code, "role": m.role}
            for m in Membership.objects.filter(user=person).select_related("jurisdiction")
        ],
        "address_book": [
            {
                "jurisdiction": c.jurisdiction.code,
                "name": c.name,
                "phone": c.phone,
                "email": c.email,
            }
            for c in Contact.objects.filter(user=person).select_related("jurisdiction")
        ],
        "enterprises": [link.enterprise.name for link in person.enterprise_links.all()],
        "sign_in_phones": list(
            SmsDevice.objects.filter(user=person).values_list("phone", flat=True)
        ),
        "notice_addresses": sorted(
            set(
                Delivery.objects.filter(recipient__user=person)
                .exclude(address="")
                .values_list("address", flat=True)
            )
        ),
    }
    audit_record(
        actor=actor,
        action="person.data_export",
        obj=person,
        after={"username": person.get_username()},
    )
    return data


def person_data_erase(*, actor: Actor, person: User) -> dict[str, int]:
    """Erase ``person``'s contact data: the account's name and e-mail (it is deactivated), the
    address-book entry's phone and e-mail, SMS sign-in phones, and the addresses past notices
    went to (masked, so the record that a notice was sent stays). The audit log keeps its
    records (the law's record of who did what); the erasure is one more. Counts of what changed."""
    from hazeguard_platform.notices.models import Contact, Delivery

    _require_office_for(actor, person, "person.data_erase")
    with transaction.atomic():
        contacts = Contact.objects.filter(user=person).update(phone="", email="", active=False)
        phones = SmsDevice.objects.filter(user=person).delete()[0]
        deliveries = list(Delivery.objects.filter(recipient__user=person).exclude(address=""))
        for delivery in deliveries:
            delivery.address = mask_address(delivery.address)
        Delivery.objects.bulk_update(deliveries, ["address"])
        person.email = ""
        person.first_name = ""
        person.last_name = ""
        person.is_active = False
        person.save()
        counts = {"address_book": contacts, "sign_in_phones": phones, "deliveries": len(deliveries)}
        audit_record(actor=actor, action="person.data_erase", obj=person, after=counts)
    return counts
