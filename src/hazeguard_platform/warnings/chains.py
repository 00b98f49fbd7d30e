"""The plan's approval chain on a warning: which step is next, and who may take it.

The chain itself is the core's answer (``hazeguard.plans.Workflow``: who proposes, reviews,
agrees and approves each action at each level, with delegations); this module only maps the
plan's roles to the platform's accounts and counts the steps taken (:class:`Step` rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor, roles_of
from hazeguard_platform.jurisdictions.models import PlanVersion
from hazeguard_platform.warnings.models import State, Step, Warning

if TYPE_CHECKING:
    from hazeguard.plans import Chain, ChainStep, Workflow

# The platform's account roles that stand for each role a plan names (vocabulary.ROLES): the
# proposing bodies (指挥部办公室, Liaocheng's 综合协调组, which sits in the office) are the
# command office's staff.
ACCOUNT_ROLES: dict[str, tuple[Role, ...]] = {
    "commander": (Role.COMMANDER,),
    "deputy_commander": (Role.DEPUTY_COMMANDER,),
    "office_director": (Role.OFFICE_DIRECTOR,),
    "command_office": (Role.COMMAND_OFFICE_STAFF,),
    "coordination_group": (Role.COMMAND_OFFICE_STAFF,),
}
# The state a proposal is in once a step of this kind is taken.
STATE_AFTER = {"review": State.REVIEWED, "agree": State.AGREED, "approve": State.APPROVED}


def workflow(version: PlanVersion) -> Workflow:
    """The core's workflow answers for a stored plan version."""
    return core.workflow_from_snapshot(version.snapshot)


def chain_of(warning: Warning, action: str) -> Chain:
    """The chain ``warning`` goes through: ``issue`` (a first warning), ``adjust`` (one that
    replaces another: the chain of the higher level, 001 §3.7.1) or ``lift`` (at the announced
    end, the plan's procedure for lifting on schedule: :func:`lifts_on_schedule`)."""
    flow = workflow(warning.plan_version)
    if action == "lift":
        return flow.chain("lift", warning.level, on_schedule=lifts_on_schedule(warning))
    if warning.supersedes_id is not None and warning.supersedes is not None:
        return flow.adjust_chain(warning.supersedes.level, warning.level)
    return flow.chain("issue", warning.level)


def lifts_on_schedule(warning: Warning) -> bool:
    """Whether lifting ``warning`` is lifting at its announced end ("按期解除", 001 §3.7.2): it
    announced an end (``ends_at``) and its lifting began (or begins now) at or after it. The
    moment the lifting began decides, so a lifting begun early keeps its chain to the end."""
    if warning.ends_at is None:
        return False
    begun = (
        Step.objects.filter(warning=warning, action="lift", position=0)
        .values_list("acted_at", flat=True)
        .first()
    )
    return (begun or timezone.now()) >= warning.ends_at


def proposal_action(warning: Warning) -> str:
    """``adjust`` for a warning that replaces another, else ``issue``."""
    return "adjust" if warning.supersedes_id is not None else "issue"


def steps_taken(warning: Warning, action: str) -> list[Step]:
    """The steps taken on ``warning``'s ``action`` chain, in order."""
    return list(Step.objects.filter(warning=warning, action=action).order_by("position"))


@dataclass(frozen=True)
class Next:
    """The next step of a chain and its position (``step`` None: the chain is complete)."""

    chain: Chain
    position: int
    step: ChainStep | None


def next_step(warning: Warning, action: str) -> Next:
    """The step after those taken on ``warning``'s ``action`` chain."""
    chain = chain_of(warning, action)
    done = Step.objects.filter(warning=warning, action=action).count()
    return Next(chain, done, chain.next_step(done))


@dataclass(frozen=True)
class Standing:
    """The plan role a person takes a step in, and the role they stand in for (delegation)."""

    role: str
    acts_for: str = ""
    clause: str = ""


def standing(actor: Actor, warning: Warning, step: ChainStep) -> Standing | None:
    """The plan role in which ``actor`` may take ``step`` on ``warning`` (their own, or one
    delegated to them by the plan), else None."""
    held = roles_of(actor, warning.jurisdiction)
    for plan_role, accounts in ACCOUNT_ROLES.items():
        if not held & set(accounts) or not step.allows(plan_role):
            continue
        delegation = step.delegation_for(plan_role)
        if delegation is None:
            return Standing(plan_role)
        return Standing(plan_role, delegation.acts_for, delegation.clause)
    return None


def may_take(actor: Actor, warning: Warning, action: str, step: ChainStep) -> bool:
    """Whether ``actor`` may take ``step`` now: a role the step allows, and no step of this
    chain taken already (nobody approves their own proposal, 001 §3.5)."""
    if not isinstance(actor, User) or standing(actor, warning, step) is None:
        return False
    return not Step.objects.filter(warning=warning, action=action, actor_id=actor.pk).exists()


def may_decide(actor: Actor, warning: Warning, action: str) -> bool:
    """Whether ``actor`` holds a step of the chain still to come (and took none of it)."""
    upcoming = next_step(warning, action)
    remaining = upcoming.chain.steps[upcoming.position :]
    return any(may_take(actor, warning, action, step) for step in remaining)


def people_for(warning: Warning, step: ChainStep, *, exclude: Iterable[int] = ()) -> list[User]:
    """The active accounts of ``warning``'s jurisdiction that may take ``step`` (their own role
    or a delegated one), but not those in ``exclude`` (who took a step of the chain already)."""
    roles = {
        account
        for plan_role, accounts in ACCOUNT_ROLES.items()
        if step.allows(plan_role)
        for account in accounts
    }
    members = Membership.objects.filter(
        jurisdiction=warning.jurisdiction, role__in=roles
    ).values_list("user_id", flat=True)
    people = get_user_model().objects.filter(pk__in=members, is_active=True)
    return list(people.exclude(pk__in=list(exclude)).order_by("pk"))


def role_words(step: ChainStep) -> str:
    """``指挥长或副指挥长 commander or deputy commander`` for the step's roles."""
    from hazeguard.vocabulary import role_name

    zh = "或".join(role_name(role, "zh") for role in step.roles)
    en = " or ".join(role_name(role, "en") for role in step.roles)
    return f"{zh} {en}"
