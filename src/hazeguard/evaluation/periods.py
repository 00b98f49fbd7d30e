"""Periods with measures in force, to keep out of the business-as-usual model and the placebos."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from hazeguard.warnings.compare import read_history

# A warning's measures and their lag (industry restarting, traffic back) are kept out of training
# for one day after the last day it was in force; a warning without a known end is taken as one
# day long by read_history, so this also covers the common 2-day warning.
AFTER_DAYS: Final = 1


def warning_windows(
    path: str | Path, city: str, after_days: int = AFTER_DAYS
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Windows (local time) of every warning of ``city`` in a warning-history file.

    Each runs from midnight of the warning's first day to midnight after its last day plus
    ``after_days``. Rows with neither start nor end are skipped (read_history counts them).
    """
    warnings, _undated = read_history(path, city)
    return [
        (
            pd.Timestamp(w.first),
            pd.Timestamp(w.last) + pd.Timedelta(days=1 + after_days),
        )
        for w in warnings
    ]
