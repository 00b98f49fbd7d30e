"""The shortened soak (issue 16 §4): ``benchmarks/load_platform.py --soak`` against the
production server on PostgreSQL, 40 signed-in users for 5 minutes; memory and p95 stay flat
(``benchmarks/load_soak.py`` says what flat means). Marked ``soak``: excluded unless asked for,

    .ci/with-postgres uv run pytest -m soak tests/platform/test_soak.py -s

The 30-minute, 200-user soak is the benchmark itself (docs/load.md)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import psycopg
import pytest

from paths import ROOT

MINUTES = 5


@pytest.mark.soak
def test_a_five_minute_soak_keeps_memory_and_p95_flat() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the soak measures PostgreSQL: run it under .ci/with-postgres")
    # A database of its own: the benchmark refuses one that has tables.
    name = f"hazeguard_soak_{secrets.token_hex(4)}"
    server = psycopg.conninfo.conninfo_to_dict(url)
    env = {
        **os.environ,
        "DATABASE_URL": psycopg.conninfo.make_conninfo(**{**server, "dbname": name}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "benchmarks/load_platform.py", "--enterprises", "200"]
    command += ["--users", "40", "--workers", "2", "--threads", "2", "--think", "2"]
    try:
        run = subprocess.run(
            [*command, "--soak", str(MINUTES)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=MINUTES * 60 + 900,
            check=False,
        )
    finally:
        with psycopg.connect(**{**server, "dbname": "postgres"}, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(run.stdout)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "SOAK: 40 users" in run.stdout
    errors = pass_errors(run.stdout)
    assert errors, run.stdout[-1500:]
    assert not any(errors), run.stdout[-1500:]  # 0 failed requests in every pass
    assert run.stdout.rstrip().endswith(": flat"), run.stdout[-1500:]


def pass_errors(output: str) -> list[int]:
    """The errors column of the soak's table, one number per pass (the office signs in with its
    second factor, so none is expected)."""
    table = output.partition("SOAK:")[2].splitlines()[2:]
    rows = [line.split() for line in table]
    return [int(row[2]) for row in rows if len(row) == 5 and row[0].isdigit() and row[1] != "x"]
