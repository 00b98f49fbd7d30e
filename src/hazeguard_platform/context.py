"""The request id of the work in progress, so audit records written deep in a service carry it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("hazeguard_request_id", default="")


def current_request_id() -> str:
    """The id of the web request, task or command being served; empty when none was set."""
    return _request_id.get()


@contextmanager
def request_id_scope(request_id: str | None = None) -> Iterator[str]:
    """Run a block under a request id (a new random one when none is given)."""
    value = request_id or uuid.uuid4().hex
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)
