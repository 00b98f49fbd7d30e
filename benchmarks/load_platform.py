"""Load benchmark of the platform on PostgreSQL (issue 6 §5); not part of the test suite.

    .ci/with-postgres uv run python benchmarks/load_platform.py [--enterprises 5000] [--users 200]

It migrates the (fresh, throw-away) database named by ``DATABASE_URL`` itself and then measures:

1. Issuing red in Liaocheng (seed 003) with a 5,000-enterprise list and 40 member units: the list
   import (``emission_list_import`` of a ``generate_city`` workbook), then propose → approve →
   issue through the warning services, with the rows each step created. Baselines in the same
   run: yellow issued with a 50-enterprise list (per-enterprise ratio), and the floor — the same
   number of enterprise-task rows inserted with one ``bulk_create`` (rolled back).
2. 200 signed-in users (enterprise contacts, member-unit staff, office staff) each running a
   fixed script of 10 requests at once against the real WSGI application served on 127.0.0.1 by a
   child process; latency p50/p95/p99 and errors. Baselines: one user alone running the same
   scripts, and the CAP feed (no session, one query) under the same 200 × 10 load.

Figures depend on the machine and its load; docs/load.md records a run.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SETTINGS = "load_settings"
PASSWORD = "load-benchmark-password-1"
MEMBER_UNITS = 40
OFFICE_STAFF = 10

# The platform reads these at import; set them before Django is set up (here and in the server).
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
os.environ.setdefault("HAZEGUARD_SECRET_KEY", secrets.token_urlsafe(48))
os.environ["HAZEGUARD_SECURE_COOKIES"] = "0"  # plain HTTP on the loopback
os.environ["HAZEGUARD_ALLOWED_HOSTS"] = "127.0.0.1"
sys.path.insert(0, str(HERE))

from load_http import (  # noqa: E402 - after the environment above
    Step,
    User,
    free_port,
    percentiles,
    report,
    run_users,
    serve,
    sign_in,
    wait_for,
)


def require_postgres() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "load_platform.py measures PostgreSQL: set DATABASE_URL=postgres://... "
            "(e.g. run it as `.ci/with-postgres uv run python benchmarks/load_platform.py`)"
        )


def create_database() -> None:
    """Create the database ``DATABASE_URL`` names when missing (``.ci/with-postgres`` starts an
    empty server); a database that has tables already is refused — the run needs a fresh one."""
    import psycopg
    from psycopg import sql

    url = psycopg.conninfo.conninfo_to_dict(os.environ["DATABASE_URL"])
    name = str(url.get("dbname") or "postgres")
    with psycopg.connect(**{**url, "dbname": "postgres"}, autocommit=True) as server:
        found = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with psycopg.connect(**url) as database:
        tables = database.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    if tables and tables[0]:
        sys.exit(f"database {name!r} is not empty: load_platform.py needs a fresh database")


@contextmanager
def timed(label: str, into: dict[str, float]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into[label] = time.perf_counter() - started


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def created(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before.get(k, 0)}


def command_staff(jurisdiction: Any) -> dict[str, Any]:
    """One person per command role of the jurisdiction (the services pick who may act)."""
    from django.contrib.auth.models import User as Person

    from hazeguard_platform.accounts.models import COMMAND_ROLES
    from hazeguard_platform.accounts.services import membership_grant

    staff = {}
    for role in COMMAND_ROLES:
        person = Person.objects.create_user(f"{jurisdiction.code}-{role}", password=PASSWORD)
        membership_grant(actor=None, user=person, jurisdiction=jurisdiction, role=role)
        staff[str(role)] = person
    return staff


def member_units(jurisdiction: Any, wanted: int) -> list[Any]:
    """The plan's own member units, plus synthetic ones (direct rows: set-up) up to ``wanted``."""
    from hazeguard_platform.jurisdictions.models import MemberUnit

    have = list(jurisdiction.member_units.all())
    for number in range(len(have), wanted):
        have.append(
            MemberUnit.objects.create(
                jurisdiction=jurisdiction,
                code=f"synthetic-{number:02d}",
                name_zh=f"合成单位{number}",
            )
        )
    return have


