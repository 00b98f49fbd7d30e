"""Block bootstrap of a mean: whole days or weeks are resampled, so serial correlation stays."""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Block = Literal["day", "week"]
BLOCK_DAYS: Final = {"day": 1, "week": 7}


def block_means(
    dates: pd.DatetimeIndex,
    values: npt.NDArray[np.float64],
    block: Block,
    n_boot: int,
    rng: np.random.Generator,
) -> npt.NDArray[np.float64]:
    """``n_boot`` bootstrap means of ``values``, drawing blocks of days with replacement.

    Blocks are counted from the first date (a week is 7 days from it, not a calendar week); a
    draw's mean weights each block by the days it holds. NaN values are left out.
    """
    known = ~np.isnan(values)
    if not known.any():
        return np.full(n_boot, np.nan)
    days = np.asarray((dates[known] - dates[known].min()) / pd.Timedelta(days=1), dtype=np.int64)
    blocks = days // BLOCK_DAYS[block]
    _, index = np.unique(blocks, return_inverse=True)
    sums = np.bincount(index, weights=values[known])
    counts = np.bincount(index).astype(np.float64)
    draws = rng.integers(0, len(sums), size=(n_boot, len(sums)))
    result: npt.NDArray[np.float64] = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    return result
