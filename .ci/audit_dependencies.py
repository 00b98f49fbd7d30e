"""CI: the locked dependencies against known vulnerabilities; fails when one has a fixed version.

pip-audit asks PyPI's JSON API (its default service, which carries the OSV advisories per
release). A vulnerability without a fixed release yet is listed, not failed: there is nothing to
upgrade to. Usage: ``uv run python .ci/audit_dependencies.py [REQUIREMENTS]`` (default:
``uv export`` of uv.lock, every group).

Where the JSON API cannot be reached (this project's CI reaches PyPI's package index through a
proxy that answers the JSON API with 404, and osv.dev not at all), pip-audit skips every package:
that is said loudly as NOT AUDITED, never as "no known vulnerabilities", and fails the run when
``HAZEGUARD_REQUIRE_AUDIT=1`` (set it where the service is reachable). docs/security.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def audit(requirements: Path, *, hashed: bool) -> list[dict[str, object]]:
    """pip-audit's dependencies with their vulnerabilities (no resolution: the lock is exact)."""
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--disable-pip"]
    command += ["--format", "json", "--progress-spinner", "off"]
    if not hashed:
        command.append("--no-deps")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.exit(f"pip-audit could not run: {done.stderr.strip()[-1000:]}")
    return list(json.loads(done.stdout)["dependencies"])


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
        dependencies = audit(requirements, hashed=hashed)
    fixable = unfixed = 0
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in skipped:
        print(f"NOT AUDITED {dependency['name']}: {dependency['skip_reason']}")
        for vulnerability in dependency.get("vulns", []):  # type: ignore[attr-defined]
            fixes = vulnerability.get("fix_versions") or []
            where = f"{dependency['name']} {dependency.get('version', '?')}: {vulnerability['id']}"
            if fixes:
                fixable += 1
                print(f"VULNERABLE {where} (fixed in {', '.join(fixes)})")
            else:
                unfixed += 1
                print(f"known, no fix yet: {where}")
    audited = len(dependencies) - len(skipped)
    print(
        f"{audited} of {len(dependencies)} locked packages audited; "
        f"{fixable} vulnerabilities with a fix, {unfixed} without one"
    )
    if skipped and os.environ.get("HAZEGUARD_REQUIRE_AUDIT") == "1":
        return 1
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())
