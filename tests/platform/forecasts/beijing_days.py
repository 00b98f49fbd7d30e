"""What the forecast-source tests share (a module, not a conftest: the tests import the
platform's conftest by name): Beijing's real observed days (the core's test data,
2014-03-01 to 2016-02-29) stored as monitoring stores them, and Beijing's 2015 plan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from hazeguard.aqi.levels import level_of
from hazeguard.io.daily import read_daily_history
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.monitoring.models import CityDay

BEIJING_DAYS = (
    Path(__file__).parents[2] / "core" / "forecast" / "data" / "beijing-daily-2014-2016.csv"
)
# 14:30 China time on Friday 18 December 2015, before the afternoon consultation: Beijing issued
# its red warning for 19-22 December 2015 that evening.
CONSULTATION_DAY = datetime(2015, 12, 18, 6, 30, tzinfo=UTC)


def observe_beijing(jurisdiction: Jurisdiction, until: date) -> int:
    """Store Beijing's observed city days up to ``until`` for ``jurisdiction``; returns how many."""
    history = read_daily_history(BEIJING_DAYS)
    history = history.loc[(history.index <= str(until)) & history["aqi"].notna()]
    rows = [
        CityDay(
            jurisdiction=jurisdiction,
            day=stamp.date(),
            aqi=int(aqi),
            level=int(level_of(float(aqi))),
            primary_pollutants=primary,
        )
        for stamp, aqi, primary in zip(
            history.index, history["aqi"], history["primary_pollutant"], strict=True
        )
        if np.isfinite(aqi)
    ]
    CityDay.objects.bulk_create(rows)
    return len(rows)


def beijing_with_plan() -> Jurisdiction:
    """Beijing with its 2015 plan imported."""
    return plan_import(actor=None, plan_id="beijing-2015").jurisdiction
