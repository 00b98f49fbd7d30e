"""Each reduction formula against reference values (data/formula_cases.yaml)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from hazeguard.reduction.formulas import (
    KIND_CODES,
    annual_from_daily,
    cap_share,
    capacity_base,
    coking_share,
    is_small_micro,
    measure_share,
    rotation_share,
    stopped_capacity_share,
    truck_ban_reduction,
)
from hazeguard.reduction.model import MeasureKind

CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "formula_cases.yaml").read_text(encoding="utf-8")
)


def ids(name: str) -> list[str]:
    return [case["source"][:40] for case in CASES[name]]


@pytest.mark.parametrize("case", CASES["cap_share"], ids=ids("cap_share"))
def test_it_cuts_a_capped_feed_by_one_minus_cap_over_base(case: dict[str, Any]) -> None:
    assert cap_share(case["base"], case["cap"]) == pytest.approx(case["share"])


@pytest.mark.parametrize("case", CASES["coking_share"], ids=ids("coking_share"))
def test_it_cuts_a_longer_coking_time_by_one_minus_t0_over_t1(case: dict[str, Any]) -> None:
    assert coking_share(case["t0"], case["t1"]) == pytest.approx(case["share"])


@pytest.mark.parametrize("case", CASES["rotation_share"], ids=ids("rotation_share"))
def test_it_cuts_one_day_in_n_for_a_rotation(case: dict[str, Any]) -> None:
    assert rotation_share(case["batches"]) == pytest.approx(case["share"])


@pytest.mark.parametrize("case", CASES["capacity_base"], ids=ids("capacity_base"))
def test_it_takes_the_smallest_capacity_as_the_base(case: dict[str, Any]) -> None:
    assert capacity_base(case["eia"], case["permit"], case["output"]) == case["base"]


@pytest.mark.parametrize("case", CASES["truck_ban"], ids=ids("truck_ban"))
def test_it_converts_banned_truck_kilometres_to_tonnes(case: dict[str, Any]) -> None:
    assert truck_ban_reduction(case["trips"], case["km"], case["ef"]) == pytest.approx(
        case["tonnes"]
    )


@pytest.mark.parametrize("case", CASES["small_micro"], ids=ids("small_micro"))
def test_it_classifies_small_micro_emitters(case: dict[str, Any]) -> None:
    assert (
        is_small_micro(case["annual_kg"], case["coal_or_oil"], case["toxic"]) is case["small_micro"]
    )


def test_it_counts_stopped_capacity_as_a_share_of_the_total() -> None:
    assert stopped_capacity_share(2500.0, 5000.0) == 0.5
    assert stopped_capacity_share(0.0, 0.0) == 0.0


def test_it_converts_daily_to_annual_with_330_days() -> None:
    assert annual_from_daily(1.0) == 330.0


def test_it_lets_nan_propagate() -> None:
    assert math.isnan(float(cap_share(math.nan, 10.0)))
    assert math.isnan(float(coking_share(math.nan, 36.0)))


def test_it_evaluates_every_kind_in_one_vectorised_call() -> None:
    nan = math.nan
    rows = [
        # kind, fraction, amount, base_amount, batches, capacity, expected share
        (MeasureKind.STOP, nan, nan, nan, nan, 100.0, 1.0),
        (MeasureKind.STOP_LINES, 0.5, nan, nan, nan, 100.0, 1.0),
        (MeasureKind.LIMIT, 0.2, nan, nan, nan, 100.0, 0.2),
        (MeasureKind.FEED_CAP, nan, 768.0, 960.0, nan, 1000.0, 0.2),
        (MeasureKind.FEED_CAP, nan, 800.0, nan, nan, 1000.0, 0.2),  # base = capacity
        (MeasureKind.EXTEND_COKING, nan, 36.0, 24.0, nan, 100.0, 1 / 3),
        (MeasureKind.ROTATE, nan, nan, nan, 3.0, 100.0, 1 / 3),
        (MeasureKind.LOAD_CAP, nan, 70.0, nan, nan, 100.0, 0.3),
        (MeasureKind.VOLUNTARY, 0.05, nan, nan, nan, 100.0, 0.05),
        (MeasureKind.VOLUNTARY, nan, nan, nan, nan, 100.0, 0.0),
        (MeasureKind.TRUCK_BAN, nan, nan, nan, nan, 100.0, 0.0),
        (MeasureKind.EXEMPT, nan, nan, nan, nan, 100.0, 0.0),
    ]
    columns = list(zip(*rows, strict=True))
    shares = measure_share(
        np.array([KIND_CODES[k] for k in columns[0]]), *(np.array(c) for c in columns[1:6])
    )
    np.testing.assert_allclose(shares, columns[6])
