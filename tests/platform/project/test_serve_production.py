"""``hazeguard serve --workers N`` serves the platform with gunicorn's worker processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from paths import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read().decode()


@pytest.mark.slow
def test_serve_with_workers_answers_pages_and_the_stylesheet_from_gunicorn_processes(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        HAZEGUARD_DATA_DIR=str(tmp_path),
        HAZEGUARD_SECRET_KEY="a-test-key-for-the-production-server-0123456789",
        HAZEGUARD_ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    command = ["serve", "--no-worker", "--workers", "2", "--threads", "2", "--port", str(port)]
    server = subprocess.Popen(
        [sys.executable, "-m", "hazeguard", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        home = (0, "")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                home = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        css = _get(f"http://127.0.0.1:{port}/static/hazeguard/site.css")
        # A worker gunicorn is (re)booting on a loaded machine is not listed yet: wait for both.
        workers: list[str] = []
        listed_by = time.monotonic() + 60
        while len(workers) != 2 and time.monotonic() < listed_by:
            workers = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
            ).stdout.split()
            if len(workers) != 2:
                time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert home[0] == 200
    assert "重污染天气" in home[1]
    assert css[0] == 200
    assert len(workers) == 2, output
    assert "gunicorn, 2 processes × 2 threads" in output
    assert server.returncode == 0, output
