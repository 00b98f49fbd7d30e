"""The core's table of workflow cases (tests/core/plans/data/workflow/<plan>.yaml, loaded by
tests/workflow_cases.py) run against the platform's services: the platform must give the same
answers as the core and the CLI (issue 10 §3).

Run here: the approval chains (issue, adjust, lift) step by step through the services, the acts
that must be allowed or refused, lead time as recorded on an issued warning, drills, and the
merge gap episodes follow. Not run here (engine answers the platform only displays): decision,
order, lifting, delegation, may, and the lifting at the announced end (``on_schedule``), which
the platform does not offer yet.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from conftest import T0, MakePerson, Staff, _staff, persona, through_chain
from hazeguard_platform.errors import ForbiddenError, ServiceError
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.response import services
from hazeguard_platform.warnings import chains
from hazeguard_platform.warnings.models import State, Warning
from hazeguard_platform.warnings.services import warning_start
from workflow_cases import WorkflowCase, load_cases

pytestmark = pytest.mark.django_db

# A refusal: the wrong role (ForbiddenError) or the wrong moment (ConflictError, ...).
REFUSED = (ServiceError, ForbiddenError)
STEPS = {
    "review": services.warning_review,
    "agree": services.warning_agree,
    "approve": services.warning_approve,
}


def _cases(*kinds: str) -> list[WorkflowCase]:
    return [case for case in load_cases(kinds) if not case.data.get("on_schedule")]


@pytest.fixture
def command(make_person: MakePerson, request: pytest.FixtureRequest) -> Staff:
    case: WorkflowCase = request.node.callspec.params["case"]
    return _staff(make_person, plan_import(actor=None, plan_id=case.plan).jurisdiction)


def _propose(staff: Staff, level: str, **options: object) -> Warning:
    return services.warning_propose(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        level=level,
        reason="预测重污染",
        **options,  # type: ignore[arg-type]
    )


def _in_force(staff: Staff, clock: time_machine.Coordinates, level: str) -> Warning:
    warning = through_chain(staff, _propose(staff, level).pk)
    services.warning_issue(
        actor=staff.office_clerk,
        warning_id=warning.pk,
        starts_at=timezone.now() + timedelta(days=1),
        short_lead_reason="按预案",
    )
    clock.shift(timedelta(days=1))
    started = warning_start(warning_id=warning.pk)
    assert started is not None
    return started


def _platform_steps(staff: Staff, warning: Warning, action: str) -> list[list[object]]:
    """Walk the chain through the services, each step by the persona of its first role, and
    return the steps the platform asked for, as the case writes them."""
    seen: list[list[object]] = []
    first = chains.chain_of(warning, action).next_step(0)
    if first is not None and first.kind == "propose":
        seen.append(["propose", list(first.roles)])
    while True:
        warning = Warning.objects.get(pk=warning.pk)
        upcoming = chains.next_step(warning, action)
        step = upcoming.step
        if step is None or warning.state == State.ENDED:
            return seen
        if step.kind != "propose" or action != "lift":
            seen.append([step.kind, list(step.roles)])
        actor = persona(staff, step.roles[0])
        if action == "lift":
            services.warning_lift(actor=actor, warning_id=warning.pk, reason="空气质量改善")
        else:
            STEPS[step.kind](actor=actor, warning_id=warning.pk)


@pytest.mark.parametrize("case", _cases("chain"), ids=str)
def test_the_platform_walks_the_plans_chain(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates
) -> None:
    action, level = case.data["action"], case.data["level"]
    expected = [[kind, list(roles)] for kind, roles in case.data.get("steps", [])]
    flow = chains.workflow(command.jurisdiction.plan_versions.get())
    if action != "issue" and not flow.chain("issue", case.data.get("from", level)).steps:
        pytest.skip("nobody may issue under this plan: nothing to adjust or lift")
    if action == "issue":
        warning = _propose(command, level)
    elif action == "lift":
        warning = _in_force(command, clock, level)
    else:
        current = _in_force(command, clock, case.data["from"])
        warning = services.warning_adjust(
            actor=command.office_clerk, warning_id=current.pk, level=level, reason="污染变化"
        )
    if not expected:
        # The plan names nobody (its file says so): nobody may take a step.
        for person in (command.office_director, command.deputy_commander, command.commander):
            with pytest.raises(REFUSED):
                services.warning_approve(actor=person, warning_id=warning.pk)
        return
    assert _platform_steps(command, warning, action) == expected, case.clause
    done = Warning.objects.get(pk=warning.pk)
    assert done.state == (State.ENDED if action == "lift" else State.APPROVED)


@pytest.mark.parametrize("case", _cases("acts"), ids=str)
def test_the_platform_allows_and_refuses_the_acts_the_plan_does(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    level, action, acts = case.data["level"], case.data["action"], case.data["acts"]
    assert acts[0][0] == "propose"
    if action == "lift":
        warning = _in_force(command, clock, level)
        first = 0  # the lifting's proposal is its chain's first step
    else:
        warning = _propose(command, level)
        first = 1
    outcome = True
    for number, (kind, role) in enumerate(acts[first:], start=first):
        # A role acting twice is a second person holding it: the plan names roles, not people.
        actor: User = persona(command, role)
        if any(role == earlier for _, earlier in acts[:number]):
            account_role = chains.ACCOUNT_ROLES[role][0]
            actor = make_person(f"{role}-{number}", account_role, command.jurisdiction)
        try:
            if action == "lift":
                services.warning_lift(actor=actor, warning_id=warning.pk, reason="空气质量改善")
            else:
                STEPS[kind](actor=actor, warning_id=warning.pk)
        except REFUSED:
            outcome = False
            break
    assert outcome is case.data["allowed"], case.clause
    if outcome and case.data.get("complete"):
        final = State.ENDED if action == "lift" else State.APPROVED
        assert Warning.objects.get(pk=warning.pk).state == final


@pytest.mark.parametrize("case", _cases("lead_time"), ids=str)
def test_the_platform_records_the_release_as_the_plan_judges_it(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates
) -> None:
    flow = chains.workflow(command.jurisdiction.plan_versions.get())
    level = flow.plan.level_names[0]
    if not flow.chain("issue", level).steps:
        pytest.skip("nobody may issue under this plan (its file says so): nothing is released")
    warning = through_chain(command, _propose(command, level, driver=case.data["driver"]).pk)
    issued = services.warning_issue(
        actor=command.office_clerk,
        warning_id=warning.pk,
        starts_at=T0 + timedelta(hours=case.data["ahead_hours"]),
        short_lead_reason="预测变化",
    )
    assert issued.lead == case.data["status"], case.clause


@pytest.mark.parametrize(
    "case", [c for c in load_cases(("provision",)) if c.data["name"] == "drills"], ids=str
)
def test_the_platform_runs_drills_where_the_plan_provides_for_them(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates
) -> None:
    level = chains.workflow(command.jurisdiction.plan_versions.get()).plan.level_names[-1]
    try:
        drill = _propose(command, level, drill=True)
    except REFUSED:
        assert case.data["applies"] is False, case.clause
        return
    assert case.data["applies"] is True, case.clause
    assert drill.drill


@pytest.mark.parametrize("case", _cases("merging"), ids=str)
def test_the_platform_merges_episodes_by_the_plans_gap(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates
) -> None:
    from conftest import lift_through_chain

    gap = case.data["gap_hours"]
    flow = chains.workflow(command.jurisdiction.plan_versions.get())
    level = flow.plan.level_names[0]
    if flow.chain("issue", level).silent and not flow.chain("issue", level).steps:
        pytest.skip("the plan names nobody to approve: no episode can start on the platform")
    first = _in_force(command, clock, level)
    lift_through_chain(command, first.pk)
    clock.shift(timedelta(hours=(gap or 36) - 1))
    second = through_chain(command, _propose(command, level).pk)
    started = services.warning_issue(
        actor=command.office_clerk,
        warning_id=second.pk,
        starts_at=timezone.now(),
        short_lead_reason="污染再起",
    )
    first.refresh_from_db()
    assert (started.episode_id == first.episode_id) is (gap is not None), case.clause
