"""Training, saving, loading and forecasting on the shipped two years of Beijing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from forecast_fixtures import FAST, FASTEST

from hazeguard.forecast import (
    ForecastInputError,
    ForecastModel,
    ModelFileError,
    TrainingError,
    forecast,
    load_model,
    save_model,
    train,
)
from hazeguard.forecast.calendar import SPRING_FESTIVAL, days_from_spring_festival
from hazeguard.forecast.predict import quantiles
from hazeguard.plans import load_plan
from hazeguard.warnings import decide
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.io import read_daily
from hazeguard.workdays.working import load_calendar

FIRST = date(2015, 12, 20)  # the day after the issue day 2015-12-19


def test_it_forecasts_a_band_a_pollutant_and_plan_probabilities(
    model_with_weather: ForecastModel, history: pd.DataFrame, weather: pd.DataFrame
) -> None:
    rules = rules_from_plan(load_plan("beijing-2015"))
    result = forecast(model_with_weather, history, FIRST, 3, weather=weather, rules=rules)
    assert result.dates == (date(2015, 12, 20), date(2015, 12, 21), date(2015, 12, 22))
    assert np.all(result.aqi_low <= result.aqi_median)
    assert np.all(result.aqi_median <= result.aqi_high)
    assert np.all(result.aqi_high <= 500)
    assert set(result.primary) <= {"PM2.5", "PM10", "O3", "NO2", "SO2", "CO", ""}
    assert result.level_names == ("none", "blue", "yellow", "orange", "red")
    assert np.allclose(result.level_probabilities.sum(axis=1), 1.0)
    # Probabilities over more days can only move the level up: P(none) never rises.
    assert np.all(np.diff(result.level_probabilities[:, 0]) <= 1e-12)
    assert result.uses_weather


def test_the_written_forecast_is_a_band_warn_evaluate_reads(
    model_with_weather: ForecastModel, history: pd.DataFrame, weather: pd.DataFrame, tmp_path: Path
) -> None:
    result = forecast(model_with_weather, history, FIRST, 3, weather=weather)
    path = tmp_path / "forecast.csv"
    result.to_frame().to_csv(path, index=False)
    band = read_daily(path)
    assert band.aqi_low.tolist() == np.round(result.aqi_low).tolist()
    assert band.aqi_high.tolist() == np.round(result.aqi_high).tolist()
    decision = decide(load_plan("beijing-2015"), band, at=pd.Timestamp("2015-12-19 16:00"))
    assert decision.level in ("none", "blue", "yellow", "orange", "red")


def test_a_model_without_weather_runs_and_says_so(
    model_without_weather: ForecastModel, history: pd.DataFrame
) -> None:
    result = forecast(model_without_weather, history, FIRST, 3)
    assert not model_without_weather.uses_weather
    assert not result.uses_weather
    assert not any("temperature" in name for name in model_without_weather.feature_names)


def test_a_model_trained_with_weather_refuses_to_forecast_without_it(
    model_with_weather: ForecastModel, history: pd.DataFrame
) -> None:
    with pytest.raises(ForecastInputError, match="trained with weather"):
        forecast(model_with_weather, history, FIRST, 3)


def test_it_refuses_a_day_beyond_the_recent_history(
    model_without_weather: ForecastModel, history: pd.DataFrame
) -> None:
    with pytest.raises(ForecastInputError, match="last observed day is 2016-02-29"):
        forecast(model_without_weather, history, date(2016, 6, 1), 3)


def test_it_refuses_more_days_than_it_was_trained_for(
    model_without_weather: ForecastModel, history: pd.DataFrame
) -> None:
    with pytest.raises(ForecastInputError, match="1 to 3 days"):
        forecast(model_without_weather, history, FIRST, 5)


def test_it_refuses_weather_that_misses_a_forecast_day(
    model_with_weather: ForecastModel, history: pd.DataFrame, weather: pd.DataFrame
) -> None:
    holed = weather.copy()
    holed.loc["2015-12-21"] = np.nan
    with pytest.raises(ForecastInputError, match="nothing for 2015-12-21"):
        forecast(model_with_weather, history, FIRST, 3, weather=holed)


def test_training_before_a_day_sees_nothing_of_it_or_after(
    history: pd.DataFrame, weather: pd.DataFrame
) -> None:
    cutoff = pd.Timestamp("2015-09-01")
    spoiled = history.copy()
    spoiled.loc[spoiled.index >= cutoff, ["aqi", "pm25"]] = 999.0
    clean = train(history, weather, before=cutoff, settings=FASTEST)
    dirty = train(spoiled, weather, before=cutoff, settings=FASTEST)
    assert clean.trained_to < cutoff
    days = pd.DatetimeIndex(["2015-06-10", "2015-07-15"])
    assert np.array_equal(
        quantiles(clean, history, days, weather).median,
        quantiles(dirty, history, days, weather).median,
    )


def test_too_short_a_history_cannot_train(history: pd.DataFrame) -> None:
    with pytest.raises(TrainingError, match="at least 120"):
        train(history.iloc[:60], settings=FAST)


def test_a_saved_model_loads_and_forecasts_the_same(
    model_without_weather: ForecastModel, history: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "beijing.model"
    save_model(model_without_weather, path)
    loaded = load_model(path)
    before = forecast(model_without_weather, history, FIRST, 3)
    after = forecast(loaded, history, FIRST, 3)
    assert np.array_equal(before.aqi_median, after.aqi_median)
    assert np.array_equal(before.p_heavy, after.p_heavy)


def test_a_model_file_from_another_scikit_learn_is_refused(
    model_without_weather: ForecastModel, tmp_path: Path
) -> None:
    path = tmp_path / "old.model"
    save_model(model_without_weather, path)
    payload = joblib.load(path)
    payload["sklearn"] = "0.24.2"
    joblib.dump(payload, path)
    with pytest.raises(ModelFileError, match=r"scikit-learn 0\.24\.2.*retrain"):
        load_model(path)


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.model"
    path.write_text("date,aqi\n")
    with pytest.raises(ModelFileError, match="not a HazeGuard forecast model"):
        load_model(path)


def test_every_spring_festival_falls_in_the_state_councils_spring_festival_holiday() -> None:
    calendar = load_calendar()
    for day in SPRING_FESTIVAL:
        if calendar.first_year <= day.year <= calendar.last_year:
            assert calendar.holiday_name(day.date()) == "春节", day


def test_days_from_the_spring_festival_are_signed_and_clipped() -> None:
    days = pd.DatetimeIndex(["2016-02-08", "2016-02-01", "2016-02-15", "2016-06-01"])
    assert days_from_spring_festival(days).tolist() == [0.0, -7.0, 7.0, 20.0]