def list_import(jurisdiction: Any, actor: Any, n: int, seed: int, folder: Path) -> float:
    """Write a ``generate_city`` list of ``n`` enterprises and import it; the import's time [s]."""
    from hazeguard.reduction.io_excel import ListWorkbook, write_workbook
    from hazeguard.reduction.synthetic import generate_city
    from hazeguard_platform.enterprises.services import emission_list_import

    path = folder / f"list-{n}.xlsx"
    write_workbook(ListWorkbook(generate_city(n, seed, jurisdiction="聊城市")), path)
    started = time.perf_counter()
    with path.open("rb") as file:
        emission_list_import(jurisdiction=jurisdiction, file=file, actor=actor)
    return time.perf_counter() - started


def issue(jurisdiction: Any, staff: dict[str, Any], level: str) -> tuple[Any, dict[str, float]]:
    """Propose → approve → issue ``level`` through the services; the time of each step [s]."""
    from django.utils import timezone

    from hazeguard_platform.warnings.selectors import allowed_actions
    from hazeguard_platform.warnings.services import (
        warning_approve,
        warning_issue,
        warning_propose,
    )

    clerk = staff["command_office_staff"]
    times: dict[str, float] = {}
    with timed("propose", times):
        warning = warning_propose(
            actor=clerk, jurisdiction=jurisdiction, level=level, reason="load"
        )
    approver = next(p for p in staff.values() if "approve" in allowed_actions(p, warning))
    with timed("approve", times):
        warning_approve(actor=approver, warning_id=warning.pk)
    # The plan's usual lead time: 24 h before the start (seed 003 §3.3.1), counted from the hour.
    start = (timezone.now() + timedelta(hours=25)).replace(minute=0, second=0, microsecond=0)
    with timed("issue", times):
        warning = warning_issue(actor=clerk, warning_id=warning.pk, starts_at=start)
    return warning, times


