"""Named personas for the platform's roles, and the jurisdictions they work in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.jurisdictions.models import Jurisdiction

PASSWORD = "a-long-test-password-7"

MakePerson = Callable[..., User]


@pytest.fixture
def city(db: None) -> Jurisdiction:
    """A city with no plan imported (tests of accounts and audit need none)."""
    return Jurisdiction.objects.create(code="testcity", name_zh="测试市", kind="city")


@pytest.fixture
def make_person(db: None) -> MakePerson:
    """Make a user holding ``role`` in ``jurisdiction``."""

    def make(username: str, role: Role | None, jurisdiction: Jurisdiction | None) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD)
        if role is not None and jurisdiction is not None:
            Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role)
        return user

    return make
