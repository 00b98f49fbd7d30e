"""The core's table of workflow cases (tests/core/plans/data/workflow/<plan>.yaml, loaded by
tests/workflow_cases.py) run against the platform's services: the platform must give the same
answers as the core and the CLI (issue 10 §3).

Every kind runs here: the approval chains (issue, adjust, lift, and the lifting at the announced
end, ``on_schedule``) step by step through the services; the acts allowed or refused; who may take
a step (``may``) and who acts for whom (``delegation``), by people holding the roles; lead time as
recorded on an issued warning; the merge gap episodes follow; the lifting rule and the provisions
as the stored plan version answers them; drills; the decisions on forecasts entered on the platform
(``decision``, counties included, typhoon days flagged) and on a parent's order (``order``).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from conftest import T0, MakePerson, Staff, _staff, persona, through_chain
from hazeguard.vocabulary import CHINA
from hazeguard_platform import core
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.errors import ForbiddenError, ServiceError
from hazeguard_platform.forecasts.models import Forecast
from hazeguard_platform.forecasts.services import engine_decision, forecast_enter, order_decision
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.response import services
from hazeguard_platform.warnings import chains
from hazeguard_platform.warnings.models import State, Step, Warning
from hazeguard_platform.warnings.services import warning_start
from workflow_cases import WorkflowCase, check_decision, load_cases

if TYPE_CHECKING:
    from hazeguard.plans import ChainStep

pytestmark = pytest.mark.django_db

# A refusal: the wrong role (ForbiddenError) or the wrong moment (ConflictError, ...).
REFUSED = (ServiceError, ForbiddenError)
# How long a warning announced to last runs (its announced end: ``Warning.ends_at``).
ANNOUNCED = timedelta(hours=48)
STEPS = {
    "review": services.warning_review,
    "agree": services.warning_agree,
    "approve": services.warning_approve,
}


def _cases(*kinds: str) -> list[WorkflowCase]:
    return list(load_cases(kinds))


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


def _in_force(
    staff: Staff, clock: time_machine.Coordinates, level: str, *, on_schedule: bool = False
) -> Warning:
    """In force since now; ``on_schedule``: issued with an announced end, which has come."""
    warning = through_chain(staff, _propose(staff, level).pk)
    start = timezone.now() + timedelta(days=1)
    services.warning_issue(
        actor=staff.office_clerk,
        warning_id=warning.pk,
        starts_at=start,
        short_lead_reason="按预案",
        ends_at=start + ANNOUNCED if on_schedule else None,
    )
    clock.shift(timedelta(days=1))
    started = warning_start(warning_id=warning.pk)
    assert started is not None
    if on_schedule:
        clock.shift(ANNOUNCED)
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
        warning = _in_force(command, clock, level, on_schedule=bool(case.data.get("on_schedule")))
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
        warning = _in_force(command, clock, level, on_schedule=bool(case.data.get("on_schedule")))
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


def _fresh(make_person: MakePerson, staff: Staff, role: str, tag: str) -> User:
    """A new person holding the account role that stands for the plan's ``role``."""
    account_role = chains.ACCOUNT_ROLES[role][0]
    return make_person(f"{role}-{tag}", account_role, staff.jurisdiction)


def _walk_to(staff: Staff, warning: Warning, wanted: str) -> ChainStep | None:
    """Take the proposal's steps before the first one ``wanted`` allows (or of kind ``wanted``),
    each by the persona of its first role; return that step (None: the chain has none)."""
    while True:
        warning = Warning.objects.get(pk=warning.pk)
        step = chains.next_step(warning, chains.proposal_action(warning)).step
        if step is None or wanted in (step.kind, *step.roles) or step.allows(wanted):
            return step
        STEPS[step.kind](actor=persona(staff, step.roles[0]), warning_id=warning.pk)


