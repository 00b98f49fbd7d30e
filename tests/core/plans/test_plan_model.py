"""The Plan's helpers, and error lines that hold anywhere in a real plan file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hazeguard.plans import PlanError, load_plan, load_plan_file
from hazeguard.plans.loader import plan_path

LIAOCHENG = plan_path("liaocheng-2020").read_text(encoding="utf-8").splitlines()
KEY_LINES = [
    number
    for number, line in enumerate(LIAOCHENG, 1)
    if re.match(r"^[ -]*[a-z_]+:", line) and not line.startswith("#")
]


@pytest.mark.parametrize("number", KEY_LINES[:: max(1, len(KEY_LINES) // 40)])
def test_a_misspelt_key_anywhere_is_reported_at_its_own_line(tmp_path: Path, number: int) -> None:
    lines = list(LIAOCHENG)
    key = re.match(r"^[ -]*([a-z_]+):", lines[number - 1])
    assert key is not None
    lines[number - 1] = lines[number - 1].replace(f"{key[1]}:", f"{key[1]}x:", 1)
    path = tmp_path / "2020.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan_file(path)
    assert (caught.value.line, caught.value.key) == (number, f"{key[1]}x")


def test_level_raises_key_error_for_a_level_the_plan_lacks() -> None:
    with pytest.raises(KeyError, match="no level 'blue'"):
        load_plan("kashgar-2023").level("blue")


def test_measures_for_filters_by_category_across_cumulative_levels() -> None:
    plan = load_plan("kashgar-2023")
    health = plan.measures_for("orange", "health_protection")
    assert [m.clause for m in health] == ["001 §4.3.2.1"] * 5 + ["001 §4.3.3.1"] * 3


def test_neighbours_are_sorted_codes_of_bordering_counties() -> None:
    assert load_plan("kashgar-2023").neighbours("kashi") == ("shufu", "shule")


def test_member_units_are_found_by_code() -> None:
    unit = load_plan("dalian-xigang-2023").member_unit("traffic_police")
    assert unit.name_zh == "区交警大队"
    with pytest.raises(KeyError):
        load_plan("dalian-xigang-2023").member_unit("navy")


def test_plans_are_hashable_so_engines_can_cache_on_them() -> None:
    plan = load_plan("liaocheng-2020")
    assert {plan: 1}[load_plan("liaocheng-2020")] == 1
