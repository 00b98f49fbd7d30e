"""The replay serves recorded hours as a CNEMC endpoint would, on an accelerated clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hazeguard.io.beijing import demo_path, read_beijing_multisite
from hazeguard.monitoring.layouts import CNEMC, station_hours
from hazeguard.monitoring.replay import ReplayClock, released_rows


def test_the_clock_runs_sixty_recorded_hours_per_real_hour() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = ReplayClock(datetime(2015, 12, 1, 1), start, 60.0)
    assert clock.hour_at(start + timedelta(minutes=90, seconds=30)) == datetime(2015, 12, 4, 19)


def test_released_rows_read_back_through_the_cnemc_layout_unchanged() -> None:
    hours = read_beijing_multisite([demo_path()])
    rows = released_rows(hours, datetime(2015, 12, 1, 3), count=2, codes={"Dongsi": "1003A"})
    assert len(rows) == 24, "12 stations × 2 hours"
    again = station_hours(json.dumps(rows), "replay", fmt="json", layout=CNEMC)
    assert "1003A" in set(again.stations)
    dongsi = [r for r in rows if r["StationCode"] == "1003A"]
    assert {r["TimePoint"] for r in dongsi} == {"2015-12-01T02:00:00", "2015-12-01T03:00:00"}
