"""The synthetic city: seeded, realistic in its mix, and summing to its inventory."""

from __future__ import annotations

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
    SourceClass,
)
from hazeguard.reduction.synthetic import DEFAULT_INVENTORY, INDUSTRIES, generate_city
from hazeguard.reduction.uscc import is_valid_credit_code


@pytest.fixture(scope="module")
def city() -> EmissionList:
    return generate_city(2000, seed=11)


def test_the_same_seed_gives_the_same_list() -> None:
    assert generate_city(50, seed=5) == generate_city(50, seed=5)
    assert generate_city(50, seed=5) != generate_city(50, seed=6)


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
