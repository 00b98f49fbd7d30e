"""Liaocheng's list (from the enterprises tests) and an inspector of the environment bureau."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from enterprises.list_helpers import Firms, listed_firms

from conftest import MakePerson, Staff
from hazeguard_platform.accounts.models import Role


@pytest.fixture
def firms(liaocheng: Staff, tmp_path: Path) -> Firms:
    return listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)


@pytest.fixture
def inspector(liaocheng: Staff, make_person: MakePerson) -> User:
    """An enforcement officer of the environment bureau (a member unit)."""
    return make_person("bureau-inspector", Role.MEMBER_UNIT_STAFF, liaocheng.jurisdiction)
