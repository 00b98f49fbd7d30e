"""tests/platform/ has one folder per app (docs/architecture.md): each test module sits in the
folder named after the package of src/hazeguard_platform/ it tests, or in project/ when it tests
what is no app's own. Shared helpers (conftest.py, flows.py, ...) stay at the root."""

from __future__ import annotations

from pathlib import Path

import hazeguard_platform

TESTS = Path(__file__).resolve().parents[1]
PLATFORM = Path(hazeguard_platform.__file__).parent
# Folders not named like their package, each with its reason (docs/architecture.md).
OTHER_FOLDERS = {
    "public_site": "public",  # a test package `public` would shadow atpublic (aiosmtpd's)
    "project": None,  # settings, serve and the CLI, backup, uploads, the import graph
}


def _packages() -> set[str]:
    return {path.parent.name for path in PLATFORM.glob("*/__init__.py")}


def test_no_test_module_sits_at_the_root_of_tests_platform() -> None:
    assert sorted(path.name for path in TESTS.glob("test_*.py")) == []


def test_every_test_folder_is_named_after_a_package_of_the_platform() -> None:
    folders = {path.parent.relative_to(TESTS).parts[0] for path in TESTS.rglob("test_*.py")}
    assert sorted(folders - _packages() - set(OTHER_FOLDERS)) == []


def test_the_renamed_folders_name_packages_that_exist() -> None:
    named = {package for package in OTHER_FOLDERS.values() if package is not None}
    assert named <= _packages()
