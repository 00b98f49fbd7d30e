"""CI: the locked dependencies against known vulnerabilities; fails when one has a fixed version.

pip-audit asks PyPI's per-release JSON (``/pypi/<name>/<version>/json``, its default service,
which carries the OSV advisories of that release). A vulnerability without a fixed release yet
is listed, not failed: there is nothing to upgrade to. Usage: ``uv run python
.ci/audit_dependencies.py [REQUIREMENTS]`` (default: ``uv export`` of uv.lock, every group).

Where pip-audit cannot reach that endpoint (this project's machines reach PyPI through a proxy
that answers it with 404, and osv.dev not at all: docs/security.md "The dependency audit"), each
package it skipped is looked up on PyPI's project JSON (``/pypi/<name>/json``), which the proxy
does serve: its ``vulnerabilities`` are those of the project's *newest* release. So a package
locked at its newest release is audited with the same advisories; any other is printed as NOT
AUDITED with the newest release named, never counted as "no known vulnerabilities", and fails
the run when ``HAZEGUARD_REQUIRE_AUDIT=1``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"
TIMEOUT = 30.0  # seconds per request


@dataclass
class Tally:
    """What the audit found: lines to print and the counts the exit status depends on."""

    audited: int = 0
    fixable: int = 0
    unfixed: int = 0
    lines: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)

    def vulnerabilities(self, name: str, version: str, vulns: Iterable[Mapping[str, Any]]) -> None:
        """Count one audited package's vulnerabilities (pip-audit's ``id`` / ``fix_versions``)."""
        self.audited += 1
        for vulnerability in vulns:
            fixes = list(vulnerability.get("fix_versions") or [])
            where = f"{name} {version}: {vulnerability['id']}"
            if fixes:
                self.fixable += 1
                self.lines.append(f"VULNERABLE {where} (fixed in {', '.join(fixes)})")
            else:
                self.unfixed += 1
                self.lines.append(f"known, no fix yet: {where}")


def pip_audit(requirements: Path, *, hashed: bool) -> list[dict[str, Any]]:
    """pip-audit's dependencies with their vulnerabilities (no resolution: the lock is exact)."""
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--disable-pip"]
    command += ["--format", "json", "--progress-spinner", "off"]
    if not hashed:
        command.append("--no-deps")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.exit(f"pip-audit could not run: {done.stderr.strip()[-1000:]}")
    return list(json.loads(done.stdout)["dependencies"])


def locked_versions(requirements: Path) -> dict[str, str]:
    """``name==version`` pins of a requirements file (markers and hashes ignored)."""
    pins: dict[str, str] = {}
    for line in requirements.read_text().splitlines():
        requirement = line.split(";")[0].split("\\")[0].strip()
        if "==" in requirement and not requirement.startswith(("#", "-")):
            name, version = requirement.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


@functools.cache
def json_api() -> str:
    """The JSON API's base URL of the index uv.lock was resolved from (its ``…/simple`` index
    with ``/pypi`` instead, as PyPI lays them out)."""
    found = re.search(r'registry = "([^"]+)/simple/?"', LOCK.read_text())
    if found is None:
        sys.exit(f"no package index named in {LOCK}")
    return f"{found.group(1)}/pypi"


def project_json(name: str) -> dict[str, Any] | str:
    """PyPI's project JSON of ``name``, or why it could not be read."""
    try:
        with urllib.request.urlopen(f"{json_api()}/{name}/json", timeout=TIMEOUT) as answer:
            return dict(json.load(answer))
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return f"PyPI's project JSON could not be read: {error}"


def newest_release_vulns(project: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The project JSON's advisories (those of the newest release) as pip-audit writes them."""
    return [
        {"id": v["id"], "fix_versions": list(v.get("fixed_in") or [])}
        for v in project.get("vulnerabilities") or []
        if v.get("withdrawn") is None  # pip-audit drops withdrawn advisories too
    ]


def audit_skipped(skipped: list[dict[str, Any]], pins: Mapping[str, str], tally: Tally) -> None:
    """Audit pip-audit's skipped packages through the project JSON where the locked release is
    the newest; the others are recorded as not audited, with the reason."""
    names = [str(d["name"]) for d in skipped]
    with ThreadPoolExecutor(max_workers=4) as pool:
        projects = list(pool.map(project_json, names))
    for dependency, project in zip(skipped, projects, strict=True):
        name = str(dependency["name"])
        locked = pins.get(name.lower(), str(dependency.get("version", "?")))
        if isinstance(project, str):
            tally.not_audited.append(f"{name} {locked}: {project}")
            continue
        newest = str(project["info"]["version"])
        if newest != locked:
            tally.not_audited.append(
                f"{name} {locked}: newer release {newest}; the per-release endpoint is not "
                "served here and the project JSON lists only the newest release's advisories"
            )
            continue
        tally.vulnerabilities(name, locked, newest_release_vulns(project))


def audit(dependencies: list[dict[str, Any]], pins: Mapping[str, str]) -> Tally:
    """Every package's vulnerabilities: pip-audit's where it audited the package, else through
    the project JSON (:func:`audit_skipped`)."""
    tally = Tally()
    for dependency in dependencies:
        if not dependency.get("skip_reason"):
            name, version = str(dependency["name"]), str(dependency["version"])
            tally.vulnerabilities(name, version, dependency.get("vulns", []))
    audit_skipped([d for d in dependencies if d.get("skip_reason")], pins, tally)
    return tally


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        if len(sys.argv) > 1:
            requirements, hashed = Path(sys.argv[1]), False
        else:
            requirements, hashed = Path(scratch) / "requirements.txt", True
            subprocess.run(
                [
                    *("uv", "export", "--frozen", "--format", "requirements-txt"),
                    *("--all-groups", "--no-emit-project", "-o", str(requirements), "--quiet"),
                ],
                check=True,
            )
        pins = locked_versions(requirements)
        dependencies = pip_audit(requirements, hashed=hashed)
    tally = audit(dependencies, pins)
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for line in [*tally.lines, *(f"NOT AUDITED {n}" for n in tally.not_audited)]:
        print(line)
    print(
        f"{tally.audited} of {len(dependencies)} locked packages audited "
        f"({len(skipped)} through PyPI's project JSON or not at all); "
        f"{tally.fixable} vulnerabilities with a fix, {tally.unfixed} without one"
    )
    if tally.not_audited and os.environ.get("HAZEGUARD_REQUIRE_AUDIT") == "1":
        return 1
    return 1 if tally.fixable else 0


if __name__ == "__main__":
    sys.exit(main())
