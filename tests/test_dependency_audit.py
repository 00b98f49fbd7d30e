""".ci/audit_dependencies.py: a vulnerability with a fix fails the audit; where pip-audit cannot
reach PyPI's per-release JSON, a package locked at its newest release is audited through the
project JSON, and any other is said to be NOT AUDITED (docs/security.md "The dependency audit").
The last two ask PyPI itself (skipped where it cannot be reached)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest

from paths import ROOT

SCRIPT = ROOT / ".ci" / "audit_dependencies.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_vulnerability_with_a_fix_in_an_audited_package_is_counted() -> None:
    # pip-audit's JSON for a package it audited (its --format json "dependencies" entries).
    dependencies = [
        {"name": "example", "version": "1.0", "vulns": [
            {"id": "PYSEC-0000-1", "fix_versions": ["1.1"]},
            {"id": "PYSEC-0000-2", "fix_versions": []},
        ]},
        {"name": "clean", "version": "2.0", "vulns": []},
    ]  # fmt: skip
    tally = _script().audit(dependencies, {})
    assert (tally.audited, tally.fixable, tally.unfixed) == (2, 1, 1)
    assert tally.lines[0] == "VULNERABLE example 1.0: PYSEC-0000-1 (fixed in 1.1)"


def _run(tmp_path: Path, pins: str, **env: str) -> subprocess.CompletedProcess[str]:
    try:
        urllib.request.urlopen(f"{_script().json_api()}/pycrypto/json", timeout=20).close()
    except (urllib.error.URLError, TimeoutError) as error:
        pytest.skip(f"PyPI cannot be reached: {error}")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(pins)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(requirements)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def test_a_package_at_its_newest_release_is_audited_with_its_advisories(tmp_path: Path) -> None:
    # pycrypto 2.6.1 (2013) is its last release, with known heap overflows and no fix.
    done = _run(tmp_path, "pycrypto==2.6.1\n", HAZEGUARD_REQUIRE_AUDIT="1")
    assert "known, no fix yet: pycrypto 2.6.1: PYSEC-2017-94" in done.stdout
    assert "1 of 1 locked packages audited" in done.stdout
    assert done.returncode == 0, done.stdout + done.stderr  # nothing to upgrade to


def test_an_older_release_is_not_audited_and_says_so(tmp_path: Path) -> None:
    done = _run(tmp_path, "django==5.2.19\n", HAZEGUARD_REQUIRE_AUDIT="1")
    if "0 of 1" not in done.stdout:
        pytest.skip("pip-audit reached a per-release service here: nothing falls back")
    assert "NOT AUDITED django 5.2.19: newer release" in done.stdout
    assert "no known vulnerabilities" not in done.stdout.lower()
    assert done.returncode == 1
