"""The index against published and hand-computed numbers (tests/core/aqi/data/*.csv)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hazeguard.aqi import INDICATORS, iaqi, index_frame

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _number(text: str) -> float:
    return float(text) if text else math.nan


IAQI_VECTORS = _rows("iaqi_vectors.csv")
AQI_VECTORS = _rows("aqi_vectors.csv")


@pytest.mark.parametrize("row", IAQI_VECTORS, ids=[row["id"] for row in IAQI_VECTORS])
def test_the_iaqi_of_one_value_matches_the_vector(row: dict[str, str]) -> None:
    result = iaqi(row["indicator"], _number(row["concentration"]), standard=row["standard"])
    expected = _number(row["expected_iaqi"])
    assert result == expected or (math.isnan(result) and math.isnan(expected)), row["note"]


@pytest.mark.parametrize("standard", ["HJ633-2012", "HJ633-2026"])
def test_an_array_of_vectors_gives_the_same_values_as_one_by_one(standard: str) -> None:
    for indicator in INDICATORS:
        rows = [
            row
            for row in IAQI_VECTORS
            if row["indicator"] == indicator and row["standard"] == standard
        ]
        if not rows:
            continue
        values = np.array([_number(row["concentration"]) for row in rows])
        expected = np.array([_number(row["expected_iaqi"]) for row in rows])
        np.testing.assert_array_equal(iaqi(indicator, values, standard=standard), expected)


def _frame(row: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: [_number(row[name])] for name in INDICATORS})


@pytest.mark.parametrize("row", AQI_VECTORS, ids=[row["id"] for row in AQI_VECTORS])
def test_the_report_of_one_row_matches_the_vector(row: dict[str, str]) -> None:
    result = index_frame(_frame(row), standard=row["standard"], mode=row["mode"]).iloc[0]
    expected_aqi = _number(row["aqi"])
    if math.isnan(expected_aqi):
        assert pd.isna(result["aqi"]), row["note"]
        assert pd.isna(result["level"])
        assert pd.isna(result["category"])
    else:
        assert result["aqi"] == expected_aqi, row["note"]
        assert result["level"] == int(row["level"])
        assert result["category"] == row["category"]
    assert result["primary_pollutants"] == row["primary_pollutants"], row["note"]
    assert result["exceedance_pollutants"] == row["exceedance_pollutants"], row["note"]
    assert bool(result["above_scale"]) is (row["above_scale"] == "True")
    assert result["standard"] == row["standard"]
    for check in filter(None, row["iaqi_checks"].split(";")):
        name, value = check.split("=")
        got = result[f"iaqi_{name}"]
        assert (pd.isna(got) and not value) or got == float(value), f"{row['id']} {check}"


def test_all_report_vectors_in_one_frame_give_the_same_as_row_by_row() -> None:
    for standard, mode in {(row["standard"], row["mode"]) for row in AQI_VECTORS}:
        rows = [row for row in AQI_VECTORS if (row["standard"], row["mode"]) == (standard, mode)]
        frame = pd.concat([_frame(row) for row in rows], ignore_index=True)
        together = index_frame(frame, standard=standard, mode=mode)
        for position, row in enumerate(rows):
            alone = index_frame(_frame(row), standard=standard, mode=mode).iloc[0]
            pd.testing.assert_series_equal(
                together.iloc[position], alone, check_names=False, obj=row["id"]
            )
