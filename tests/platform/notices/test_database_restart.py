"""PostgreSQL restarted while a warning is being issued through the API of a running server: the
request is refused cleanly (503, nothing half-done: the warning still approved, no task, no
notice, no audit record of an issue), the same request sent again succeeds, and the server, the
task worker and the notice sender — the same processes — carry on without a restart. Real
processes, real PostgreSQL (``pg_ctl restart``), real SMTP on loopback."""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from conftest import Staff
from hazeguard_platform.api.services import api_token_issue
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.models import EnterpriseTask, ListedEnterprise
from hazeguard_platform.notices.models import Channel, Delivery, DeliveryState, Notice
from hazeguard_platform.warnings.models import State, Warning
from paths import ROOT

from .notice_helpers import (
    SmtpInbox,
    approved_red,
    background,
    free_port,
    listed_with_contacts,
    pg_connect,
    wait_until,
    worker_environment,
)

pytestmark = pytest.mark.django_db(transaction=True)

ENTERPRISES = 50


def restart_postgres() -> float:
    """Restart the server the tests use (``pg_ctl restart -m fast``: every connection is cut);
    returns the seconds it took."""
    with pg_connect() as probe:
        row = probe.execute("SHOW data_directory").fetchone()
    assert row is not None
    data = Path(row[0])
    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    started = time.monotonic()
    log = str(data.parent / "server.log")
    subprocess.run(
        [*owner, pg_ctl, "-D", str(data), "-l", log, "-m", "fast", "-w", "restart"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return time.monotonic() - started


def _post(url: str, token: str, body: dict[str, str]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _waiting_on_lock(locker: psycopg.Connection) -> bool:
    # The activity view is a snapshot per transaction, and the locker stays in its transaction.
    locker.execute("SELECT pg_stat_clear_snapshot()")
    row = locker.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s",
        [locker.info.backend_pid],
    ).fetchone()
    return bool(row and row[0])


@pytest.mark.faults
@pytest.mark.slow  # the server's start and warm-up alone take 15-60 s on the shared machine
def test_postgres_restarted_mid_issue_refuses_cleanly_and_the_retry_succeeds(
    kashgar: Staff, mail: SmtpInbox, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("restarting the database server needs PostgreSQL (set DATABASE_URL)")
    warning, addresses = approved_red(kashgar, ENTERPRISES)
    _, token = api_token_issue(actor=kashgar.office_clerk, user=kashgar.office_clerk, name="fault")
    port = free_port()
    env = worker_environment(
        mail.port,
        HAZEGUARD_ALLOWED_HOSTS="127.0.0.1",
        HAZEGUARD_DATA_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    serve = ["serve", "--no-worker", "--workers", "1", "--threads", "2", "--port", str(port)]
    server = subprocess.Popen(
        [sys.executable, "-m", "hazeguard", *serve],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    processes = background(env)
    url = f"http://127.0.0.1:{port}/api/warnings/{warning.pk}/issue"
    body = {"starts_at": (timezone.now() + timedelta(days=2)).isoformat()}
    answers: list[tuple[int, dict[str, object]]] = []
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/"), [server, *processes], 300)
        # Hold the issue half-way: the warning row is updated, the enterprise tasks wait for a
        # lock that another session holds; then the server restarts under it.
        locker = pg_connect()
        try:
            locker.execute(f"LOCK TABLE {EnterpriseTask._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            issuing = threading.Thread(target=lambda: answers.append(_post(url, token, body)))
            issuing.start()
            wait_until(lambda: _waiting_on_lock(locker), [server], 30)
            restart_seconds = restart_postgres()
        finally:
            locker.close()
        issuing.join(timeout=60)
        connection.close()  # this process's connection was cut too

        status, answer = answers[0]
        assert status == 503, answer
        assert "数据库" in str(answer["error"])  # the page's language: Chinese by default
        assert Warning.objects.get(pk=warning.pk).state == State.APPROVED
        assert not EnterpriseTask.objects.filter(warning=warning).exists()
        assert not Notice.objects.filter(object_id=str(warning.pk), event="issue").exists()
        assert not AuditEntry.objects.filter(action="warning.issue").exists()

        # The same request again, to the same server: issued, with everything that follows.
        status, answer = _post(url, token, body)
        assert status == 200, answer
        assert answer["state"] == State.ISSUED
        assert EnterpriseTask.objects.filter(warning=warning).count() == ENTERPRISES
        notice = Notice.objects.get(object_id=str(warning.pk), event="issue")
        emails = Delivery.objects.filter(recipient__notice=notice, channel=Channel.EMAIL)
        # The worker and the sender that were running all along send it.
        wait_until(
            lambda: not emails.exclude(state=DeliveryState.SENT).exists(), [server, *processes], 120
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        server.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        output, _ = server.communicate(timeout=60)
    assert f"Service Unavailable: /api/warnings/{warning.pk}/issue" in output  # in its log
    received = Counter(m["To"] for m in mail.messages if m["To"] in set(addresses))
    assert received == Counter(addresses)
    assert [p.returncode for p in processes] == [0, 0]  # stopped by SIGTERM, not crashed
    print(f"\nPostgreSQL restarted in {restart_seconds:.1f} s; issue refused 503, retried 200")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def test_a_page_whose_database_connection_is_cut_answers_503_and_the_next_request_works(
    kashgar: Staff,
) -> None:
    """The pages' side of the same fault, in-process: the enterprise page waits for a lock on
    the list, and the server ends its session (``pg_terminate_backend``, what a restart does to
    each session)."""
    if connection.vendor != "postgresql":
        pytest.skip("ending a database session needs PostgreSQL (set DATABASE_URL)")
    address = listed_with_contacts(kashgar, 1)[0]
    contact = User.objects.get(email=address)
    page = f"/enterprises/{ListedEnterprise.objects.get(contacts__user=contact).pk}/"
    client = Client()
    client.force_login(contact)
    answers: list[HttpResponse] = []
    locker = pg_connect()
    try:
        locker.execute(f"LOCK TABLE {ListedEnterprise._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        reading = threading.Thread(target=lambda: answers.append(client.get(page)))
        reading.start()
        wait_until(lambda: _waiting_on_lock(locker), [], 30)
        locker.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        )
        reading.join(timeout=30)
    finally:
        locker.close()

    answer = answers[0]
    assert answer.status_code == 503
    assert answer["Retry-After"] == "30"
    assert "暂时无法连接数据库，本次操作未作任何更改" in answer.content.decode()
    assert client.get(page).status_code == 200  # connected afresh
