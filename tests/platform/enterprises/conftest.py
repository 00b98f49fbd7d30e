"""Liaocheng (seed 003) with its emission list imported and one contact per enterprise."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Staff

from .list_helpers import Firms, listed_firms


@pytest.fixture
def firms(liaocheng: Staff, tmp_path: Path) -> Firms:
    return listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)
