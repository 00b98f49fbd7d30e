"""Every role against the list's sensitive actions (STYLE.md §12): who may import the list, read
an enterprise, and confirm a grade downgrade; every refusal is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from conftest import MakePerson, Staff
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.selectors import enterprise_for_user
from hazeguard_platform.errors import ForbiddenError
from hazeguard_platform.supervision.models import GradeDowngrade
from hazeguard_platform.supervision.services import grade_downgrade_confirm, inspection_record

from .list_helpers import Firms, import_list, write_list


def _persona(name: str, liaocheng: Staff, firms: Firms, make_person: MakePerson) -> User:
    """The persona named in the parameters: a command role, or one made here."""
    if hasattr(liaocheng, name):
        return getattr(liaocheng, name)  # type: ignore[no-any-return]
    if name == "enterprise_contact":
        return firms.chemicals_contact
    county = liaocheng.jurisdiction.children.get(name_zh="冠县")  # the chemicals plant's county
    roles = {"county_officer": (Role.COUNTY_OFFICER, county),
             "member_unit_staff": (Role.MEMBER_UNIT_STAFF, liaocheng.jurisdiction)}  # fmt: skip
    role, place = roles[name]
    return make_person(name, role, place)


EVERYONE = [
    "office_clerk", "office_director", "deputy_commander", "commander", "administrator",
    "county_officer", "member_unit_staff", "enterprise_contact",
]  # fmt: skip


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_command_office_imports_the_list(
    liaocheng: Staff, firms: Firms, make_person: MakePerson, tmp_path: Path, name: str
) -> None:
    person = _persona(name, liaocheng, firms, make_person)
    workbook = write_list(tmp_path / "again.xlsx")
    if name in {"office_clerk", "office_director"}:
        import_list(person, liaocheng.jurisdiction, workbook)
        return
    with pytest.raises(ForbiddenError):
        import_list(person, liaocheng.jurisdiction, workbook)
    assert AuditEntry.objects.filter(
        action="emission_list.import", outcome="denied", actor=person
    ).exists()


@pytest.mark.parametrize("name", EVERYONE)
def test_staff_read_every_enterprise_a_county_its_own_and_a_contact_only_its_own(
    liaocheng: Staff, firms: Firms, make_person: MakePerson, name: str
) -> None:
    person = _persona(name, liaocheng, firms, make_person)
    assert enterprise_for_user(person, firms.chemicals.pk) == firms.chemicals
    if name in {"enterprise_contact", "county_officer"}:  # the cement plant is in 临清市
        with pytest.raises(ForbiddenError):
            enterprise_for_user(person, firms.cement.pk)
    else:
        assert enterprise_for_user(person, firms.cement.pk) == firms.cement


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_office_confirms_a_grade_downgrade(
    liaocheng: Staff, firms: Firms, make_person: MakePerson, name: str
) -> None:
    inspection_record(
        actor=liaocheng.office_clerk, enterprise_id=firms.cement.pk, kind="tour",
        inspected_at=timezone.now(), findings="未停产", violation=True, penalty="罚款",
    )  # fmt: skip
    proposal = GradeDowngrade.objects.get()
    person = _persona(name, liaocheng, firms, make_person)
    if name in {"office_clerk", "office_director"}:
        assert grade_downgrade_confirm(proposal=proposal, actor=person).grade == "C"
        return
    with pytest.raises(ForbiddenError):
        grade_downgrade_confirm(proposal=proposal, actor=person)
    assert AuditEntry.objects.filter(
        action="grade_downgrade.confirm", outcome="denied", actor=person
    ).exists()
