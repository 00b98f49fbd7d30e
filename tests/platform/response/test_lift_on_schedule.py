"""Lifting on schedule (按期解除): "预警按期解除，不再另行报批，由指挥部办公室直接发布解除指令"
(Kashgar 001 §3.7.2).

A warning issued with an announced end (``ends_at``) lifts at that end by the office director
alone, without the approval chain; before it, lifting goes through the issuing procedure (001
§3.7.1). At the end the office director is told that the lifting waits for them. A plan without
such a clause (Liaocheng: "各级别的预警按照发布程序予以解除", 003 §3.3.2) lifts by its own chain
at the end as before it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from flows import proposed

from conftest import T0, Staff, through_chain
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.notices.models import Event, Recipient
from hazeguard_platform.response.services import (
    lift_due_sweep,
    warning_issue,
    warning_lift,
    warning_lift_due,
    warning_propose,
)
from hazeguard_platform.response.tasks import lift_due_task
from hazeguard_platform.warnings import chains
from hazeguard_platform.warnings.models import EndReason, State, Step, Warning
from hazeguard_platform.warnings.selectors import allowed_actions
from hazeguard_platform.warnings.services import warning_start

pytestmark = pytest.mark.django_db

SEED_ZH = "预警按期解除，不再另行报批，由指挥部办公室直接发布解除指令。"
START = T0 + timedelta(days=1)
END = START + timedelta(hours=72)  # red: AQI > 200 for 72 h and more (001 §3.3)


def _in_force_until(staff: Staff, clock: time_machine.Coordinates, level: str = "red") -> Warning:
    """Proposed, approved by the plan's chain, issued to start tomorrow and end 72 h later."""
    warning = warning_propose(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, level=level, reason="预测重污染"
    )
    through_chain(staff, warning.pk)
    warning_issue(actor=staff.office_clerk, warning_id=warning.pk, starts_at=START, ends_at=END)
    clock.shift(START - T0)
    started = warning_start(warning_id=warning.pk)
    assert started is not None
    assert started.ends_at == END
    return started


def _step_notices(person: User) -> list[str]:
    return list(
        Recipient.objects.filter(user=person, notice__event=Event.STEP)
        .order_by("notice_id")
        .values_list("notice__body", flat=True)
    )


def test_at_the_announced_end_the_kashgar_office_director_lifts_red_alone(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    red = _in_force_until(kashgar, clock)
    clock.shift(END - START)
    chain = chains.chain_of(red, "lift")
    assert (chain.clause, chain.text_zh) == ("001 §3.7.2", SEED_ZH)
    assert allowed_actions(kashgar.office_director, red) >= {"lift"}

    lifted = warning_lift(actor=kashgar.office_director, warning_id=red.pk)

    assert (lifted.state, lifted.end_reason) == (State.ENDED, EndReason.LIFTED)
    assert lifted.ended_by == kashgar.office_director
    assert "按期解除" in lifted.end_note
    steps = Step.objects.filter(warning=red, action="lift")
    # "不再另行报批": one step, the office director's, under 001 §3.7.2; nobody else approves.
    assert list(steps.values_list("kind", "role", "clause")) == [
        ("approve", "office_director", "001 §3.7.2")
    ]
    # The county warnings it gave (区域预警) end with it, as with any lifting.
    counties = Warning.objects.filter(regional_source=red)
    assert counties.exists()
    assert set(counties.values_list("state", flat=True)) == {State.ENDED}


def test_before_the_announced_end_lifting_goes_through_the_issuing_procedure(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    red = _in_force_until(kashgar, clock)
    clock.shift(END - START - timedelta(hours=1))
    # Early, the office director alone may not lift: the office proposes first (001 §3.7.1).
    assert "lift" not in allowed_actions(kashgar.office_director, red)
    with pytest.raises(ForbiddenError):
        warning_lift(actor=kashgar.office_director, warning_id=red.pk, reason="空气质量改善")
    warning_lift(actor=kashgar.office_clerk, warning_id=red.pk, reason="空气质量改善")
    # The end comes while the early lifting is on its way: it keeps its chain, to the commander.
    clock.shift(timedelta(hours=2))
    for person in (kashgar.office_director, kashgar.deputy_commander):
        warning_lift(actor=person, warning_id=red.pk)
        assert Warning.objects.get(pk=red.pk).state == State.IN_FORCE
    lifted = warning_lift(actor=kashgar.commander, warning_id=red.pk)
    assert lifted.state == State.ENDED
    assert list(Step.objects.filter(warning=red, action="lift").values_list("kind", flat=True)) == [
        "propose",
        "review",
        "agree",
        "approve",
    ]


def test_the_office_director_is_told_when_the_announced_end_comes(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    red = _in_force_until(kashgar, clock)
    assert warning_lift_due(warning_id=red.pk) is False  # not yet
    clock.shift(END - START)
    before = len(_step_notices(kashgar.office_director))
    commander_before = _step_notices(kashgar.commander)

    assert lift_due_task.call(red.pk) is True  # what the worker runs at the end

    told = _step_notices(kashgar.office_director)[before:]
    assert len(told) == 1
    assert "001 §3.7.2" in told[0]
    assert _step_notices(kashgar.commander) == commander_before  # "不再另行报批"
    warning_lift(actor=kashgar.office_director, warning_id=red.pk)
    assert warning_lift_due(warning_id=red.pk) is False  # ended: nothing more to tell


def test_the_sweep_tells_the_office_once_when_the_end_task_was_never_queued(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    red = _in_force_until(kashgar, clock)
    assert lift_due_sweep() == 0  # the end has not come
    clock.shift(END - START)
    before = len(_step_notices(kashgar.office_director))

    assert lift_due_sweep() == 1
    assert lift_due_sweep() == 0  # told once
    assert lift_due_task.call(red.pk) is False  # the task, run late, tells nobody again

    assert len(_step_notices(kashgar.office_director)) == before + 1


def test_an_announced_end_before_the_start_is_refused_and_names_the_field(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    warning = warning_propose(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="yellow", reason="预测"
    )
    through_chain(kashgar, warning.pk)
    with pytest.raises(InvalidInputError) as refused:
        warning_issue(
            actor=kashgar.office_clerk, warning_id=warning.pk, starts_at=START, ends_at=START
        )
    assert refused.value.field == "ends_at"
    assert Warning.objects.get(pk=warning.pk).state == State.APPROVED


def test_liaocheng_lifts_by_its_issuing_procedure_even_at_the_announced_end(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    """Liaocheng has no lifting on schedule: "各级别的预警按照发布程序予以解除" (003 §3.3.2)."""
    red = _in_force_until(liaocheng, clock)
    clock.shift(END - START)
    assert chains.chain_of(red, "lift").clause == "003 §3.3.2"
    with pytest.raises(ForbiddenError):
        warning_lift(actor=liaocheng.office_director, warning_id=red.pk, reason="按期")
    assert Warning.objects.get(pk=red.pk).state == State.IN_FORCE


def test_the_issue_form_starts_from_the_forecast_episodes_end(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    """The end announced is the forecast's: the form is pre-filled from the decision."""
    warning = through_chain(liaocheng, proposed(liaocheng).pk)
    expected_end = warning.decision["expected_end"]  # type: ignore[index]
    assert expected_end  # naive China Standard Time, as the core writes it
    client = Client()
    client.force_login(liaocheng.office_clerk)
    page = client.get(f"/staff/warning/{warning.pk}/").content.decode()
    shown = expected_end.replace("T", " ").replace("-", "/")  # the Chinese date format
    assert f'name="ends_at" value="{shown}"' in page
