"""Fixtures of the forecast tests: the shipped history and weather, two small fitted models."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_fixtures import DAILY, FAST, WEATHER

from hazeguard.forecast import ForecastModel, train
from hazeguard.io.daily import read_daily_history
from hazeguard.io.daily_weather import read_daily_weather


@pytest.fixture(scope="session")
def history() -> pd.DataFrame:
    return read_daily_history(DAILY)


@pytest.fixture(scope="session")
def weather() -> pd.DataFrame:
    return read_daily_weather(WEATHER)


@pytest.fixture(scope="session")
def model_with_weather(history: pd.DataFrame, weather: pd.DataFrame) -> ForecastModel:
    return train(history, weather, settings=FAST)


@pytest.fixture(scope="session")
def model_without_weather(history: pd.DataFrame) -> ForecastModel:
    return train(history, settings=FAST)
