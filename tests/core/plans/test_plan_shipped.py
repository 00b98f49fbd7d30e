"""Every shipped plan loads, keeps its ID contract, and survives a snapshot round trip."""

from __future__ import annotations

import json

import pytest

from hazeguard.plans import Plan, PlanError, list_plans, load_plan, plan_ids

# The contract: these IDs exist, whatever year the seed itself carries.
CONTRACT_IDS = [
    "dalian-xigang-2023",
    "kashgar-2023",
    "liaocheng-2020",
    "chaoyang-2024",
    "beijing-2013",
    "beijing-2015",
    "beijing-2016",
]


def test_every_contract_plan_is_shipped() -> None:
    assert set(CONTRACT_IDS) <= set(plan_ids())


@pytest.mark.parametrize("plan_id", plan_ids())
def test_each_shipped_plan_loads_under_its_own_id(plan_id: str) -> None:
    plan = load_plan(plan_id)
    assert plan.id == plan_id
    assert plan.levels


@pytest.mark.parametrize("plan_id", plan_ids())
def test_a_plan_snapshot_round_trips_through_json(plan_id: str) -> None:
    plan = load_plan(plan_id)
    snapshot = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    assert Plan.from_dict(snapshot) == plan


def test_list_plans_returns_every_plan_sorted_by_id() -> None:
    assert [plan.id for plan in list_plans()] == plan_ids()


def test_it_rejects_an_edited_snapshot_naming_the_key() -> None:
    snapshot = load_plan("liaocheng-2020").to_dict()
    snapshot["levels"][0]["criteria"]["op"] = "=="
    with pytest.raises(PlanError, match=r"<snapshot>: unknown operator '=='") as caught:
        Plan.from_dict(snapshot)
    assert caught.value.key == "op"


def test_it_refuses_an_unknown_plan_id_listing_the_known_ones() -> None:
    with pytest.raises(PlanError, match=r"known: .*liaocheng-2020"):
        load_plan("atlantis-2020")