@pytest.mark.parametrize("case", _cases("may"), ids=str)
def test_the_platform_lets_a_step_be_taken_only_by_the_plans_roles(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    want = case.data
    assert want["action"] == "issue", "the case files ask about issuing; add the others here"
    if want["step"] == "propose":
        pytest.fail("a proposal is every command role's on the platform: no case asks it")
    warning = _propose(command, want["level"])
    assert _walk_to(command, warning, want["step"]) is not None, case.clause
    person = _fresh(make_person, command, want["role"], "may")
    try:
        STEPS[want["step"]](actor=person, warning_id=warning.pk)
        allowed = True
    except REFUSED:
        allowed = False
    assert allowed is want["allowed"], case.clause


@pytest.mark.parametrize("case", _cases("delegation"), ids=str)
def test_the_platform_lets_the_delegate_act_for_the_absent_role(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates
) -> None:
    role, absent = case.data["role"], case.data["acts_for"]
    level = chains.workflow(command.jurisdiction.plan_versions.get()).plan.level_names[-1]
    warning = _propose(command, level)
    step = _walk_to(command, warning, absent)
    assert step is not None, f"{case}: no step of the chain is {absent}'s"
    absentee = persona(command, absent)
    absentee.is_active = False
    absentee.save()
    delegate = persona(command, role)
    assert delegate in chains.people_for(warning, step), case.clause
    STEPS[step.kind](actor=delegate, warning_id=warning.pk)
    taken = Step.objects.get(warning=warning, kind=step.kind)
    assert taken.actor == delegate, case.clause
    # In the delegate's own right where the step names it too (Xigang: "指挥长或副指挥长"),
    # else recorded as acting for the absent role.
    assert taken.role == role, case.clause
    assert taken.acts_for in ("", absent), case.clause


@pytest.mark.parametrize("case", _cases("lifting"), ids=str)
def test_the_stored_plan_version_lifts_by_the_plans_rule(
    case: WorkflowCase, command: Staff
) -> None:
    version = command.jurisdiction.plan_versions.get()
    rule = core.plan_from_snapshot(version.snapshot).lifting
    assert rule is not None, case.clause
    assert rule.duration == timedelta(hours=case.data["hours"]), case.clause
    assert (rule.aqi_at_most, rule.clause) == (case.data["aqi_at_most"], case.clause)


@pytest.mark.parametrize(
    "case", [c for c in load_cases(("provision",)) if c.data["name"] != "drills"], ids=str
)
def test_the_stored_plan_version_keeps_the_plans_provisions(
    case: WorkflowCase, command: Staff
) -> None:
    flow = chains.workflow(command.jurisdiction.plan_versions.get())
    name = case.data["name"]
    if name.startswith("excludes:"):
        fact = flow.excludes(name.removeprefix("excludes:"))
    else:
        assert name == "follows_parent_order", f"{case}: unknown provision"
        fact = flow.follows_parent_order
    assert fact.applies is case.data["applies"], case.clause


def _enter(actor: User, jurisdiction: Jurisdiction, spec: dict[str, Any], aqi: list[int]) -> int:
    """A forecast entered on the platform as the case writes it, one value per day."""
    start = date.fromisoformat(spec["start"])
    primary = spec.get("primary") or [""] * len(aqi)
    typhoon = spec.get("typhoon") or [False] * len(aqi)
    days = [
        {
            "date": (start + timedelta(days=n)).isoformat(),
            "aqi_low": value,
            "aqi_high": value,
            "primary_pollutant": primary[n],
            "dust": False,
            "typhoon": typhoon[n],
        }
        for n, value in enumerate(aqi)
    ]
    return forecast_enter(
        actor=actor, jurisdiction=jurisdiction, issued_at=timezone.now(), days=days
    ).pk


def _at(case: WorkflowCase) -> datetime:
    return datetime.fromisoformat(case.data["at"]).replace(tzinfo=CHINA)


def _current(staff: Staff, clock: time_machine.Coordinates, case: WorkflowCase) -> None:
    """The warning the case has in force, issued two days before its moment."""
    clock.move_to(_at(case) - timedelta(days=2))
    level = case.data["current"]
    if not chains.workflow(staff.jurisdiction.plan_versions.get()).chain("issue", level).steps:
        pytest.skip("nobody may issue under this plan (its file says so): nothing is in force")
    warning = through_chain(staff, _propose(staff, level).pk)
    services.warning_issue(
        actor=staff.office_clerk,
        warning_id=warning.pk,
        starts_at=timezone.now(),
        short_lead_reason="按预案",
    )


@pytest.mark.parametrize("case", _cases("decision"), ids=str)
def test_the_platform_decides_on_its_stored_forecasts_as_the_core_does(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    if "current" in case.data:
        _current(command, clock, case)
    clock.move_to(_at(case))
    spec = case.data["forecast"]
    forecast_id = _enter(command.office_clerk, command.jurisdiction, spec, spec["aqi"])
    polluted = case.data.get("counties")
    if polluted is not None:
        for county in command.jurisdiction.children.all():
            forecaster = make_person(f"{county.code}-clerk", Role.COMMAND_OFFICE_STAFF, county)
            aqi = spec["aqi"] if county.code in polluted else [100] * len(spec["aqi"])
            _enter(forecaster, county, {"start": spec["start"]}, aqi)
    if case.data.get("drill"):
        # A drill is proposed as one: the decision stored with the proposal is the drill's.
        decision = _propose(command, case.data["level"], forecast_id=forecast_id, drill=True)
        check_decision(case, json.loads(json.dumps(decision.decision)))
        return
    version = command.jurisdiction.plan_versions.get()
    stored = Forecast.objects.get(pk=forecast_id)
    decision = engine_decision(command.jurisdiction, version.snapshot, stored, timezone.now())
    check_decision(case, json.loads(json.dumps(decision)))


@pytest.mark.parametrize("case", _cases("order"), ids=str)
def test_the_platform_decides_on_the_parents_order_as_the_core_does(
    case: WorkflowCase, command: Staff, clock: time_machine.Coordinates
) -> None:
    if "current" in case.data:
        _current(command, clock, case)
    clock.move_to(_at(case))
    if case.data["level"] != "none" and "current" not in case.data and not case.data.get("primary"):
        # The office proposes the level ordered; the proposal stores the order's decision.
        proposal = _propose(
            command,
            case.data["level"],
            driver="regional_floor",
            drill=case.data.get("drill", False),
        )
        check_decision(case, json.loads(json.dumps(proposal.decision)))
        return
    version = command.jurisdiction.plan_versions.get()
    decision = order_decision(
        command.jurisdiction,
        version.snapshot,
        case.data["level"],
        timezone.now(),
        primary=tuple(case.data.get("primary", ())),
        drill=case.data.get("drill", False),
    )
    check_decision(case, json.loads(json.dumps(decision)))
