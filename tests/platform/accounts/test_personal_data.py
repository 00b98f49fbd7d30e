"""Personal data (PIPL): masked for roles that do not need it, exported and erased by the office
with the audit records kept."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.template import Context, Template

from hazeguard_platform.accounts.models import Membership, Role, SmsDevice
from hazeguard_platform.accounts.personal_data import (
    mask_address,
    person_data_erase,
    person_data_export,
    sees_contact_data,
)
from hazeguard_platform.audit.chain import audit_verify
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ForbiddenError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "+861****8000"),
        ("wang.li@example.cn", "w***@example.cn"),
        ("https://county.example.cn/hook", "https://county.example.cn/hook"),
    ],
)
def test_masking_keeps_enough_to_recognise_and_no_more(address: str, shown: str) -> None:
    assert mask_address(address) == shown


def _person(username: str, role: Role, place: Jurisdiction) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.cn")
    Membership.objects.create(user=user, jurisdiction=place, role=role)
    return user


def test_the_office_sees_contact_data_and_the_commander_sees_it_masked(
    city: Jurisdiction,
) -> None:
    clerk = _person("clerk", Role.COMMAND_OFFICE_STAFF, city)
    commander = _person("commander", Role.COMMANDER, city)
    page = Template("{% load personal_data %}{{ a|masked:shown }}")
    for user, expected in ((clerk, "13800138000"), (commander, "138****8000")):
        shown = sees_contact_data(user, city.pk)
        assert page.render(Context({"a": "13800138000", "shown": shown})) == expected


def test_the_office_exports_and_erases_a_persons_contact_data_and_the_audit_stays(
    city: Jurisdiction,
) -> None:
    clerk = _person("clerk", Role.COMMAND_OFFICE_STAFF, city)
    officer = _person("officer", Role.COUNTY_OFFICER, city)
    officer.first_name = "李"
    officer.save()
    Contact.objects.create(jurisdiction=city, name="李 duty", phone="13900000000", user=officer)
    SmsDevice.objects.create(user=officer, name="text message", phone="13900000000")
    exported = person_data_export(actor=clerk, person=officer)
    assert exported["email"] == "officer@example.cn"
    assert exported["address_book"][0]["phone"] == "13900000000"
    assert exported["sign_in_phones"] == ["13900000000"]
    counts = person_data_erase(actor=clerk, person=officer)
    assert counts == {"address_book": 1, "sign_in_phones": 1, "deliveries": 0}
    officer.refresh_from_db()
    assert (officer.email, officer.first_name, officer.is_active) == ("", "", False)
    assert Contact.objects.get(user=officer).phone == ""
    actions = list(
        AuditEntry.objects.filter(object_id=str(officer.pk)).values_list("action", flat=True)
    )
    assert actions[-2:] == ["person.data_export", "person.data_erase"]
    assert audit_verify().ok


def test_only_the_office_of_the_person_may_export(city: Jurisdiction) -> None:
    other = Jurisdiction.objects.create(code="othercity", name_zh="他市", kind="city")
    stranger = _person("stranger-clerk", Role.COMMAND_OFFICE_STAFF, other)
    commander = _person("commander", Role.COMMANDER, city)
    officer = _person("officer", Role.COUNTY_OFFICER, city)
    for actor in (stranger, commander):
        with pytest.raises(ForbiddenError):
            person_data_export(actor=actor, person=officer)
    assert AuditEntry.objects.filter(action="person.data_export", outcome="denied").count() == 2


def test_the_command_exports_json(city: Jurisdiction) -> None:
    _person("officer", Role.COUNTY_OFFICER, city)
    out = StringIO()
    call_command("person_data", "export", "officer", stdout=out)
    assert json.loads(out.getvalue())["username"] == "officer"
