"""Pausing the cyclic collector: state restored, the objects made moved to the oldest generation."""

from __future__ import annotations

import gc

from hazeguard.gcpause import without_cycle_collection


class Made:
    """A container the collector tracks."""


def test_the_objects_made_leave_in_the_oldest_generation_and_the_state_is_restored() -> None:
    assert gc.isenabled()
    gc.collect()  # every generation's count at 0: what happens next does not depend on before
    with without_cycle_collection():
        assert not gc.isenabled()
        made = [Made() for _ in range(1000)]
    assert gc.isenabled()
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in made)
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:  # a collector disabled before stays disabled
        with without_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_frozen_on_purpose_stay_frozen() -> None:
    kept = [Made() for _ in range(100)]
    gc.freeze()
    try:
        with without_cycle_collection():
            made = [Made() for _ in range(10)]
        # Frozen objects are in no generation; the block must not put them back into one. (The
        # freeze count itself may drop: frozen temporaries die by reference counting.)
        tracked = {id(item) for item in gc.get_objects()}
        assert not any(id(item) in tracked for item in kept)
        assert gc.get_freeze_count() >= len(kept)
        assert made
    finally:
        gc.unfreeze()
