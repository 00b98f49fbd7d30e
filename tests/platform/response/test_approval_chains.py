"""The plan's approval chain, step by step, as the core's Workflow names it (issue 10).

Kashgar red: the office proposes, the office director reviews (审核), the deputy commander agrees
(同意), the commander approves (批准) (001 §3.5); each step only by its role, each audited, and
each person whose step comes next told by a notice in their inbox.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User

from conftest import T0, Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ConflictError, ForbiddenError
from hazeguard_platform.notices.models import Event, Recipient
from hazeguard_platform.response.services import (
    warning_agree,
    warning_approve,
    warning_issue,
    warning_propose,
    warning_review,
)
from hazeguard_platform.warnings.models import State, Step, Warning
from hazeguard_platform.warnings.selectors import allowed_actions

pytestmark = pytest.mark.django_db


def _waiting_for(person: User) -> list[str]:
    """The titles of the step notices in ``person``'s inbox, oldest first."""
    return list(
        Recipient.objects.filter(user=person, notice__event=Event.STEP)
        .order_by("notice__created_at", "notice_id")
        .values_list("notice__title", flat=True)
    )


def test_kashgar_red_goes_review_agree_approve_by_three_people_each_told_in_turn(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    red = warning_propose(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="red", reason="预测"
    )
    assert len(_waiting_for(kashgar.office_director)) == 1
    assert "审核" in _waiting_for(kashgar.office_director)[0]
    assert _waiting_for(kashgar.deputy_commander) == []
    assert _waiting_for(kashgar.commander) == []
    # Nobody skips the chain: the commander cannot approve before the review and the agreement.
    with pytest.raises(ConflictError, match="review"):
        warning_approve(actor=kashgar.commander, warning_id=red.pk)
    with pytest.raises(ForbiddenError):
        warning_review(actor=kashgar.deputy_commander, warning_id=red.pk)
    assert allowed_actions(kashgar.office_director, red) >= {"review"}
    assert "approve" not in allowed_actions(kashgar.commander, red)

    reviewed = warning_review(actor=kashgar.office_director, warning_id=red.pk)
    assert reviewed.state == State.REVIEWED
    assert len(_waiting_for(kashgar.deputy_commander)) == 1
    assert "同意" in _waiting_for(kashgar.deputy_commander)[0]
    assert _waiting_for(kashgar.commander) == []

    agreed = warning_agree(actor=kashgar.deputy_commander, warning_id=red.pk)
    assert agreed.state == State.AGREED
    assert "批准" in _waiting_for(kashgar.commander)[0]

    approved = warning_approve(actor=kashgar.commander, warning_id=red.pk)
    assert (approved.state, approved.approved_by) == (State.APPROVED, kashgar.commander)
    steps = Step.objects.filter(warning=red, action="issue").order_by("position")
    assert [(s.kind, s.role, s.actor, s.clause) for s in steps] == [
        ("propose", "command_office", kashgar.office_clerk, "001 §2.2.1"),
        ("review", "office_director", kashgar.office_director, "001 §3.5"),
        ("agree", "deputy_commander", kashgar.deputy_commander, "001 §3.5"),
        ("approve", "commander", kashgar.commander, "001 §3.5"),
    ]
    audited = AuditEntry.objects.filter(object_id=str(red.pk)).values_list("action", flat=True)
    assert {"warning.review", "warning.agree", "warning.approve"} <= set(audited)


def test_nobody_takes_two_steps_of_one_chain(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    orange = warning_propose(
        actor=kashgar.office_director, jurisdiction=kashgar.jurisdiction, level="orange"
    )
    with pytest.raises(ForbiddenError, match="two steps"):
        warning_review(actor=kashgar.office_director, warning_id=orange.pk)
    assert Warning.objects.get(pk=orange.pk).state == State.PROPOSED


def test_xigangs_commander_approves_what_the_plan_gives_the_deputy(
    xigang: Staff, clock: time_machine.Coordinates
) -> None:
    """ "由区应急指挥部总指挥或副总指挥批准" (000 §2.1): either may approve any level."""
    for approver in (xigang.commander, xigang.deputy_commander):
        warning = warning_propose(
            actor=xigang.office_clerk, jurisdiction=xigang.jurisdiction, level="orange"
        )
        approved = warning_approve(actor=approver, warning_id=warning.pk)
        assert approved.state == State.APPROVED
        Warning.objects.filter(pk=warning.pk).update(state=State.WITHDRAWN)
    red = warning_propose(actor=xigang.office_clerk, jurisdiction=xigang.jurisdiction, level="red")
    with pytest.raises(ForbiddenError):
        warning_approve(actor=xigang.office_director, warning_id=red.pk)


def test_the_office_is_told_an_approved_warning_waits_for_issue(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    yellow = warning_propose(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="yellow"
    )
    warning_approve(actor=kashgar.office_director, warning_id=yellow.pk)
    assert any("发布" in title for title in _waiting_for(kashgar.office_clerk))
    issued = warning_issue(
        actor=kashgar.office_clerk, warning_id=yellow.pk, starts_at=T0 + timedelta(days=1)
    )
    assert issued.state == State.ISSUED
