"""Shared pieces of the forecast tests: the shipped two years of Beijing, a small fast model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hazeguard.forecast import ForecastModel, ModelSettings, train
from hazeguard.io.daily import read_daily_history
from hazeguard.io.weather import read_daily_weather

DATA = Path(__file__).parent / "data"
DAILY = DATA / "beijing-daily-2014-2016.csv"
WEATHER = DATA / "beijing-weather-2014-2016.csv"
# Few, shallow trees and three lead days: the tests check the machinery, not the skill.
FAST = ModelSettings(leads=3, max_iter=15, learning_rate=0.3)


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
