"""The README's first command works on a Python whose pip refuses to install (PEP 668, Debian's
and Ubuntu's "externally-managed-environment"), without overriding that refusal."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from paths import ROOT

SYSTEM_PYTHON = Path("/usr/bin/python3")


def _readme_prefix() -> str:
    """The README's first command up to ``uv run``: the part that installs uv."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.+?) && \.uv/bin/uv run hazeguard serve --demo", readme)
    assert first is not None, "the README's first command changed shape"
    return first.group(1)


def _externally_managed(python: Path) -> bool:
    found = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return (Path(found.stdout.strip()) / "EXTERNALLY-MANAGED").exists()


@pytest.mark.slow
def test_the_first_command_installs_uv_beside_an_externally_managed_python(
    tmp_path: Path,
) -> None:
    if not SYSTEM_PYTHON.exists() or not _externally_managed(SYSTEM_PYTHON):
        pytest.skip("no externally-managed system python3 on this machine")
    refused = subprocess.run(
        [str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "uv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "externally-managed-environment" in refused.stderr  # the situation being tested
    prefix = _readme_prefix().replace("python3 ", f"{SYSTEM_PYTHON} ")
    assert "--break-system-packages" not in prefix
    subprocess.run(prefix, shell=True, cwd=tmp_path, check=True, timeout=300)
    version = subprocess.run(
        [str(tmp_path / ".uv/bin/uv"), "run", "--project", str(ROOT), "hazeguard", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert "hazeguard" in version.stdout
