"""Pausing Python's cyclic garbage collector while a batch builds millions of objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["without_cycle_collection"]


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic collector for the block, then restore its previous state.

    Each full pass walks every live container, so building a million-enterprise list with it on
    costs as much again as the building and grows with the heap (super-linear). Use it only
    around code that makes no reference cycles: such objects are freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
