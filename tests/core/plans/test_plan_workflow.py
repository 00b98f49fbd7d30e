"""Workflow.of(plan): the API edges the table-driven cases do not reach."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hazeguard.plans import Workflow, WorkflowError, load_plan

LIAOCHENG = Workflow.of(load_plan("liaocheng-2020"))
KASHGAR = Workflow.of(load_plan("kashgar-2023"))


def test_the_same_plan_gives_the_same_workflow() -> None:
    assert Workflow.of(load_plan("liaocheng-2020")) is LIAOCHENG


def test_deadlines_are_found_by_kind_and_event() -> None:
    # 003 §4.2: counties notify their departments within 3 h of the city's warning.
    notify = LIAOCHENG.deadline("notify_units", after="warning_received")
    assert notify is not None
    assert (notify.within, notify.clause) == (timedelta(hours=3), "003 §4.2")
    assert LIAOCHENG.deadline("notify_units", after="response_ended") is None
    assert LIAOCHENG.deadline("daily_report") is None  # 003 sets no daily report deadline
    assert [d.clause for d in LIAOCHENG.deadlines("summary")] == ["003 §4.9"]


def test_an_unknown_level_or_action_is_named() -> None:
    with pytest.raises(WorkflowError, match="has no level 'blue': yellow, orange, red"):
        KASHGAR.chain("issue", "blue")
    with pytest.raises(WorkflowError, match="unknown action 'cancel'"):
        KASHGAR.chain("cancel", "red")  # type: ignore[arg-type]
    with pytest.raises(WorkflowError, match="no advisory notice"):
        KASHGAR.chain("issue", "advisory")


def test_a_chain_in_progress_names_the_next_step() -> None:
    chain = KASHGAR.chain("issue", "red")
    done = [("propose", "command_office"), ("review", "office_director")]
    assert chain.complete(done) is False  # type: ignore[arg-type]
    following = chain.next_step(len(done))
    assert following is not None
    assert (following.kind, following.roles) == ("agree", ("deputy_commander",))
    assert chain.next_step(len(chain.steps)) is None


def test_a_finished_chain_takes_no_further_act() -> None:
    chain = KASHGAR.chain("issue", "yellow")
    acts = [("propose", "command_office"), ("approve", "office_director")]
    with pytest.raises(WorkflowError, match="already complete"):
        chain.check([*acts, ("approve", "commander")])  # type: ignore[list-item]


def test_a_delegate_may_act_and_says_for_whom() -> None:
    # 000 §2.1: the deputy acts for the absent commander. Xigang's deputy approves in its own
    # right already, so the delegation shows where only the commander is named.
    from dataclasses import replace

    from hazeguard.plans import Approval

    plan = load_plan("dalian-xigang-2023")
    red = plan.level("red")
    assert red.approval is not None
    only_commander = replace(red.approval, approver="commander", or_approved_by=())
    changed = replace(plan, levels=(*plan.levels[:2], replace(red, approval=only_commander)))
    step = Workflow.of(changed).chain("issue", "red").approve
    assert step is not None
    assert step.allows("deputy_commander")
    delegation = step.delegation_for("deputy_commander")
    assert delegation is not None
    assert (delegation.acts_for, delegation.condition_zh, delegation.clause) == (
        "commander",
        "当指挥长不在时",
        "000 §2.1",
    )
    assert step.delegation_for("commander") is None
    assert not step.allows("office_director")
    assert isinstance(only_commander, Approval)


def test_a_snapshot_without_a_workflow_section_says_so_and_guesses_nothing() -> None:
    from hazeguard.plans import Plan

    snapshot = load_plan("liaocheng-2020").to_dict()
    snapshot.pop("workflow")
    chain = Workflow.of(Plan.from_dict(snapshot)).chain("lift", "red")
    assert (chain.steps, chain.silent) == ((), True)
    assert "import the current plan file" in chain.note
    assert "请导入当前预案文件" in chain.note_zh
