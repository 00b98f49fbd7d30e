"""One command starts the platform: migrations, demo, worker and web server; the worker runs
the queued tasks."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import T0, Staff, up_to_approval
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.demo import DEMO_PASSWORD, demo_load
from hazeguard_platform.enterprises.models import EnterpriseContact, ListedEnterprise
from hazeguard_platform.response.services import warning_approve, warning_issue, warning_propose
from hazeguard_platform.warnings.models import State, Warning
from paths import ROOT


@pytest.mark.django_db
def test_the_demo_has_an_account_for_every_role_and_loads_only_once() -> None:
    accounts = demo_load(now=timezone.now())
    assert {account.role for account in accounts} == set(Role.values)
    assert {account.jurisdiction for account in accounts} >= {
        "liaocheng",
        "kashgar",
        "dalian-xigang",
    }
    proposal = Warning.objects.get(jurisdiction__code="liaocheng")
    assert (proposal.state, proposal.level) == (State.PROPOSED, "orange")
    assert proposal.consultation is not None
    kashgar = Warning.objects.get(jurisdiction__code="kashgar", regional_source=None)
    assert kashgar.state == State.ISSUED
    assert kashgar.regional_children.count() == 12
    assert Client().login(username="liaocheng-deputy", password=DEMO_PASSWORD)
    contact = next(a for a in accounts if a.role == Role.ENTERPRISE_CONTACT)
    (link,) = EnterpriseContact.objects.filter(user__username=contact.username)
    assert link.enterprise.listed
    assert link.enterprise.jurisdiction.code == "liaocheng"
    assert contact.detail == link.enterprise.name
    staff = next(a for a in accounts if a.role == Role.MEMBER_UNIT_STAFF)
    unit = Membership.objects.get(user__username=staff.username).member_unit
    assert unit is not None
    assert staff.detail == unit.name_zh
    memberships = Membership.objects.count()
    again = demo_load(now=timezone.now())
    assert len(again) == len(accounts)
    assert Membership.objects.count() == memberships
    assert Warning.objects.filter(jurisdiction__code="liaocheng").count() == 1
    assert ListedEnterprise.objects.filter(jurisdiction__code="liaocheng").count() == 6
    assert EnterpriseContact.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_puts_an_issued_warning_in_force_at_its_start(kashgar: Staff) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        warning = warning_propose(
            actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="red"
        )
        up_to_approval(kashgar, warning.pk)
        warning_approve(actor=kashgar.commander, warning_id=warning.pk)
        warning_issue(
            actor=kashgar.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(hours=24)
        )
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        warning.refresh_from_db()
        assert warning.state == State.ISSUED, "the task waits for its run_after time"
        clock.shift(timedelta(hours=24))
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        warning.refresh_from_db()
        assert warning.state == State.IN_FORCE


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_hazeguard_serve_demo_starts_everything_and_stops_the_workers_on_sigterm(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(HAZEGUARD_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "hazeguard", "serve", "--demo", "--port", str(port)),
            *("--replay-speed", "3600"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/admin/login/", timeout=5
                ) as answer:
                    status = answer.status
                    break
            except OSError:
                time.sleep(1)
        assert status == 200
        # Beijing's December 2015 arrives through the pull adapter (an hour a second).
        # The poller starts after the warm-up; on a loaded 2-core machine that takes minutes.
        seen = _replayed_station_aqi(port, deadline=time.monotonic() + 240)
        assert seen, "a Beijing station shows an AQI from the replay"
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "liaocheng-deputy" in output
    assert "hazeguard-demo-2026" in output
    pids = [
        int(pid) for pid in re.findall(r"(?:worker|sender|poller) started \(pid (\d+)\)", output)
    ]
    assert len(pids) == 3, "the task worker, the notice sender and the station poller"
    time.sleep(0.5)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert (tmp_path / "hazeguard.sqlite3").exists()


def _replayed_station_aqi(port: int, *, deadline: float) -> list[int]:
    """The Beijing stations' AQI on the public situation data, once one has arrived."""
    url = f"http://127.0.0.1:{port}/monitoring/public/beijing/data.json"
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=10) as answer:
            stations = json.loads(answer.read())["stations"]
        found = [s["aqi"] for s in stations if s["aqi"] is not None]
        if found:
            return found
        time.sleep(2)
    return []


def test_hazeguard_serve_without_a_secret_key_says_which_setting_is_missing(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HAZEGUARD_SECRET_KEY", "HAZEGUARD_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env["HAZEGUARD_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "hazeguard", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Error: environment variable HAZEGUARD_SECRET_KEY is required" in result.stderr
    assert "Traceback" not in result.stderr
