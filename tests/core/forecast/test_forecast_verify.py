"""Scores with known answers, and the rolling-origin backtest on the shipped data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from forecast_fixtures import DAILY, FAST, FASTEST, WEATHER

from hazeguard.cli import main
from hazeguard.cli.forecast import render_verification
from hazeguard.forecast import verify
from hazeguard.forecast.metrics import brier, outcome_brier, point_scores, reliability
from hazeguard.forecast.probability import observed_ranks, one_hot
from hazeguard.plans import load_plan
from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.rules import LEVEL_ORDER

SCORE_NAMES = {"mae", "rmse", "category_accuracy", "pod", "far", "csi"}


def test_point_scores_count_hits_misses_and_false_alarms() -> None:
    forecast = np.array([250.0, 250.0, 100.0, 100.0, np.nan])
    observed = np.array([260.0, 150.0, 240.0, 90.0, 300.0])
    scores = point_scores(forecast, observed)
    # One hit, one false alarm, one miss; the unknown pair is left out.
    assert scores["pod"] == 0.5
    assert scores["far"] == 0.5
    assert scores["csi"] == pytest.approx(1 / 3)
    assert scores["mae"] == pytest.approx((10 + 100 + 140 + 10) / 4)
    assert scores["category_accuracy"] == 0.5  # 250/260 both heavy; 100/90 both level 2


def test_no_heavy_day_leaves_the_detection_scores_undefined() -> None:
    scores = point_scores(np.array([50.0]), np.array([60.0]))
    assert np.isnan(scores["pod"])
    assert np.isnan(scores["far"])


def test_the_brier_score_of_a_sure_and_right_forecast_is_0_and_of_a_sure_wrong_one_2() -> None:
    assert brier(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]])) == 0.0
    assert brier(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])) == 2.0


def test_the_reliability_table_bins_by_tenths() -> None:
    rows = reliability(np.array([0.05, 0.05, 0.95]), np.array([0.0, 1.0, 1.0]))
    assert rows[0]["count"] == 2
    assert rows[0]["observed"] == 0.5
    assert rows[-1]["from"] == 0.9


def test_the_brier_score_of_one_level_is_the_mean_squared_gap_over_known_forecasts() -> None:
    probabilities = np.array([1.0, 0.0, 0.5, 0.8])
    happened = np.array([1.0, 1.0, 0.0, np.nan])
    assert outcome_brier(probabilities, happened) == pytest.approx((0 + 1 + 0.25) / 3)
    assert np.isnan(outcome_brier(np.array([0.5]), np.array([np.nan])))


def test_the_observed_level_is_the_engines_on_each_prefix_and_unknown_after_a_gap() -> None:
    rules = rules_from_plan(load_plan("beijing-2015"))
    # Beijing 2015: AQI > 200 on 1 day is blue, on 2 yellow, on 3 red (orange shares red's rule).
    observed = np.array([[320.0, 320.0, 320.0, np.nan], [50.0, 60.0, 70.0, 80.0]])
    ranks = observed_ranks(rules, observed)
    assert [LEVEL_ORDER[int(r)] for r in ranks[0, :3]] == ["blue", "yellow", "red"]
    assert np.isnan(ranks[0, 3])
    assert list(ranks[1]) == [0.0] * 4
    names = ("none", "blue", "yellow", "orange", "red")
    happened = one_hot(ranks, names)
    assert list(happened[0, 2]) == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert np.isnan(happened[0, 3]).all()
    assert list(happened[1, 0]) == [1.0, 0.0, 0.0, 0.0, 0.0]


def test_the_backtest_scores_the_model_beside_persistence_and_climatology(
    history: pd.DataFrame, weather: pd.DataFrame
) -> None:
    rules = rules_from_plan(load_plan("beijing-2015"))
    result = verify(
        history,
        pd.Timestamp("2016-01-01"),
        pd.Timestamp("2016-01-31"),
        weather=weather,
        rules=rules,
        settings=FAST,
        samples=200,
    )
    data = result.to_dict()
    assert list(data["lead_days"]) == ["1", "2", "3"]
    for methods in data["lead_days"].values():
        assert set(methods) == {"model", "persistence", "climatology"}
        for scores in methods.values():
            assert set(scores) == SCORE_NAMES | {"brier"}
            assert scores["mae"] >= 0
    assert data["retrained"] == ["2016-01-01"]
    assert data["issue_days"] == 31
    assert set(data["reliability"]) <= {"blue", "yellow", "orange", "red"}
    assert set(data["level_brier"]) == {"model", "persistence", "climatology"}
    for levels in data["level_brier"].values():
        assert set(levels) == set(data["reliability"])
        assert all(value is None or 0 <= value <= 1 for value in levels.values())
    json.dumps(data)
    text = render_verification(result)
    for level, rows in data["reliability"].items():
        assert f"{level}: Brier model " in text
        assert f"{rows[0]['from']:.1f}-{rows[0]['to']:.1f}" in text


def test_the_backtest_retrains_every_month_on_the_days_before_it(history: pd.DataFrame) -> None:
    retrained: list[pd.Timestamp] = []
    result = verify(
        history,
        pd.Timestamp("2015-11-20"),
        pd.Timestamp("2016-01-05"),
        settings=FASTEST,
        on_retrain=retrained.append,
    )
    assert [f"{day:%Y-%m-%d}" for day in retrained] == ["2015-11-01", "2015-12-01", "2016-01-01"]
    assert set(result.to_dict()["lead_days"]["1"]["model"]) == SCORE_NAMES


def test_the_commands_train_predict_and_verify_from_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    model = tmp_path / "beijing.model"
    trained = runner.invoke(
        main,
        [
            "forecast",
            "train",
            "--history",
            str(DAILY),
            "--weather",
            str(WEATHER),
            "--leads",
            "1",
            "--jobs",
            "1",
            "-o",
            str(model),
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert "with weather" in trained.output
    output = tmp_path / "forecast.csv"
    predicted = runner.invoke(
        main,
        [
            "forecast",
            "predict",
            "--model",
            str(model),
            "--recent",
            str(DAILY),
            "--weather",
            str(WEATHER),
            "--from",
            "2016-01-02",
            "--days",
            "1",
            "--plan",
            "beijing-2015",
            "-o",
            str(output),
        ],
    )
    assert predicted.exit_code == 0, predicted.output
    header = output.read_text().splitlines()[0]
    assert header.startswith("date,aqi_low,aqi_median,aqi_high,primary_pollutant,p_aqi_over_200")
    assert header.endswith("p_none,p_blue,p_yellow,p_orange,p_red")
    verified = runner.invoke(
        main,
        [
            "forecast",
            "verify",
            "--history",
            str(DAILY),
            "--start",
            "2016-02-01",
            "--end",
            "2016-02-10",
            "--leads",
            "1",
            "--jobs",
            "1",
            "--json",
        ],
    )
    assert verified.exit_code == 0, verified.output
    assert "no weather given" in verified.output
    data = json.loads(verified.output[verified.output.index("{") :])
    assert set(data["lead_days"]["1"]) == {"model", "persistence", "climatology"}


def test_the_command_names_a_bad_file_row_and_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,aqi\n2016-01-01,12x\n")
    result = CliRunner().invoke(main, ["forecast", "train", "--history", str(bad), "-o", "m"])
    assert result.exit_code == 1
    assert "row 2, column 'aqi'" in result.output