def bulk_floor(warning: Any, rows: int) -> float:
    """The time to insert ``rows`` enterprise tasks with one ``bulk_create``, rolled back [s]."""
    from django.db import transaction

    from hazeguard_platform.enterprises.models import EnterpriseTask, ListedEnterprise

    enterprises = list(ListedEnterprise.objects.filter(listed=True).values_list("pk", flat=True))
    tasks = [
        EnterpriseTask(
            enterprise_id=enterprises[i % len(enterprises)],
            warning=warning,
            level=warning.level,
            description="停产",
            measure={"kind": "stop", "unit_ids": [], "fraction": None},
            starts_at=warning.starts_at,
        )
        for i in range(rows)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        EnterpriseTask.objects.bulk_create(tasks)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def part_issue(n_enterprises: int, folder: Path) -> dict[str, Any]:
    """Part 1; returns what part 2 needs (the jurisdiction, its staff, its units)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hazeguard_platform.jurisdictions.services import plan_import
    from hazeguard_platform.warnings.services import warning_lift

    plan_import(actor=None, plan_id="liaocheng-2020")
    from hazeguard_platform.jurisdictions.models import Jurisdiction

    liaocheng = Jurisdiction.objects.get(code="liaocheng")
    staff = command_staff(liaocheng)
    units = member_units(liaocheng, MEMBER_UNITS)
    clerk = staff["command_office_staff"]
    print(f"Liaocheng: {liaocheng.children.count()} counties, {len(units)} member units")

    small = list_import(liaocheng, clerk, 50, 1, folder)
    before = row_counts()
    yellow, yellow_times = issue(liaocheng, staff, "yellow")
    yellow_rows = created(before, row_counts())
    print(f"\nbaseline: 50-enterprise list imported in {small:.2f} s; yellow issued:")
    print_issue(yellow_times, yellow_rows)
    warning_lift(actor=staff["office_director"], warning_id=yellow.pk, reason="load: baseline")

    big = list_import(liaocheng, clerk, n_enterprises, 2, folder)
    print(f"\n{n_enterprises}-enterprise list imported in {big:.1f} s")
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        red, red_times = issue(liaocheng, staff, "red")
    red_rows = created(before, row_counts())
    print(f"red issued ({len(queries.captured_queries)} SQL statements):")
    print_issue(red_times, red_rows)
    tasks = red_rows.get("enterprises.EnterpriseTask", 0)
    floor = bulk_floor(red, tasks)
    total = sum(red_times.values())
    per_small = yellow_times["issue"] / max(1, yellow_rows.get("enterprises.EnterpriseTask", 1))
    per_big = red_times["issue"] / max(1, tasks)
    print(
        f"floor: {tasks} enterprise-task rows by one bulk_create in {floor:.2f} s; "
        f"issue per enterprise task: red {per_big * 1000:.2f} ms, yellow {per_small * 1000:.2f} ms"
    )
    verdict = "met" if total < 10 else "MISSED"
    print(f"target propose+approve+issue < 10 s: {total:.2f} s, {verdict}")
    notices = red_rows.get("notices.Notice", 0) + red_rows.get("notices.Delivery", 0)
    if not notices:
        print("notices: none queued — warning_issue does not create notices on this branch")
    return {"jurisdiction": liaocheng, "staff": staff, "units": units}


def print_issue(times: dict[str, float], rows: dict[str, int]) -> None:
    print("  " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in times.items()))
    print("  rows created: " + ", ".join(f"{k} {v}" for k, v in sorted(rows.items())))


def make_users(setup: dict[str, Any], count: int) -> list[tuple[str, list[Step]]]:
    """``count`` people: office staff, member-unit staff (one per unit), enterprise contacts;
    each with the script of 10 requests its role would make."""
    from django.contrib.auth.models import User as Person
    from django.utils import timezone

    from hazeguard_platform.accounts.models import Role
    from hazeguard_platform.accounts.services import membership_grant
    from hazeguard_platform.enterprises.models import ListedEnterprise
    from hazeguard_platform.enterprises.services import enterprise_contact_add

    city = setup["jurisdiction"]
    clerk = setup["staff"]["command_office_staff"]
    code = city.code
    people: list[tuple[str, list[Step]]] = []
    for number in range(OFFICE_STAFF):
        person = Person.objects.create_user(f"office-{number}", password=PASSWORD)
        membership_grant(actor=None, user=person, jurisdiction=city, role=Role.COMMAND_OFFICE_STAFF)
        script = [
            Step("GET", "/"),
            Step("GET", f"/staff/j/{code}/"),
            Step("GET", f"/operations/{code}/matrix/"),
            Step("GET", f"/enterprises/list/{code}/"),
            Step("GET", f"/j/{code}/"),
        ]
        people.append((person.username, script * 2))
    for unit in setup["units"][: max(0, count - OFFICE_STAFF)]:
        person = Person.objects.create_user(f"unit-{unit.code}", password=PASSWORD)
        membership_grant(
            actor=None,
            user=person,
            jurisdiction=city,
            role=Role.MEMBER_UNIT_STAFF,
            member_unit=unit,
        )
        # Liaocheng 2020 names no responsible units and no daily report (docs/operations.md):
        # its member units have no tasks or reports, so their staff browse.
        script = [
            Step("GET", "/"),
            Step("GET", "/operations/"),
            Step("GET", f"/j/{code}/"),
            Step("GET", "/notices/inbox/"),
            Step("GET", "/operations/"),
        ]
        people.append((person.username, script * 2))
    today = timezone.localdate().isoformat()
    enterprises = ListedEnterprise.objects.filter(jurisdiction=city, listed=True).order_by("pk")
    for enterprise in enterprises.prefetch_related("units")[: max(0, count - len(people))]:
        person = Person.objects.create_user(f"contact-{enterprise.pk}", password=PASSWORD)
        enterprise_contact_add(actor=clerk, enterprise=enterprise, user=person)
        page = f"/enterprises/{enterprise.pk}/"
        form = {"day": today} | {f"status-{u.pk}": "stopped" for u in enterprise.units.all()}
        script = [
            Step("GET", "/"),
            Step("GET", page),
            Step("POST", f"{page}production/", form, expect=(302,)),
            Step("GET", page),
            Step("GET", f"/j/{code}/"),
        ]
        people.append((person.username, script * 2))
    return people


def part_http(setup: dict[str, Any], count: int, threads: int, budget: float, think: float) -> None:
    """Part 2: the server in a child process, ``count`` signed-in users at once."""
    from django.db import connections

    people = make_users(setup, count)
    connections.close_all()
    port = free_port()
    # The server's stderr (tracebacks of 500s), kept when it is not empty.
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        "w+", prefix="load-server-", suffix=".log", delete=False
    )
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--threads", str(threads)],
        stdout=log,
        stderr=log,
        env=os.environ.copy(),
    )
    try:
        wait_for(port, time.monotonic() + 60)
        users = [User(name, sign_in(port, name, PASSWORD), script) for name, script in people]
        roles = {n.split("-")[0] for n, _ in people}
        print(f"\nserver: 127.0.0.1:{port}, {threads} worker threads; {len(users)} users signed in")
        print(f"  ({', '.join(f'{r}: {sum(n.startswith(r) for n, _ in people)}' for r in roles)})")
        one = [User("alone", users[i].cookies, users[i].steps) for i in (0, OFFICE_STAFF, -1)]
        alone = run_sequence(port, one, budget)
        report("baseline, one user at a time (office, member unit, enterprise scripts)", alone)
        feed = [User(u.name, {}, [Step("GET", "/cap/feed.atom")] * 10) for u in users]
        report(
            f"baseline, CAP feed, {len(feed)} clients x 10 at once", run_users(port, feed, budget)
        )
        loaded = run_users(port, users, budget)
        report(f"{len(users)} users x 10 requests at once, back to back", loaded)
        if think > 0:
            paced = run_users(port, users, budget, think=think)
            report(f"{len(users)} users x 10 requests, {think:g} s mean pause before each", paced)
        p95 = percentiles(loaded.all())["p95"]
        print(f"target p95 < 300 ms: {p95:.0f} ms, {'met' if p95 < 300 else 'MISSED'}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        problems = [line for line in log.read().splitlines() if line.strip()]
        log.close()
        if problems:
            print(f"server log ({log.name}), last lines:\n  " + "\n  ".join(problems[-5:]))
        else:
            os.unlink(log.name)


def run_sequence(port: int, users: list[User], budget: float) -> Any:
    """The users' scripts one after another (one client at a time)."""
    outcomes = [run_users(port, [user], budget) for user in users]
    merged = outcomes[0]
    for other in outcomes[1:]:
        for page, values in other.latencies.items():
            merged.latencies.setdefault(page, []).extend(values)
        merged.errors.extend(other.errors)
        merged.wall += other.wall
    return merged


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16, help="server worker threads")
    parser.add_argument("--budget", type=float, default=300.0, help="time limit of a run [s]")
    parser.add_argument(
        "--think", type=float, default=0.0, help="also run with this mean pause per request [s]"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    require_postgres()
    if args.serve:
        serve(args.serve, args.threads)
        return
    import django
    from django.core.management import call_command

    create_database()
    django.setup()
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        setup = part_issue(args.enterprises, Path(folder))
    part_http(setup, args.users, args.threads, args.budget, args.think)


if __name__ == "__main__":
    main()
