"""The HTTP half of the platform load benchmark: the production server and simulated users.

``serve(port, workers, threads)`` runs the platform as ``hazeguard serve --workers N`` does:
gunicorn with ``workers`` processes of ``threads`` threads (``gthread``) on 127.0.0.1
(``hazeguard_platform.server``). ``load_platform.py`` starts it as a child process, so the
clients' interpreter lock is not shared with the server.

The clients are plain ``http.client`` connections, one per request, carrying the session and
CSRF cookies each user got by signing in through the login form. A user either sends its next
request as soon as the last one answered (``think=0``: a closed loop that measures capacity) or
first pauses for a think time drawn from a negative exponential distribution, the usual model of
a person reading a page (TPC-W's emulated browsers: mean 7 s, cut at 10 × the mean).
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from socket import socket

HOST = "127.0.0.1"
TIMEOUT = 60.0  # [s] per request; a request slower than this counts as an error
SIGN_IN_TIMEOUT = 300.0  # a sign-in before the runs [s]
THINK_CUT = 10  # a think time is at most this many times the mean (TPC-W: 70 s for 7 s)


def serve(port: int, workers: int, threads: int) -> None:
    """Serve the platform (``DJANGO_SETTINGS_MODULE`` set by the caller) until terminated."""
    import django

    from hazeguard_platform.server import serve_production

    django.setup()
    serve_production(host=HOST, port=port, workers=workers, threads=threads)


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
    method: str,
    port: int,
    path: str,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Answer:
    """One request (``timeout`` [s]); ``cookies`` is updated from the response's ``Set-Cookie``
    headers."""
    headers = {"Host": f"{HOST}:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
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


def sign_in(
    port: int, username: str, password: str, code: Callable[[], str] | None = None
) -> dict[str, str]:
    """The login form: GET for the CSRF cookie, POST with it; then, for a person with a second
    factor, the code of ``code()`` (an authenticator app's) on the verification page, as the
    person would type it. Returns the session's cookies."""
    cookies: dict[str, str] = {}
    # Set-up, not measured: a loaded shared machine can take minutes over the first sign-in.
    request("GET", port, "/accounts/login/", cookies, timeout=SIGN_IN_TIMEOUT)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": cookies["csrftoken"]}
    answer = request("POST", port, "/accounts/login/", cookies, form, timeout=SIGN_IN_TIMEOUT)
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"sign-in of {username} failed: HTTP {answer.status}")
    if code is not None:
        # The CSRF token changed at sign-in (Django rotates it): the new cookie is in cookies.
        step = {"code": code(), "next": "/", "csrfmiddlewaretoken": cookies["csrftoken"]}
        answer = request("POST", port, "/accounts/verify/", cookies, step, timeout=SIGN_IN_TIMEOUT)
        if answer.status != 302:
            raise RuntimeError(f"second factor of {username} refused: HTTP {answer.status}")
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


def think_time(pauses: random.Random, mean: float) -> float:
    """A negative exponential think time [s] of ``mean`` [s], cut at ``THINK_CUT`` × the mean."""
    return min(pauses.expovariate(1.0 / mean), THINK_CUT * mean)


def run_users(port: int, users: Sequence[User], budget: float, think: float = 0.0) -> Outcome:
    """Every user runs its steps, all users at once; stops after ``budget`` [s].

    ``think`` [s]: the mean think time before each request (0: back to back).
    """
    outcome = Outcome()
    start = threading.Barrier(len(users) + 1)
    stop_at = [0.0]

    def work(user: User) -> None:
        pauses = random.Random(user.name)  # the same pauses in every run
        start.wait()
        for step in user.steps:
            if think > 0:
                time.sleep(think_time(pauses, think))
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
