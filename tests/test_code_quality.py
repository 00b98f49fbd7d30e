"""The strict tools run inside the test suite, so the README's one test command checks them too."""

from __future__ import annotations

import subprocess
import sys

from paths import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_no_lint_errors() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_unchanged() -> None:
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_core_and_the_platform() -> None:
    """``[tool.mypy]``: the core and the Django platform (django-stubs' plugin), both strict."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
