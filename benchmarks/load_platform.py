"""Load benchmark of the platform on PostgreSQL (issue 6 §5); not part of the test suite.

    .ci/with-postgres uv run python benchmarks/load_platform.py [--enterprises 5000] [--users 200]
    .ci/with-postgres uv run python benchmarks/load_platform.py --soak 30   # the soak instead
    .ci/with-postgres uv run python benchmarks/load_platform.py --situation  # situation pages

It migrates the (fresh, throw-away) database named by ``DATABASE_URL`` itself and then measures:

1. Issuing red in Liaocheng (seed 003) with a 5,000-enterprise list and 40 member units: the list
   import (``emission_list_import`` of a ``generate_city`` workbook), then propose → approve →
   issue through the warning services, with the rows each step created (tasks, notices and
   their deliveries, queued background tasks). Baselines in the same run: yellow issued with a
   50-enterprise list (per-enterprise ratio), and the floor — the same number of
   enterprise-task rows inserted with one ``bulk_create`` (rolled back).
2. 200 signed-in users (enterprise contacts reporting their production, member-unit staff,
   office staff) each running a script of 10 requests against the production server
   (``hazeguard serve --workers N``: gunicorn, gthread) in a child process on 127.0.0.1:
   the target run, each user pausing for a think time before each request (negative
   exponential, mean ``--think`` s, TPC-W's 7 s by default), and a capacity run with no pause.
   Baselines in the same run: one user alone running the scripts, and the CAP feed (no
   session, one query) under 200 × 10 requests back to back. Latency p50/p95/p99 per page.
   ``--situation``: the same runs on the situation pages (issue 15): the office staff on the
   office's page and its data, the other users as the public (not signed in) on the public
   page and its data, with stations and 8 days of readings set up first (load_situation.py).

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
MEMBER_UNITS = 40

# The platform reads these at import; set them before Django is set up (here and in the server).
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
os.environ.setdefault("HAZEGUARD_SECRET_KEY", secrets.token_urlsafe(48))
os.environ["HAZEGUARD_SECURE_COOKIES"] = "0"  # plain HTTP on the loopback
os.environ["HAZEGUARD_ALLOWED_HOSTS"] = "127.0.0.1"
sys.path.insert(0, str(HERE))

from load_http import (  # noqa: E402 - after the environment above
    THINK_CUT,
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
from load_people import (  # noqa: E402
    OFFICE_STAFF,
    PASSWORD,
    authenticator_code,
    command_staff,
    make_users,
    member_units,
    notified_people,
)
from load_soak import print_soak, soak  # noqa: E402


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


@contextmanager
def notify_time(into: dict[str, float]) -> Iterator[None]:
    """Add the time spent creating notices (``warning_notice_send``, which the response
    services call through their module) to ``into["notices"]`` [s]; the call is unchanged."""
    from hazeguard_platform.response import services as lifecycle

    original = lifecycle.warning_notice_send

    def timed(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        try:
            original(*args, **kwargs)
        finally:
            into["notices"] = into.get("notices", 0.0) + time.perf_counter() - started

    lifecycle.warning_notice_send = timed  # type: ignore[assignment]
    try:
        yield
    finally:
        lifecycle.warning_notice_send = original  # type: ignore[assignment]


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def created(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before.get(k, 0)}


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
    """Propose → the plan's chain (review, agree, approve) → issue ``level`` through the
    services; the time of each step [s]."""
    from django.utils import timezone

    from hazeguard_platform.response import services
    from hazeguard_platform.response.services import warning_issue, warning_propose
    from hazeguard_platform.warnings.selectors import allowed_actions

    clerk = staff["command_office_staff"]
    times: dict[str, float] = {}
    with timed("propose", times):
        warning = warning_propose(
            actor=clerk, jurisdiction=jurisdiction, level=level, reason="load"
        )
    for kind in ("review", "agree", "approve"):
        taker = next((p for p in staff.values() if kind in allowed_actions(p, warning)), None)
        if taker is None:
            continue  # the plan's chain at this level has no such step
        with timed(kind, times):
            warning = getattr(services, f"warning_{kind}")(actor=taker, warning_id=warning.pk)
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

    from hazeguard_platform.jurisdictions.services import plan_import
    from hazeguard_platform.response.services import warning_lift
    from hazeguard_platform.warnings.models import Warning
    from hazeguard_platform.warnings.selectors import allowed_actions

    plan_import(actor=None, plan_id="liaocheng-2020")
    from hazeguard_platform.jurisdictions.models import Jurisdiction

    liaocheng = Jurisdiction.objects.get(code="liaocheng")
    staff = command_staff(liaocheng)
    units = member_units(liaocheng, MEMBER_UNITS)
    clerk = staff["command_office_staff"]
    print(f"Liaocheng: {liaocheng.children.count()} counties, {len(units)} member units")

    small = list_import(liaocheng, clerk, 50, 1, folder)
    notified_people(liaocheng, units)
    before = row_counts()
    yellow, yellow_times = issue(liaocheng, staff, "yellow")
    yellow_rows = created(before, row_counts())
    print(f"\nbaseline: 50-enterprise list imported in {small:.2f} s; yellow issued:")
    print_issue(yellow_times, yellow_rows)
    # Lifted by the plan's lifting chain (003 §3.3.2), each step by whoever may take it.
    while Warning.objects.get(pk=yellow.pk).state != "ended":
        current = Warning.objects.get(pk=yellow.pk)
        taker = next(p for p in staff.values() if "lift" in allowed_actions(p, current))
        warning_lift(actor=taker, warning_id=yellow.pk, reason="load: baseline")

    big = list_import(liaocheng, clerk, n_enterprises, 2, folder)
    print(f"\n{n_enterprises}-enterprise list imported in {big:.1f} s")
    # Everyone issuing notifies: 11 county officers, 40 unit staff, a contact per enterprise.
    people = notified_people(liaocheng, units)
    print(f"people a red warning notifies, where missing: {people} added")
    before = row_counts()
    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    # Counted, not captured: Django keeps at most 9,000 captured queries.
    notices_time: dict[str, float] = {}
    with connection.execute_wrapper(count), notify_time(notices_time):
        red, red_times = issue(liaocheng, staff, "red")
    red_rows = created(before, row_counts())
    print(
        f"red issued ({statements[0]} SQL statements; "
        f"of the issue, creating the notices: {notices_time.get('notices', 0.0):.2f} s):"
    )
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
    notices = {k: v for k, v in red_rows.items() if k.startswith("notices.")}
    print(
        "notices queued by issuing red: "
        + (", ".join(f"{k} {v}" for k, v in sorted(notices.items())) or "none")
    )
    return {"jurisdiction": liaocheng, "staff": staff, "units": units}


def print_issue(times: dict[str, float], rows: dict[str, int]) -> None:
    print("  " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in times.items()))
    print("  rows created: " + ", ".join(f"{k} {v}" for k, v in sorted(rows.items())))


def part_http(setup: dict[str, Any], count: int, options: argparse.Namespace) -> None:
    """Part 2: the production server in a child process, ``count`` signed-in users at once."""
    from django.db import connections

    people = make_users(setup, count)
    signed = {name for name, _ in people}
    if options.situation:
        from load_situation import monitoring_setup, situation_scripts

        city = setup["jurisdiction"]
        print(f"\nsituation pages: {monitoring_setup(city)} readings stored (load_situation.py)")
        scripted = situation_scripts(people, city.code, OFFICE_STAFF)
        people = [(name, script) for name, script, _ in scripted]
        signed = {name for name, _, signed_in in scripted if signed_in}
    codes = {name: authenticator_code(name) for name in signed}
    connections.close_all()
    port = free_port()
    budget = options.budget
    # The server's stderr (tracebacks of 500s), kept when it is not empty.
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        "w+", prefix="load-server-", suffix=".log", delete=False
    )
    size = ["--workers", str(options.workers), "--threads", str(options.threads)]
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), *size],
        stdout=log,
        stderr=log,
        env=os.environ.copy(),
    )
    try:
        # Five server processes loading Django on a loaded 2-core machine can take minutes.
        wait_for(port, time.monotonic() + 300)
        users = [
            User(name, sign_in(port, name, PASSWORD, codes[name]) if name in signed else {}, script)
            for name, script in people
        ]
        roles = {n.split("-")[0] for n, _ in people}
        print(
            f"\nserver: gunicorn on 127.0.0.1:{port}, {options.workers} worker processes x "
            f"{options.threads} threads (gthread); {len(users)} users signed in"
        )
        print(f"  ({', '.join(f'{r}: {sum(n.startswith(r) for n, _ in people)}' for r in roles)})")
        # Warm-up, not measured: each server process reads the plan versions once (cached
        # in-process, presenters.measures_of) and opens its database connections; a server that
        # has run for a minute has done this. Every role's script, by a few users at once.
        by_role: dict[str, list[User]] = {}
        for user in users:
            by_role.setdefault(user.name.split("-")[0], []).append(user)
        warm = [u for group in by_role.values() for u in group[: 2 * options.workers]]
        run_users(port, [User(u.name, u.cookies, u.steps[:5]) for u in warm], budget)
        if options.soak:
            result = soak(port, server.pid, users, options.soak, options.think)
            print_soak(result, len(users), options.soak)
            return
        one = [User("alone", users[i].cookies, users[i].steps) for i in (0, OFFICE_STAFF, -1)]
        alone = run_sequence(port, one, budget)
        report("baseline, one user at a time (office, member unit, enterprise scripts)", alone)
        feed = [User(u.name, {}, [Step("GET", "/cap/feed.atom")] * 10) for u in users]
        report(
            f"baseline, CAP feed, {len(feed)} clients x 10 at once", run_users(port, feed, budget)
        )
        capacity = run_users(port, users, budget)
        report(f"capacity: {len(users)} users x 10 requests at once, back to back", capacity)
        paced = run_users(port, users, budget, think=options.think)
        report(
            f"TARGET: {len(users)} users x 10 requests, think time before each: negative "
            f"exponential, mean {options.think:g} s, cut at {THINK_CUT * options.think:g} s",
            paced,
        )
        p95 = percentiles(paced.all())["p95"]
        verdict = "met" if p95 < 300 and not paced.errors else "MISSED"
        print(f"target p95 < 300 ms with {len(users)} users: {p95:.0f} ms, {verdict}")
    finally:
        server.terminate()
        server.wait(timeout=60)
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
    parser.add_argument(
        "--workers", type=int, default=5, help="server processes (gunicorn: 2 x cores + 1)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--budget", type=float, default=300.0, help="time limit of a run [s]")
    parser.add_argument(
        "--think", type=float, default=7.0, help="mean think time of the target run [s]"
    )
    parser.add_argument(
        "--issue-only", action="store_true", help="run part 1 (issuing red) only, not the HTTP part"
    )
    parser.add_argument(
        "--soak",
        type=float,
        default=0.0,
        help="instead of the HTTP runs: the users' paced scripts again and again for this many "
        "minutes, with the server's memory and p95 per pass (load_soak.py)",
    )
    parser.add_argument(
        "--situation",
        action="store_true",
        help="the HTTP runs on the situation pages: office staff on /monitoring/j/<code>/, the "
        "others as the public on /monitoring/public/<code>/ (load_situation.py)",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    require_postgres()
    if args.serve:
        serve(args.serve, args.workers, args.threads)
        return
    import django
    from django.core.management import call_command

    create_database()
    django.setup()
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        setup = part_issue(args.enterprises, Path(folder))
    if not args.issue_only:
        part_http(setup, args.users, args)


if __name__ == "__main__":
    main()
