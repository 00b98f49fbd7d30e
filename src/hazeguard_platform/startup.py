"""What ``hazeguard serve`` does before it answers: refuse a busy port before anything starts,
tie the background processes' lives to the server's, and warm the application so the first
request is as fast as the next (docs/operations.md has the figures)."""

from __future__ import annotations

import ctypes
import signal
import socket
import sys
import time
from collections.abc import Callable

# prctl(2) option: the signal the kernel sends this process when its parent dies.
_PR_SET_PDEATHSIG = 1


class PortBusyError(RuntimeError):
    """The address the server should listen on is taken (or not ours to take)."""


def port_check(host: str, port: int) -> None:
    """Bind ``host:port`` as the server will (``SO_REUSEADDR``) and let it go; ``PortBusyError``
    naming the port when another process holds it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortBusyError(
                f"cannot listen on {host}:{port}: {error.strerror} "
                f"(another program uses the port? choose one with --port)"
            ) from None


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for a child process: on Linux the kernel sends it SIGTERM when the
    server dies, however it dies (``os._exit`` in Django's ``runserver``, SIGKILL, a crash), so
    no worker or notice sender outlives it. ``None`` elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def arrange() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return arrange


def warm_up(host: str) -> float:
    """Load every URL's view (and what they import: the core, pandas, matplotlib) and answer
    the public home page once, in this process; the seconds it took. Forked gunicorn workers
    inherit what is loaded."""
    from django.conf import settings
    from django.test import Client
    from django.urls import get_resolver

    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018  (imports every app's views)
    allowed = [name for name in settings.ALLOWED_HOSTS if name not in ("*", "")]
    name = allowed[0].lstrip(".") if allowed else host
    Client(HTTP_HOST=name).get("/")
    return time.perf_counter() - started
