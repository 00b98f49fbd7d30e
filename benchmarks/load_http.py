"""The HTTP half of the platform load benchmark: a pooled WSGI server and simulated users.

``serve(port, threads)`` runs the platform's WSGI application on 127.0.0.1 with a fixed pool of
worker threads (like gunicorn's ``gthread`` workers: a bounded number of database connections —
PostgreSQL allows 100 by default, so one thread per connected user would not do) and a listen
backlog deep enough for every simulated user. ``load_platform.py`` starts it as a child process
(``--serve``), so the server's interpreter lock is not shared with the clients.

The clients are plain ``http.client`` connections, one per request (the server speaks HTTP/1.0),
carrying the session and CSRF cookies each user got by signing in through the login form.
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from socket import socket
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

HOST = "127.0.0.1"
TIMEOUT = 60.0  # [s] per request; a request slower than this counts as an error


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log: 4,000 lines on stderr would cost the server more than they tell."""


class PooledWSGIServer(WSGIServer):
    """wsgiref's server with a fixed pool of worker threads and a deep listen backlog."""

    request_queue_size = 1024  # the default (5) drops connections under 200 users: SYN retries

    def __init__(self, address: tuple[str, int], threads: int) -> None:
        super().__init__(address, _QuietHandler)
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="wsgi")

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self._work, request, client_address)

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def serve(port: int, threads: int) -> None:
    """Serve the platform (``DJANGO_SETTINGS_MODULE`` set by the caller) until killed."""
    from django.core.wsgi import get_wsgi_application

    server = PooledWSGIServer((HOST, port), threads)
    server.set_app(get_wsgi_application())
    server.serve_forever()


def free_port() -> int:
    with socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, deadline: float) -> None:
    """Wait until the server answers (it migrates nothing; Django loads in a second or two)."""
    while True:
        try:
            request("GET", port, "/cap/feed.atom", {})
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@dataclass
class Answer:
    status: int
    seconds: float


def request(
    method: str, port: int, path: str, cookies: dict[str, str], form: dict[str, str] | None = None
) -> Answer:
    """One request; ``cookies`` is updated from the response's ``Set-Cookie`` headers."""
    headers = {"Host": f"{HOST}:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return Answer(response.status, seconds)


def sign_in(port: int, username: str, password: str) -> dict[str, str]:
    """The login form: GET for the CSRF cookie, POST with it; returns the session's cookies."""
    cookies: dict[str, str] = {}
    request("GET", port, "/accounts/login/", cookies)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": cookies["csrftoken"]}
    answer = request("POST", port, "/accounts/login/", cookies, form)
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"sign-in of {username} failed: HTTP {answer.status}")
    return cookies


@dataclass(frozen=True)
class Step:
    """One request of a user's script; a form gets the user's CSRF token added."""

    method: str
    path: str
    form: dict[str, str] | None = None
    expect: tuple[int, ...] = (200,)


@dataclass
class User:
    name: str
    cookies: dict[str, str]
    steps: Sequence[Step]


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # per path kind [s]
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def all(self) -> list[float]:
        return [s for values in self.latencies.values() for s in values]


def kind(step: Step) -> str:
    """The path with its ids replaced, so that latencies group by page."""
    parts = ["<id>" if p.isdigit() else p for p in step.path.split("/")]
    return f"{step.method} {'/'.join(parts)}"


def run_users(port: int, users: Sequence[User], budget: float, think: float = 0.0) -> Outcome:
    """Every user runs its steps, all users at once; stops after ``budget`` [s].

    ``think`` [s]: the mean of a uniform pause before each request (0: back to back).
    """
    outcome = Outcome()
    start = threading.Barrier(len(users) + 1)
    stop_at = [0.0]

    def work(user: User) -> None:
        pauses = random.Random(user.name)  # the same pauses in every run
        start.wait()
        for step in user.steps:
            if think > 0:
                time.sleep(pauses.uniform(0, 2 * think))
            if time.monotonic() > stop_at[0]:
                with outcome.lock:
                    outcome.errors.append(f"{user.name}: stopped at the time budget")
                return
            form = None
            if step.form is not None:
                form = {**step.form, "csrfmiddlewaretoken": user.cookies["csrftoken"]}
            try:
                answer = request(step.method, port, step.path, user.cookies, form)
            except OSError as error:
                with outcome.lock:
                    outcome.errors.append(f"{user.name} {step.path}: {error}")
                continue
            with outcome.lock:
                outcome.latencies.setdefault(kind(step), []).append(answer.seconds)
                if answer.status not in step.expect:
                    outcome.errors.append(f"{user.name} {step.path}: HTTP {answer.status}")

    threads = [threading.Thread(target=work, args=(u,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    stop_at[0] = began + budget
    start.wait()
    for thread in threads:
        thread.join(timeout=max(0.0, began + budget + TIMEOUT - time.monotonic()))
    outcome.wall = time.monotonic() - began
    return outcome


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max [ms] (``statistics.quantiles``, inclusive method)."""
    if len(seconds) < 2:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan")}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "max": max(seconds) * 1000,
    }


def report(title: str, outcome: Outcome) -> None:
    """Print the latency table of one run."""
    everything = outcome.all()
    rate = len(everything) / outcome.wall if outcome.wall else 0.0
    print(
        f"\n{title}: {len(everything)} requests in {outcome.wall:.1f} s ({rate:.0f} req/s), "
        f"{len(outcome.errors)} errors"
    )
    print(f"  {'page':<44} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  [ms]")
    rows = [*sorted(outcome.latencies.items()), ("all", everything)]
    for name, values in rows:
        f = percentiles(values)
        print(
            f"  {name:<44} {len(values):>5} {f['p50']:>8.0f} {f['p95']:>8.0f} "
            f"{f['p99']:>8.0f} {f['max']:>8.0f}"
        )
    for error in outcome.errors[:5]:
        print(f"  error: {error}")
