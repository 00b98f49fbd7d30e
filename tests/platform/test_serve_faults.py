"""``hazeguard serve`` as a service, with real processes: a busy port stops it before anything
starts, and the background processes never outlive the server, however it ends."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paths import ROOT


def _environment(data_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        HAZEGUARD_DATA_DIR=str(data_dir),
        HAZEGUARD_SECRET_KEY="serve-fault-test-key",
        HAZEGUARD_SECURE_COOKIES="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its new parent) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def test_a_busy_port_stops_serve_before_any_worker_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "hazeguard", "serve", "--port", str(port)],
            cwd=ROOT,
            env=_environment(tmp_path),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "started (pid" not in result.stdout
    assert not (tmp_path / "hazeguard.sqlite3").exists()  # not even migrated


@pytest.mark.slow
def test_the_background_processes_end_when_the_server_is_killed(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "hazeguard", "serve", "--port", str(port)],
        cwd=ROOT,
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = ""
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and "platform at" not in output:
            line = server.stdout.readline()
            if not line:
                break
            output += line
        assert "Warmed up in" in output
        pids = [int(pid) for pid in re.findall(r"started \(pid (\d+)\)", output)]
        assert len(pids) == 4, output  # task worker, notice sender, station poller, housekeeping
        assert all(_alive(pid) for pid in pids)
        server.send_signal(signal.SIGKILL)  # no finally, no cleanup: the kernel's word only
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.2)
        assert not [pid for pid in pids if _alive(pid)]
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)
