"""A plan names the jurisdiction above it; the code alone (older files, snapshots) still reads."""

from __future__ import annotations

import pytest

from hazeguard.plans import Parent, Plan, list_plans, load_plan
from hazeguard.plans.describe import facts


def test_an_old_snapshot_with_the_parent_code_reads_back() -> None:
    snapshot = load_plan("liaocheng-2020").to_dict()
    snapshot["parent"] = "shandong"  # as PlanVersion rows stored it before parents were named
    assert Plan.from_dict(snapshot).parent == Parent("shandong")


def test_a_named_parent_round_trips_through_the_snapshot() -> None:
    plan = load_plan("kashgar-2023")
    assert Plan.from_dict(plan.to_dict()) == plan


@pytest.mark.parametrize(
    ("plan_id", "expected"),
    [
        ("dalian-xigang-2023", ("dalian", "大连市", "Dalian", "city")),
        ("liaocheng-2020", ("shandong", "山东省", "Shandong Province", "province")),
        (
            "kashgar-2023",
            ("xinjiang", "新疆维吾尔自治区", "Xinjiang Uygur Autonomous Region", "province"),
        ),
        ("chaoyang-2024", ("liaoning", "辽宁省", "Liaoning Province", "province")),
    ],
)
def test_the_shipped_plans_name_their_parents(
    plan_id: str, expected: tuple[str, str, str, str]
) -> None:
    parent = load_plan(plan_id).parent
    assert parent is not None
    assert (parent.code, parent.name_zh, parent.name_en, parent.kind) == expected


def test_every_shipped_parent_is_named() -> None:
    parents = [plan.parent for plan in list_plans() if plan.parent is not None]
    assert len(parents) == 4
    assert all(parent.named for parent in parents)


def test_plan_show_gives_the_parents_names() -> None:
    found = {key: value for key, value, _ in facts(load_plan("liaocheng-2020"))}
    assert found["parent"] == "山东省 Shandong Province (shandong)"
