"""Rotation balancing: the MILP against brute force on seeded random small pools."""

from __future__ import annotations

import numpy as np
import pytest

from hazeguard.reduction.rotation import balance_batches, brute_force_batches


@pytest.mark.parametrize("seed", range(25))
def test_it_balances_batches_as_well_as_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 8))
    batches = int(rng.integers(2, 4)) if n >= 3 else 2
    reduction = rng.uniform(0, 3, size=(n, 4)) * (rng.random((n, 4)) < 0.7)
    exact = brute_force_batches(reduction, batches)
    result = balance_batches(reduction, batches)
    assert result.proven_optimal
    assert result.spread == pytest.approx(exact.spread, abs=1e-7)
    assert sorted(set(result.batch.tolist())) == list(range(1, batches + 1))
    np.testing.assert_allclose(result.batch_reduction.sum(axis=0), reduction.sum(axis=0))


def test_it_splits_equal_enterprises_into_equal_batches() -> None:
    result = balance_batches(np.ones((6, 1)), 3)
    np.testing.assert_allclose(result.batch_reduction[:, 0], [2, 2, 2])
    np.testing.assert_allclose(result.guaranteed_reduction, [2])


def test_it_rejects_more_than_three_batches() -> None:
    with pytest.raises(ValueError, match="1 to 3 batches"):
        balance_batches(np.ones((8, 1)), 4)


def test_it_rejects_fewer_enterprises_than_batches() -> None:
    with pytest.raises(ValueError, match="cannot fill 3 batches"):
        balance_batches(np.ones((2, 4)), 3)
