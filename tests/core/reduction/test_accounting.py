"""The columnar accounting: hand-computed reductions, and the same answer as one-by-one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reduction_factory import ORANGE, RED, YELLOW, cement, limit, line, stop, truck_ban

from hazeguard.reduction import accounting as module
from hazeguard.reduction.accounting import (
    TruckFactors,
    UnitTable,
    account,
    enterprise_reductions,
)
from hazeguard.reduction.model import EmissionStage, Measure, MeasureKind, TruckTrips, UnitStatus
from hazeguard.reduction.synthetic import generate_city

L1 = (0.1, 0.5, 0.2, 0.01)  # SO2, NOx, PM, VOCs of one clinker line [t/d]


def test_it_credits_each_formula_against_the_unit_baseline() -> None:
    plan = (
        Measure(YELLOW, MeasureKind.FEED_CAP, ("L1",), amount=2000.0),  # 2500 -> 2000: 20 %
        Measure(YELLOW, MeasureKind.ROTATE, ("L2",), batch=1, batches=2),  # 50 %
        limit(ORANGE, 0.4),
        stop(RED, "L1"),
        Measure(RED, MeasureKind.EXTEND_COKING, ("L2",), base_amount=24.0, amount=48.0),
    )
    industrial, mobile = enterprise_reductions(cement(measures=plan))
    base = np.array(L1)
    np.testing.assert_allclose(industrial[0], 0.2 * base + 0.5 * base)
    np.testing.assert_allclose(industrial[1], 0.8 * base)
    np.testing.assert_allclose(industrial[2], 1.0 * base + 0.5 * base)
    np.testing.assert_array_equal(mobile, 0.0)


def test_overlapping_measures_on_a_unit_count_once_at_their_largest() -> None:
    plan = (limit(YELLOW, 0.2), stop(YELLOW, "L1"), limit(YELLOW, 0.3, "L1"))
    industrial, _ = enterprise_reductions(cement(measures=plan))
    np.testing.assert_allclose(industrial[0], np.array(L1) * (1.0 + 0.2))


def test_units_stopped_before_the_warning_earn_nothing() -> None:
    units = (line("L1"), line("L2", status=UnitStatus.LONG_IDLE))
    industrial, _ = enterprise_reductions(cement(measures=(stop(RED),), units=units))
    np.testing.assert_allclose(industrial[2], L1)
    np.testing.assert_array_equal(industrial[:2], 0.0)


def test_an_exemption_and_a_truck_ban_cut_nothing_from_the_units() -> None:
    plan = (Measure(YELLOW, MeasureKind.EXEMPT, reason="保温保窑"), truck_ban(YELLOW))
    industrial, _ = enterprise_reductions(cement(measures=plan))
    np.testing.assert_array_equal(industrial, 0.0)


def test_a_truck_ban_removes_the_trips_of_banned_stages_into_the_mobile_class() -> None:
    trucks = (
        TruckTrips(EmissionStage.CHINA_3, 5),
        TruckTrips(EmissionStage.CHINA_4, 10),
        TruckTrips(EmissionStage.CHINA_5, 20),
    )
    plan = (truck_ban(ORANGE, EmissionStage.CHINA_4), truck_ban(RED, EmissionStage.CHINA_6))
    factors = TruckFactors()
    _, mobile = enterprise_reductions(cement(measures=plan, trucks=trucks), factors)
    per_trip = factors.matrix()  # [t/trip] by stage
    np.testing.assert_array_equal(mobile[0], 0.0)
    np.testing.assert_allclose(mobile[1], 5 * per_trip[2] + 10 * per_trip[3])
    np.testing.assert_allclose(mobile[2], 5 * per_trip[2] + 10 * per_trip[3] + 20 * per_trip[4])
    assert mobile[1][1] == pytest.approx((5 * 8.5 + 10 * 6.5) * 40 / 1e6)  # NOx [t/d]


def test_the_columnar_accounting_equals_the_one_by_one_loop() -> None:
    city = generate_city(200, seed=3)
    accounting = account(UnitTable.from_enterprises(city.enterprises))
    one_by_one = np.array([enterprise_reductions(e)[0] for e in city.enterprises])
    np.testing.assert_allclose(accounting.enterprise_reduction, one_by_one, atol=1e-15)
    mobile = np.array([enterprise_reductions(e)[1] for e in city.enterprises])
    np.testing.assert_allclose(accounting.mobile, mobile.sum(axis=0), atol=1e-12)
    np.testing.assert_allclose(accounting.total, accounting.industrial + accounting.mobile)


def test_the_baseline_counts_operating_units_only() -> None:
    units = (line("L1"), line("L2", status=UnitStatus.OFF_PEAK_STOPPED))
    accounting = account(UnitTable.from_enterprises([cement(units=units)]))
    np.testing.assert_allclose(accounting.enterprise_baseline[0], L1)


def test_it_accounts_an_empty_list() -> None:
    accounting = account(UnitTable.from_enterprises([]))
    assert accounting.enterprise_reduction.shape == (0, 3, 4)
    assert accounting.by_county() == {}
    np.testing.assert_array_equal(accounting.total, np.zeros((3, 4)))


MEASURES = st.one_of(
    st.builds(lambda f: ("limit", f), st.floats(0.0, 1.0)),
    st.builds(lambda a: ("feed_cap", a), st.floats(0.0, 5000.0)),
    st.builds(lambda n: ("rotate", n), st.integers(1, 3)),
    st.builds(lambda h: ("extend_coking", h), st.floats(1.0, 96.0)),
    st.just(("stop", None)),
)


def build(kind: str, value: float | int | None, level_index: int, unit: str) -> Measure:
    level = (YELLOW, ORANGE, RED)[level_index]
    if kind == "limit":
        return Measure(level, MeasureKind.LIMIT, (unit,), fraction=float(value or 0))
    if kind == "feed_cap":
        return Measure(level, MeasureKind.FEED_CAP, (unit,), amount=float(value or 0))
    if kind == "rotate":
        return Measure(level, MeasureKind.ROTATE, (unit,), batch=1, batches=int(value or 1))
    if kind == "extend_coking":
        return Measure(
            level, MeasureKind.EXTEND_COKING, (unit,), base_amount=24.0, amount=float(value or 24)
        )
    return Measure(level, MeasureKind.STOP, (unit,))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(MEASURES, st.integers(0, 2), st.sampled_from(["L1", "L2"])), max_size=8),
    st.sampled_from(list(UnitStatus)),
)
def test_a_reduction_never_exceeds_the_operating_baseline(
    drawn: list[tuple[tuple[str, float | int | None], int, str]], status: UnitStatus
) -> None:
    units = (line("L1"), line("L2", status=status))
    plan = tuple(build(kind, value, level, unit) for (kind, value), level, unit in drawn)
    accounting = account(UnitTable.from_enterprises([cement(measures=plan, units=units)]))
    reduction = accounting.enterprise_reduction[0]
    assert np.all(reduction >= 0.0)
    assert np.all(reduction <= accounting.enterprise_baseline[0][None, :] * (1 + 1e-12))


def test_it_sums_reductions_per_county() -> None:
    city = generate_city(300, seed=4)
    accounting = account(UnitTable.from_enterprises(city.enterprises))
    by_county = accounting.by_county()
    assert set(by_county) == {e.county for e in city.enterprises}
    np.testing.assert_allclose(sum(by_county.values()), accounting.total)
    county = next(iter(by_county))
    alone = account(UnitTable.from_enterprises(e for e in city.enterprises if e.county == county))
    np.testing.assert_allclose(by_county[county], alone.total)


def test_sums_cut_in_blocks_equal_the_sums_of_the_whole_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city = generate_city(120, seed=5)
    # An enterprise without units (trucks only) in the middle of the list: an empty segment.
    enterprises = list(city.enterprises)
    enterprises[60] = replace(enterprises[60], units=(), measures=())
    table = UnitTable.from_enterprises(enterprises)
    whole = account(table)
    monkeypatch.setattr(module, "_BLOCK_UNITS", 7)  # blocks end inside enterprises
    blocked = account(table)
    np.testing.assert_array_equal(blocked.enterprise_reduction, whole.enterprise_reduction)
    np.testing.assert_array_equal(blocked.enterprise_baseline, whole.enterprise_baseline)
    np.testing.assert_array_equal(blocked.unit_share, whole.unit_share)
    np.testing.assert_array_equal(blocked.truck_reduction, whole.truck_reduction)
    assert not whole.enterprise_baseline[60].any()
    share = (
        whole.unit_share[:, :, None]
        * (table.unit_baseline * table.unit_operating[:, None])[:, None, :]
    )
    expected = np.zeros_like(whole.enterprise_reduction)
    np.add.at(expected, table.unit_enterprise, share)
    np.testing.assert_allclose(whole.enterprise_reduction, expected, rtol=1e-12, atol=1e-18)
