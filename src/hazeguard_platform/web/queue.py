"""What waits for one person ("待我处理"): the home every role lands on (STYLE.md §28).

Each list asks the app that owns the fact: the plan's chain step a person may take is
``warnings.chains`` (``next_step``, ``may_take``), tasks and reports are ``operations``',
notices ``notices``'. Nothing here decides; it gathers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from hazeguard_platform.accounts.models import COMMAND_ROLES, Membership, Role
from hazeguard_platform.accounts.permissions import Actor, jurisdictions_of, roles_of
from hazeguard_platform.core import CHINA
from hazeguard_platform.notices.models import Recipient
from hazeguard_platform.notices.selectors import inbox_for_user
from hazeguard_platform.operations.models import DailyReport, ReportState, Task, TaskState
from hazeguard_platform.operations.selectors import reports_for_user, tasks_for_user
from hazeguard_platform.warnings import chains
from hazeguard_platform.warnings.models import ACTIVE_STATES, CHAIN_STATES, State, Step, Warning
from hazeguard_platform.warnings.selectors import ISSUE_ROLES


@dataclass(frozen=True)
class Decision:
    """A warning on which the person may take the next step now.

    ``kind``: ``review``, ``agree``, ``approve`` (the plan's chain), ``issue`` (approved, to be
    released), ``lift`` (a step of the lifting chain) or ``respond`` (a county answering its
    city's regional warning). ``due``: by when, ``clause`` where the plan says so.
    """

    warning: Warning
    kind: str
    due: datetime | None
    due_is_start: bool
    clause: str


@dataclass(frozen=True)
class Queue:
    """Everything waiting for one person, each list oldest deadline first."""

    decisions: list[Decision] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    reports: list[DailyReport] = field(default_factory=list)
    notices: list[Recipient] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many things wait in all."""
        return len(self.decisions) + len(self.tasks) + len(self.reports) + len(self.notices)


def release_by(warning: Warning) -> tuple[datetime | None, bool]:
    """When the proposal must be released to keep the plan's usual lead time before the start the
    engine computed (``earliest_start - lead time``), and whether that is the start itself (the
    plan states no lead time, or it has passed: then the start is the deadline)."""
    text = (warning.decision or {}).get("earliest_start")
    if not text:
        return None, False
    start = datetime.fromisoformat(str(text)).replace(tzinfo=CHINA)
    usual = chains.workflow(warning.plan_version).lead_time.usual_hours
    if usual is None:
        return start, True
    release = start - timedelta(hours=usual)
    return release, False


def _chain_decisions(
    user: User, warnings: list[Warning], lifting: set[int], own: set[int]
) -> list[Decision]:
    """The steps ``user`` may take now on ``warnings`` (``lifting``: ids whose lifting began;
    ``own``: the jurisdictions where ``user`` holds a role themselves, who answer a regional
    warning, not the city above that sees it)."""
    found: list[Decision] = []
    for warning in warnings:
        roles = roles_of(user, warning.jurisdiction)
        due, is_start = release_by(warning)
        if warning.state in CHAIN_STATES:
            upcoming = chains.next_step(warning, chains.proposal_action(warning))
            step = upcoming.step
            if step is not None and chains.may_take(user, warning, upcoming.chain.action, step):
                found.append(Decision(warning, step.kind, due, is_start, step.clause))
        elif warning.state == State.APPROVED and roles & set(ISSUE_ROLES):
            found.append(Decision(warning, "issue", due, is_start, ""))
        elif warning.state in ACTIVE_STATES and warning.pk in lifting:
            lift_step = chains.next_step(warning, "lift").step
            if lift_step is not None and chains.may_take(user, warning, "lift", lift_step):
                found.append(Decision(warning, "lift", None, False, lift_step.clause))
        if (
            warning.regional_source_id is not None
            and warning.respond_by is not None
            and warning.responded_at is None
            and warning.state in ACTIVE_STATES
            and warning.jurisdiction_id in own
            and roles & {Role.COUNTY_OFFICER, *COMMAND_ROLES}
        ):
            found.append(Decision(warning, "respond", warning.respond_by, False, ""))
    return found


def waiting_for_me(user: Actor) -> Queue:
    """The person's queue: decisions on warnings of their jurisdictions, open tasks of their units
    and counties, reports still owed, notices not yet acknowledged."""
    if not isinstance(user, User):
        return Queue()
    warnings = list(
        Warning.objects.filter(
            jurisdiction__in=jurisdictions_of(user),
            state__in=(*CHAIN_STATES, State.APPROVED, *ACTIVE_STATES),
        )
        .select_related("jurisdiction", "plan_version", "regional_source__jurisdiction")
        .order_by("proposed_at")
    )
    begun = set(
        Step.objects.filter(warning__in=warnings, action="lift").values_list(
            "warning_id", flat=True
        )
    )
    own = set(Membership.objects.filter(user=user).values_list("jurisdiction_id", flat=True))
    decisions = _chain_decisions(user, warnings, begun, own)
    far = datetime.max.replace(tzinfo=CHINA)
    decisions.sort(key=lambda d: d.due or far)
    return Queue(
        decisions=decisions,
        tasks=list(tasks_for_user(user).filter(state=TaskState.OPEN).order_by("opened_at")[:50]),
        reports=list(
            reports_for_user(user)
            .filter(state__in=(ReportState.DUE, ReportState.OVERDUE))
            .order_by("due_at")[:50]
        ),
        notices=list(inbox_for_user(user).filter(acknowledged_at__isnull=True)[:50]),
    )
