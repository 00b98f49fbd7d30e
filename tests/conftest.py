"""Shared test fixtures: where the real data lives and how tests that need it skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SHARED_DATA


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED_DATA.is_dir():
        return
    skip = pytest.mark.skip(reason=f"the full real data is not here: {SHARED_DATA} is absent")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real data beside the project (``../shared/data``)."""
    return SHARED_DATA
