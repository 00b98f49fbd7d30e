"""What the forecast-source tests share (a module, not a conftest: the tests import the
platform's conftest by name): Beijing's real observed days (the core's test data,
2014-03-01 to 2016-02-29) stored as monitoring stores them, and Beijing's 2015 plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

import pandas as pd
from django.contrib.auth.models import User

from hazeguard.io.beijing import daily_path
from hazeguard.io.daily import read_daily_history
from hazeguard_platform.demo import official_forecasts
from hazeguard_platform.forecasts.models import Forecast
from hazeguard_platform.forecasts.services import forecast_model_make
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.monitoring.demo import beijing_days_store

# 14:30 China time on Friday 18 December 2015, before the afternoon consultation: Beijing issued
# its red warning for 19-22 December 2015 that evening.
CONSULTATION_DAY = datetime(2015, 12, 18, 6, 30, tzinfo=UTC)
NO_SHIFT = timedelta(0)
# What the monitoring centre and the weather bureau might have said that day (upper AQI of
# 18-24 December; the ranges are 40 wide): both saw the episode coming, the bureau milder.
CENTRE_HIGHS = (110, 200, 280, 310, 350, 320, 180)
BUREAU_HIGHS = (100, 170, 230, 260, 280, 240, 150)


@cache
def _history() -> pd.DataFrame:
    return read_daily_history(daily_path())


def observed_aqi(day: date) -> float:
    """Beijing's observed daily AQI of ``day`` (the test data). [index]"""
    return float(_history().loc[str(day), "aqi"])


def three_sources(place: Jurisdiction, clerk: User, at: datetime) -> list[Forecast]:
    """At ``at`` (the clock standing there): the model's forecast, the monitoring centre's and
    the weather bureau's, each from ``at``'s China date."""
    highs = {"centre": CENTRE_HIGHS, "bureau": BUREAU_HIGHS}
    return [
        forecast_model_make(jurisdiction=place, at=at),
        *official_forecasts(place, clerk, at, highs),
    ]


def observe_beijing(
    jurisdiction: Jurisdiction,
    until: date,
    shift: timedelta = NO_SHIFT,
    since: date = date(2014, 3, 1),
) -> int:
    """Store Beijing's observed city days from ``since`` to ``until`` for ``jurisdiction``, each
    moved by ``shift`` (whole weeks keep the weekdays); returns how many."""
    return beijing_days_store(jurisdiction, until=until, shift=shift, since=since)


def beijing_with_plan() -> Jurisdiction:
    """Beijing with its 2015 plan imported."""
    return plan_import(actor=None, plan_id="beijing-2015").jurisdiction
