"""Personas of Dalian Xigang (seed 000), whose plan lets the commander or the deputy approve."""

from __future__ import annotations

import pytest

from conftest import MakePerson, Staff, _staff
from hazeguard_platform.jurisdictions.services import plan_import


@pytest.fixture
def xigang(db: None, make_person: MakePerson) -> Staff:
    """Dalian Xigang district with its plan imported and its command staffed."""
    version = plan_import(actor=None, plan_id="dalian-xigang-2023")
    return _staff(make_person, version.jurisdiction)
