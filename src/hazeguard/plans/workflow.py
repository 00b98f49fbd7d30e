"""The plan's workflow questions, answered in one place for the engine, the CLI and the platform.

>>> from hazeguard.plans import load_plan
>>> red = Workflow.of(load_plan("kashgar-2023")).chain("issue", "red")
>>> [(step.kind, step.roles) for step in red.steps]  # doctest: +NORMALIZE_WHITESPACE
[('propose', ('command_office',)), ('review', ('office_director',)),
 ('agree', ('deputy_commander',)), ('approve', ('commander',))]
>>> red.clause
'001 §3.5'

Every answer carries the clause it comes from. Where the plan is silent, the plan file says so
(``workflow.silences``, each with a note) and the answer is marked ``silent`` with that note: the
software never fills a gap with a default of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, TypedDict

from hazeguard.plans.procedure import Delegation, PlanProcedure, Procedure
from hazeguard.plans.workflow_facts import (
    Answer,
    CycleFacts,
    Fact,
    LeadJudgement,
    LeadTimeFacts,
    MergeFacts,
)
from hazeguard.vocabulary import rank

if TYPE_CHECKING:
    from hazeguard.plans.model import Plan
    from hazeguard.plans.organisation import Deadline, DeadlineEvent, DeadlineKind
    from hazeguard.plans.procedure import SilentTopic

Action = Literal["issue", "adjust", "lift"]
ACTIONS: tuple[Action, ...] = ("issue", "adjust", "lift")
StepKind = Literal["propose", "review", "agree", "approve"]
STEP_KINDS: tuple[StepKind, ...] = ("propose", "review", "agree", "approve")
HOUR = dt.timedelta(hours=1)


class WorkflowError(ValueError):
    """A workflow act the plan does not allow (wrong role, wrong order, unknown level)."""


@dataclass(frozen=True)
class ChainStep:
    """One step of a chain: any one of ``roles`` takes it; ``delegates`` may act for them."""

    kind: StepKind
    roles: tuple[str, ...]
    clause: str
    text_zh: str
    delegates: tuple[Delegation, ...] = ()

    def allows(self, role: str) -> bool:
        """Whether ``role`` may take this step, itself or by delegation."""
        return role in self.roles or self.delegation_for(role) is not None

    def delegation_for(self, role: str) -> Delegation | None:
        """The delegation under which ``role`` acts here (None when it acts in its own right)."""
        if role in self.roles:
            return None
        return next((d for d in self.delegates if d.role == role), None)


@dataclass(frozen=True)
class Chain(Answer):
    """The steps an action at a level goes through, in order, with the clause that sets them.

    ``silent``: the plan states no procedure; ``note`` (from the plan file) says what the
    software does instead, and ``steps`` are that choice (possibly none: nobody may act).
    """

    action: Action
    level: str
    steps: tuple[ChainStep, ...]

    @property
    def approve(self) -> ChainStep | None:
        """The final step (the approval), if any."""
        return self.steps[-1] if self.steps else None

    @property
    def approvers(self) -> tuple[str, ...]:
        """The roles that may give the final approval (delegates not included)."""
        return self.approve.roles if self.approve else ()

    def step(self, kind: StepKind) -> ChainStep | None:
        """The first step of ``kind``, if the chain has one."""
        return next((step for step in self.steps if step.kind == kind), None)

    def next_step(self, done: int) -> ChainStep | None:
        """The step after ``done`` completed ones (None when the chain is complete)."""
        return self.steps[done] if done < len(self.steps) else None

    def check(self, acts: Sequence[tuple[StepKind, str]]) -> None:
        """Raise :class:`WorkflowError` unless ``acts`` ((kind, role) in order) follow the chain.

        Acts may stop before the end (a chain in progress); each must be the next step, taken by
        a role that step allows. ``WorkflowError`` names the step, the role and the clause.
        """
        for index, (kind, role) in enumerate(acts):
            expected = self.next_step(index)
            if expected is None:
                raise WorkflowError(f"{self.action} {self.level}: the chain is already complete")
            if kind != expected.kind:
                raise WorkflowError(
                    f"{self.action} {self.level}: step {index + 1} is {expected.kind}, not {kind}"
                    f" ({expected.clause})"
                )
            if not expected.allows(role):
                raise WorkflowError(
                    f"{self.action} {self.level}: {role} may not {kind}; "
                    f"{' or '.join(expected.roles)} may ({expected.clause})"
                )

    def complete(self, acts: Sequence[tuple[StepKind, str]]) -> bool:
        """Whether ``acts`` follow the chain to its end (``check`` raises when they do not)."""
        self.check(acts)
        return len(acts) == len(self.steps)


class _Note(TypedDict):
    note: str
    note_zh: str


@dataclass(frozen=True)
class Workflow:
    """The workflow facts of one plan. Build with :meth:`of`."""

    plan: Plan

    @staticmethod
    def of(plan: Plan) -> Workflow:
        """The workflow of ``plan`` (cached: plans are frozen)."""
        return _workflow(plan)

    @property
    def procedure(self) -> PlanProcedure:
        """The plan file's ``workflow`` section (empty when the file has none)."""
        return self.plan.workflow or PlanProcedure()

    def _silence_note(self, topic: SilentTopic) -> _Note:
        """The plan file's note on ``topic`` as ``note`` and ``note_zh`` keyword arguments."""
        silence = self.procedure.silence(topic)
        if self.plan.workflow is None:
            # A snapshot stored before plan files had a workflow section: say so, guess nothing.
            return {
                "note": f"plan {self.plan.id} has no workflow section (a version stored before "
                "the section existed): import the current plan file to get its procedure",
                "note_zh": f"预案{self.plan.id}没有工作流程部分（该版本保存于此部分出现之前）："
                "请导入当前预案文件以取得其程序",
            }
        if silence is None:
            return {
                "note": f"plan {self.plan.id} states no {topic}, and its file records no note",
                "note_zh": f"预案{self.plan.id}未规定此项，预案文件也未作说明",
            }
        return {"note": silence.note, "note_zh": silence.note_zh}

    # ------------------------------------------------------------------------------- chains

    def chain(self, action: Action, level: str, *, on_schedule: bool = False) -> Chain:
        """The chain of steps for ``action`` at ``level``.

        ``issue``: propose, review(s), agree, approve as the level's approval says. ``adjust``:
        the adjust procedure for ``level`` (pass the higher of the old and new levels, see
        :meth:`adjust_chain`). ``lift``: the lift procedure for the level in force; ``on_schedule``
        picks the plan's procedure for lifting at the announced end (001 §3.7.2).
        """
        if level == "advisory":
            return self._advisory_chain(action)
        self._level(level)
        if action == "issue":
            return self._issue_chain(level)
        if action not in ("adjust", "lift"):
            raise WorkflowError(f"unknown action {action!r}: use one of {ACTIONS}")
        procedures = self.procedure.adjust if action == "adjust" else self.procedure.lift
        wanted = "on_schedule" if on_schedule else "early"
        chosen = next((p for p in procedures if p.when in (wanted, "always")), None)
        if chosen is not None:
            return self._by_procedure(action, level, chosen)
        topic: SilentTopic = action
        silence = self.procedure.silence(topic)
        note = self._silence_note(topic)
        if silence is not None and silence.procedure == "as_issue":
            issuing = self._issue_chain(level)
            return replace(
                issuing, action=action, silent=True, note=note["note"], note_zh=note["note_zh"]
            )
        return Chain(action, level, (), silent=True, **note)

    def adjust_chain(self, from_level: str, to_level: str) -> Chain:
        """The chain for adjusting ``from_level`` to ``to_level``: the procedure of the higher.

        Adjusting "按照预警发布程序" (003 §3.3.2, 001 §3.7.1) concerns both levels; the stricter
        chain is the one that covers both.
        """
        higher = max(from_level, to_level, key=rank)
        return replace(self.chain("adjust", higher), level=to_level)

    def approvers(
        self, action: Action, level: str, *, on_schedule: bool = False
    ) -> tuple[str, ...]:
        """The roles that give the final approval of ``action`` at ``level``."""
        return self.chain(action, level, on_schedule=on_schedule).approvers

    def may(
        self, role: str, action: Action, level: str, step: StepKind, *, on_schedule: bool = False
    ) -> bool:
        """Whether ``role`` may take ``step`` of ``action`` at ``level`` (itself or delegated)."""
        found = self.chain(action, level, on_schedule=on_schedule).step(step)
        return found is not None and found.allows(role)

    def _level(self, level: str) -> None:
        if level not in self.plan.level_names:
            raise WorkflowError(
                f"plan {self.plan.id} has no level {level!r}: {', '.join(self.plan.level_names)}"
            )

    def _delegates(self, roles: tuple[str, ...]) -> tuple[Delegation, ...]:
        return tuple(
            d for d in self.procedure.delegations if d.acts_for in roles and d.role not in roles
        )

    def _issue_chain(self, level: str) -> Chain:
        approval = self.plan.level(level).approval
        if approval is None:
            note = self._silence_note("approval")
            return Chain("issue", level, (), silent=True, **note)
        steps: list[ChainStep] = []
        proposer = self.procedure.proposer
        if proposer is not None:
            steps.append(ChainStep("propose", proposer.roles, proposer.clause, proposer.text_zh))
        clause, text = approval.clause, approval.text_zh
        steps += [ChainStep("review", (role,), clause, text) for role in approval.reviewed_by]
        steps += [ChainStep("agree", (role,), clause, text) for role in approval.agreed_by]
        roles = (approval.approver, *approval.or_approved_by)
        steps.append(ChainStep("approve", roles, clause, text, self._delegates(roles)))
        return Chain("issue", level, tuple(steps), clause=clause, text_zh=text)

    def _by_procedure(self, action: Action, level: str, procedure: Procedure) -> Chain:
        clause, text = procedure.clause, procedure.text_zh
        if procedure.kind == "direct":
            by = procedure.by
            step = ChainStep("approve", by, clause, text, self._delegates(by))
            return Chain(action, level, (step,), clause=clause, text_zh=text)
        issuing = self._issue_chain(level)
        # A reviewer the procedure names reviews under the procedure's clause (Liaocheng's lifting
        # form goes to the office director, 003 §3.3.2), in place or added after the proposal.
        steps = [
            replace(step, clause=clause, text_zh=text)
            if step.kind == "review" and set(step.roles) <= set(procedure.reviewed_by)
            else step
            for step in issuing.steps
        ]
        have = {role for step in steps if step.kind == "review" for role in step.roles}
        extra = [r for r in procedure.reviewed_by if r not in have]
        at = 1 if steps and steps[0].kind == "propose" else 0
        steps[at:at] = [ChainStep("review", (role,), clause, text) for role in extra]
        return Chain(
            action,
            level,
            tuple(steps),
            clause=clause,
            text_zh=text,
            silent=issuing.silent,
            note=issuing.note,
            note_zh=issuing.note_zh,
        )

    def _advisory_chain(self, action: Action) -> Chain:
        advisory = self.plan.advisory
        if advisory is None:
            raise WorkflowError(f"plan {self.plan.id} has no advisory notice")
        procedure = self.procedure.advisory
        if procedure is None:
            note = self._silence_note("advisory")
            return Chain(action, "advisory", (), silent=True, **note)
        return self._by_procedure(action, "advisory", procedure)

    # ------------------------------------------------------------------------- time facts

    @property
    def lead_time(self) -> LeadTimeFacts:
        """The plan's lead time, its exemptions, or its recorded silence."""
        lead = self.plan.lead_time
        exemptions = self.procedure.lead_exemptions
        if lead is None:
            note = self._silence_note("lead_time")
            return LeadTimeFacts(None, None, exemptions, silent=True, **note)
        minimum = lead.minimum / HOUR if lead.minimum is not None else None
        return LeadTimeFacts(
            lead.usual / HOUR, minimum, exemptions, clause=lead.clause, text_zh=lead.text_zh
        )

    @property
    def merging(self) -> MergeFacts:
        """The plan's merge rule, or its recorded silence (then episodes are not merged)."""
        rule = self.plan.merging
        if rule is None or rule.duration is None:
            return MergeFacts(None, silent=True, **self._silence_note("merge"))
        return MergeFacts(rule.duration, clause=rule.clause, text_zh=rule.text_zh)

    def deadline(
        self, kind: DeadlineKind, *, after: DeadlineEvent | None = None
    ) -> Deadline | None:
        """The plan's first deadline of ``kind`` (``daily_report``, ``summary``...), if any;
        with ``after``, only one counted from that event (``warning_received``...)."""
        return next(iter(self.deadlines(kind, after=after)), None)

    def deadlines(
        self, kind: DeadlineKind, *, after: DeadlineEvent | None = None
    ) -> tuple[Deadline, ...]:
        """Every deadline of ``kind`` the plan states (from ``after`` when given), in file order."""
        return tuple(
            d for d in self.plan.deadlines if d.kind == kind and (after is None or d.after == after)
        )

    # ----------------------------------------------------------------------- provisions

    @property
    def drills(self) -> Fact:
        """Whether the plan provides for drills (exercise episodes), with its clause."""
        found = self.procedure.drills
        if found is None:
            return Fact(False, silent=True, **self._silence_note("drill"))
        return Fact(True, clause=found.clause, text_zh=found.text_zh)

    @property
    def cycle(self) -> CycleFacts:
        """The planning cycle's yearly deadlines (001 §5.2, §8.5; 000 §5.3), or the silence."""
        found = self.procedure.cycle
        if not found:
            return CycleFacts(silent=True, **self._silence_note("planning_cycle"))
        return CycleFacts(deadlines=found)

    @property
    def follows_parent_order(self) -> Fact:
        """Whether the jurisdiction issues the level its parent orders, deciding none itself."""
        found = self.procedure.follows_parent_order
        if found is None:
            return Fact(False)
        return Fact(True, clause=found.clause, text_zh=found.text_zh)

    def excludes(self, cause: str) -> Fact:
        """Whether pollution from ``cause`` (``typhoon``, ``dust_storm``) is outside the plan."""
        found = next((e for e in self.plan.exclusions if e.cause == cause), None)
        if found is None:
            return Fact(False)
        return Fact(True, clause=found.clause, text_zh=found.text_zh)


@lru_cache(maxsize=64)
def _workflow(plan: Plan) -> Workflow:
    return Workflow(plan)


__all__ = [
    "ACTIONS",
    "STEP_KINDS",
    "Action",
    "Chain",
    "ChainStep",
    "Fact",
    "LeadJudgement",
    "LeadTimeFacts",
    "MergeFacts",
    "StepKind",
    "Workflow",
    "WorkflowError",
]
