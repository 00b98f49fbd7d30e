"""Hourly meter readings as an enterprise's meter feed would send them (CSV bytes).

The Liaocheng red warning of ``flows.in_force`` starts at 08:00 on 5 January 2026 and the tests
lift it at 12:00 on 7 January; the electricity check's baseline reaches 14 days back
(thresholds.yaml ``baseline_days``), so the history starts on 21 December 2025.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
HISTORY_START = datetime(2025, 12, 21, 0, 0, tzinfo=CHINA)
ORDERED = datetime(2026, 1, 5, 8, 0, tzinfo=CHINA)
LIFTED = datetime(2026, 1, 7, 12, 0, tzinfo=CHINA)
HEADER = "enterprise,meter,time,energy_kwh\n"


def hourly(
    code: str, meter: str, normal_kwh: float, during_kwh: float, end: datetime = LIFTED
) -> str:
    """CSV lines: ``normal_kwh`` every hour before the order, ``during_kwh`` from it on [kWh]."""
    lines = []
    moment = HISTORY_START
    while moment < end:
        energy = normal_kwh if moment < ORDERED else during_kwh
        lines.append(f"{code},{meter},{moment:%Y-%m-%dT%H:%M},{energy:g}\n")
        moment += timedelta(hours=1)
    return "".join(lines)


def csv_file(*parts: str, name: str = "readings.csv") -> io.BytesIO:
    """An uploaded file holding the header and ``parts``."""
    file = io.BytesIO((HEADER + "".join(parts)).encode("utf-8"))
    file.name = name
    return file
