"""The planning cycle's yearly deadlines as plan data (001 §5.2, §8.5; 000 §5.3) and their state."""

from __future__ import annotations

import datetime as dt

import pytest

from hazeguard.plans import Workflow
from hazeguard.plans.loader import load_plan_file, plan_path
from hazeguard.plans.procedure import CycleDeadline
from hazeguard.plans.workflow_facts import cycle_state

DUE = dt.date(2026, 9, 15)


def _cycle(plan_id: str) -> list[tuple[str, str, str]]:
    facts = Workflow.of(load_plan_file(plan_path(plan_id))).cycle
    return [(d.kind, f"{d.month:02d}-{d.day:02d}", d.clause) for d in facts.deadlines]


def test_each_plan_states_its_yearly_deadlines_with_their_clauses_or_says_it_has_none() -> None:
    assert _cycle("kashgar-2023") == [
        ("list_update", "09-15", "001 §8.5"),
        ("plan_revision", "10-31", "001 §5.2"),
    ]
    assert _cycle("dalian-xigang-2023") == [("yearly_evaluation", "04-30", "000 §5.3")]
    for silent in ("liaocheng-2020", "chaoyang-2024"):
        facts = Workflow.of(load_plan_file(plan_path(silent))).cycle
        assert facts.silent
        assert "年度时限" in facts.note_zh


@pytest.mark.parametrize(
    ("today", "done_on", "recorded", "state"),
    [
        (dt.date(2026, 8, 15), None, True, "upcoming"),  # 31 days ahead
        (dt.date(2026, 8, 16), None, True, "due"),  # 30 days ahead
        (DUE, None, True, "due"),  # the day itself is still on time
        (dt.date(2026, 9, 16), None, True, "overdue"),
        (dt.date(2026, 9, 16), None, False, "unrecorded"),
        (dt.date(2026, 12, 1), DUE, True, "done"),
        (dt.date(2026, 12, 1), dt.date(2026, 9, 16), True, "done_late"),
    ],
)
def test_a_deadline_s_state_by_the_day(
    today: dt.date, done_on: dt.date | None, recorded: bool, state: str
) -> None:
    assert cycle_state(DUE, today, done_on, recorded=recorded) == state


def test_a_date_not_in_every_year_is_refused() -> None:
    with pytest.raises(ValueError, match="not a date of every year"):
        CycleDeadline("list_update", 2, 29, "001 §8.5", "……")
