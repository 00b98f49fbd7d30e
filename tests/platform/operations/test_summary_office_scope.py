"""The office's list of ended responses covers exactly the jurisdictions ``oversees`` admits (a
command role there or above), at any depth of the tree, without asking it place by place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import MakePerson
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.permissions import jurisdictions_of
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.operations.selectors import oversees
from hazeguard_platform.operations.summary_selectors import _overseen

pytestmark = pytest.mark.django_db


def _tree(depth: int) -> list[Jurisdiction]:
    """A chain ``depth`` levels deep with a second child under each level."""
    chain: list[Jurisdiction] = []
    for level in range(depth):
        parent = chain[-1] if chain else None
        Jurisdiction.objects.create(code=f"side{level}", name_zh="旁", kind="town", parent=parent)
        chain.append(
            Jurisdiction.objects.create(code=f"j{level}", name_zh="链", kind="city", parent=parent)
        )
    return chain


@pytest.mark.parametrize(
    ("role", "held_at"),
    [
        (Role.COMMAND_OFFICE_STAFF, 0),
        (Role.OFFICE_DIRECTOR, 3),
        (Role.COMMANDER, 5),
        (Role.COUNTY_OFFICER, 2),  # sees the places below, oversees none of them
    ],
)
def test_it_lists_the_places_oversees_admits_and_no_other(
    make_person: MakePerson, role: Role, held_at: int
) -> None:
    chain = _tree(7)
    person = make_person("staff", role, chain[held_at])
    expected = sorted(p.pk for p in jurisdictions_of(person) if oversees(person, p))
    assert _overseen(person) == expected
    assert bool(expected) == (role != Role.COUNTY_OFFICER)


def test_it_asks_no_query_per_jurisdiction(
    make_person: MakePerson,
) -> None:
    chain = _tree(7)
    person = make_person("staff", Role.COMMAND_OFFICE_STAFF, chain[0])
    with CaptureQueriesContext(connection) as queries:
        assert len(_overseen(person)) == 13  # j0 and all below it
    # jurisdictions_of walks down one query a level; the walk up is in memory.
    assert len(queries) <= 7 + 3
