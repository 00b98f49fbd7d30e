"""``require_visible`` looks at a jurisdiction from below (its ancestors, three levels a query):
it must give the answer ``jurisdictions_of`` gives from above, at any depth of the tree."""

from __future__ import annotations

import pytest

from conftest import MakePerson
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.permissions import jurisdictions_of, require_visible
from hazeguard_platform.errors import ForbiddenError
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db


def _chain(depth: int) -> list[Jurisdiction]:
    """A region, its city, a county, a town, ... ``depth`` levels, and a sibling at each level."""
    chain: list[Jurisdiction] = []
    parent = None
    for level in range(depth):
        for name in (f"j{level}", f"sibling{level}"):
            Jurisdiction.objects.create(
                code=name, name_zh=name, kind="county" if level else "province", parent=parent
            )
        parent = Jurisdiction.objects.get(code=f"j{level}")
        chain.append(parent)
    return chain


def _sees(user: object, place: Jurisdiction) -> bool:
    try:
        require_visible(user, place, place.pk, action="test.view")  # type: ignore[arg-type]
    except ForbiddenError:
        return False
    return True


@pytest.mark.parametrize("held_at", [0, 2, 3, 5])
def test_it_sees_what_is_at_or_below_a_role_and_nothing_beside_or_above_it(
    make_person: MakePerson, held_at: int
) -> None:
    chain = _chain(7)  # deeper than one query's three levels, twice
    person = make_person("staff", Role.COMMAND_OFFICE_STAFF, chain[held_at])
    from_above = set(jurisdictions_of(person))
    for place in Jurisdiction.objects.all():
        assert _sees(person, place) == (place in from_above), place.code
        below = chain[held_at:]
        assert _sees(person, place) == (place in below or place.parent in below), place.code


def test_an_enterprise_contact_or_an_inactive_person_sees_no_jurisdiction(
    make_person: MakePerson,
) -> None:
    chain = _chain(3)
    contact = make_person("contact", Role.ENTERPRISE_CONTACT, chain[0])
    gone = make_person("gone", Role.COMMAND_OFFICE_STAFF, chain[0])
    gone.is_active = False
    gone.save()
    assert not any(_sees(p, place) for p in (contact, gone, None) for place in chain)
