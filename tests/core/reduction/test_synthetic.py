"""The synthetic city: seeded, realistic in its mix, and summing to its inventory."""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np
import pytest

from hazeguard.reduction.accounting import UnitTable, account
from hazeguard.reduction.model import (
    EmissionList,
    Emissions,
    EnterpriseCategory,
    Grade,
    Inventory,
    MeasureKind,
    SourceClass,
)
from hazeguard.reduction.rules import default_rule_book
from hazeguard.reduction.site_plans import SitePlans
from hazeguard.reduction.synthetic import DEFAULT_INVENTORY, INDUSTRIES, generate_city
from hazeguard.reduction.uscc import is_valid_credit_code


@pytest.fixture(scope="module")
def city() -> EmissionList:
    return generate_city(2000, seed=11)


def test_the_same_seed_gives_the_same_list() -> None:
    assert generate_city(50, seed=5) == generate_city(50, seed=5)
    assert generate_city(50, seed=5) != generate_city(50, seed=6)


def test_speeding_up_the_generator_keeps_the_city_it_makes() -> None:
    # The fingerprint of a city made before the generator was sped up (3 Dec 2026): every
    # enterprise, unit, baseline, plan and trip, as their repr, must stay what it was.
    city = generate_city(3000, seed=11, noncompliant_share=0.1)
    assert hashlib.sha256(repr(city).encode()).hexdigest() == FINGERPRINT


FINGERPRINT = "c46f2d5fd9835b949d6a93e27704b0b1fd9d145f162deaa6718dc9b9373d0d11"


def test_operating_units_sum_to_the_inventory_industrial_class(city: EmissionList) -> None:
    baseline = account(UnitTable.from_enterprises(city.enterprises)).enterprise_baseline
    industrial = DEFAULT_INVENTORY.source(SourceClass.INDUSTRIAL).as_tuple()
    np.testing.assert_allclose(baseline.sum(axis=0), industrial, rtol=1e-9)


def test_it_sums_to_a_given_inventory() -> None:
    inventory = Inventory({SourceClass.INDUSTRIAL: Emissions(5.0, 9.0, 3.0, 12.0)})
    small = generate_city(120, seed=2, inventory=inventory)
    baseline = account(UnitTable.from_enterprises(small.enterprises)).enterprise_baseline
    np.testing.assert_allclose(baseline.sum(axis=0), (5.0, 9.0, 3.0, 12.0), rtol=1e-9)
    assert small.inventory is inventory


def test_it_draws_categories_in_the_configured_proportions(city: EmissionList) -> None:
    counts = Counter(e.category for e in city.enterprises)
    expected: Counter[EnterpriseCategory] = Counter()
    for industry in INDUSTRIES:
        expected[industry.category] += industry.share
    for category, share in expected.items():
        assert counts[category] / len(city.enterprises) == pytest.approx(share, abs=0.03)


def test_most_graded_enterprises_are_c_or_d(city: EmissionList) -> None:
    grades = Counter(e.grade for e in city.enterprises if e.is_key_industry)
    assert (grades[Grade.C] + grades[Grade.D]) / sum(grades.values()) > 0.7
    assert grades[Grade.A] < grades[Grade.B] < grades[Grade.C]


def test_it_has_about_four_units_per_enterprise(city: EmissionList) -> None:
    units = sum(len(e.units) for e in city.enterprises)
    assert 3.6 < units / len(city.enterprises) < 4.4


def test_every_credit_code_is_valid_and_unique(city: EmissionList) -> None:
    codes = [e.credit_code for e in city.enterprises]
    assert all(is_valid_credit_code(c) for c in codes)
    assert len(set(codes)) == len(codes)


def test_small_micro_enterprises_stay_below_100_kg_a_year(city: EmissionList) -> None:
    for enterprise in city.enterprises:
        if enterprise.category is EnterpriseCategory.SMALL_MICRO:
            annual_kg = sum(enterprise.baseline(operating_only=False).as_tuple()) * 330 * 1000
            assert annual_kg < 100


def test_it_rejects_an_empty_city() -> None:
    with pytest.raises(ValueError, match="n_enterprises must be >= 1"):
        generate_city(0, seed=1)


def test_it_rejects_an_inventory_smaller_than_the_small_micro_emitters() -> None:
    tiny = Inventory({SourceClass.INDUSTRIAL: Emissions(1.0, 1e-9, 1.0, 1.0)})
    with pytest.raises(ValueError, match="smaller than the small-micro total"):
        generate_city(200, seed=1, inventory=tiny)


def test_no_cut_exceeds_its_inventory_when_the_list_is_long_for_its_city() -> None:
    # 2,000 enterprises' trucks against a mobile class of 0.5 t/d NOx is the proportion of
    # 1 M enterprises against the default city: before trips were capped, the truck bans cut
    # 180 % of the mobile NOx (and 161-283 % of the society-wide NOx at 1 M).
    inventory = Inventory(
        {
            SourceClass.INDUSTRIAL: DEFAULT_INVENTORY.source(SourceClass.INDUSTRIAL),
            SourceClass.MOBILE: Emissions(0.01, 0.5, 0.03, 0.25),
        }
    )
    city = generate_city(2000, seed=3, inventory=inventory)
    accounting = account(UnitTable.from_enterprises(city.enterprises))
    industrial = np.array(inventory.source(SourceClass.INDUSTRIAL).as_tuple())
    mobile = np.array(inventory.source(SourceClass.MOBILE).as_tuple())
    assert np.all(accounting.industrial <= industrial)
    assert np.all(accounting.mobile <= 0.1 * mobile * (1 + 1e-9))
    assert np.all(accounting.total <= np.array(inventory.total().as_tuple()))
    assert np.all(accounting.enterprise_reduction <= accounting.enterprise_baseline[:, None, :])
    assert accounting.mobile[-1, 1] > 0  # trucks are still listed and banned, only fewer


def test_a_short_list_keeps_the_trips_it_drew() -> None:
    city = generate_city(300, seed=3)
    trips = [t.trips_per_day for e in city.enterprises for t in e.truck_trips]
    assert trips
    assert min(trips) >= 0.5
    assert all(round(t, 1) == t for t in trips)


def test_it_rejects_a_truck_share_outside_0_1() -> None:
    with pytest.raises(ValueError, match="truck_share must be in"):
        generate_city(10, seed=1, truck_share=1.5)


def test_shared_site_plans_equal_the_plans_written_for_each_enterprise(city: EmissionList) -> None:
    book = default_rule_book()
    shared = SitePlans(book)
    stop_lines = 0
    for enterprise in city.enterprises:
        look = sum(1 << n for n, unit in enumerate(enterprise.units) if unit.operating)
        rotate = any(m.kind is MeasureKind.ROTATE for m in enterprise.measures)
        key = (enterprise.key_industry, enterprise.industry_code, enterprise.category)
        arguments = (key, enterprise.grade, enterprise.units, look, rotate)
        alone = SitePlans(book).measures(*arguments, bool(enterprise.truck_trips))  # no cache
        assert shared.measures(*arguments, bool(enterprise.truck_trips)) == alone
        assert enterprise.measures == alone
        stop_lines += any(m.kind is MeasureKind.STOP_LINES for m in alone)
    assert stop_lines > 100  # the capacity-dependent plans were exercised
