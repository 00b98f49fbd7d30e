"""The plan's procedure as data: who proposes, how adjusting and lifting go, delegation, drills,
and what the plan leaves unsaid (``silences``). Read by :mod:`hazeguard.plans.workflow`.

Written in a plan file as ``workflow: {...}`` (docs/plan-schema.md). Like every part, each rule
carries ``clause`` and ``text_zh``; a topic the plan does not speak to is listed under
``silences`` with a note saying what the software does instead, so no answer is ever a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hazeguard.plans.parts import Approver, Citation, check_clause

Proposer = Literal["command_office", "coordination_group", "office_director"]
ProcedureKind = Literal["as_issue", "direct"]
ProcedureWhen = Literal["always", "on_schedule", "early"]
SilentTopic = Literal[
    "lead_time",
    "merge",
    "lift",
    "adjust",
    "approval",
    "proposer",
    "drill",
    "advisory",
    "pollution_process",
]
LeadDriver = Literal["observed", "regional_floor", "advisory"]


@dataclass(frozen=True)
class Proposal:
    """Who prepares the request the approvers sign (综合协调组 "形成《…审批表》", 003 §3.3.1)."""

    roles: tuple[Proposer, ...]
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)
        if not self.roles:
            raise ValueError("a proposal names at least one role")


@dataclass(frozen=True)
class Procedure:
    """How a warning is adjusted or lifted.

    ``as_issue``: by the issuing procedure of the level concerned ("各级别的预警按照发布程序予以
    解除", 003 §3.3.2); ``reviewed_by`` adds reviewers the plan names for this action only.
    ``direct``: ``by`` acts alone, without approval ("预警按期解除，不再另行报批，由指挥部办公室直接
    发布解除指令", 001 §3.7.2). ``when`` restricts the procedure to lifting on the announced end
    (``on_schedule``) or before it (``early``).
    """

    kind: ProcedureKind
    clause: str
    text_zh: str
    when: ProcedureWhen = "always"
    by: tuple[Approver, ...] = ()
    reviewed_by: tuple[Approver, ...] = ()

    def __post_init__(self) -> None:
        check_clause(self.clause)
        if self.kind == "direct" and not self.by:
            raise ValueError("a direct procedure names who acts: by")
        if self.kind == "as_issue" and self.by:
            raise ValueError("an as_issue procedure takes its approvers from the level: no by")


@dataclass(frozen=True)
class Delegation:
    """``role`` may act for ``acts_for`` where the plan says so.

    "当指挥长不在时，受其委托行使指挥长职责" (000 §2.1); ``condition_zh`` is the plan's condition,
    shown with every delegated act.
    """

    role: Approver
    acts_for: Approver
    clause: str
    text_zh: str
    condition_zh: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)
        if self.role == self.acts_for:
            raise ValueError("a delegation names two different roles")


@dataclass(frozen=True)
class LeadExemption:
    """A warning driven this way starts at once, whatever the lead time: observations ("尽早启动",
    003 §3.3.1), a higher jurisdiction's warning ("及时发布预警信息", 003 §3.3.1), or the advisory
    notice, which the plan asks to release promptly ("应及时……发布提示信息", 003 §3.1)."""

    driver: LeadDriver
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Silence:
    """The plan says nothing on ``topic``; ``note_zh`` and ``note`` (English) say so and what the
    software does instead.

    ``procedure`` makes the note's choice for ``adjust`` and ``lift`` machine-readable:
    ``as_issue`` runs the issuing procedure of the level concerned; absent, nobody may act.
    """

    topic: SilentTopic
    note_zh: str
    note: str
    procedure: ProcedureKind | None = None

    def __post_init__(self) -> None:
        if not self.note.strip() or not self.note_zh.strip():
            raise ValueError(f"a silence on {self.topic} says what the software does: note")


@dataclass(frozen=True)
class PlanProcedure:
    """The ``workflow`` section of a plan file.

    ``advisory``: who publishes the advisory notice below the lowest level (003 §3.1).
    ``follows_parent_order``: the jurisdiction issues the level its parent orders and decides none
    of its own (Xigang on Dalian's order, 000 §3.2.1). ``drills``: the plan's exercise provision
    (000 §6.7, 001 §8.3, 003 §7).
    """

    proposer: Proposal | None = None
    adjust: tuple[Procedure, ...] = ()
    lift: tuple[Procedure, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    lead_exemptions: tuple[LeadExemption, ...] = ()
    advisory: Procedure | None = None
    follows_parent_order: Citation | None = None
    drills: Citation | None = None
    silences: tuple[Silence, ...] = ()

    def __post_init__(self) -> None:
        topics = [silence.topic for silence in self.silences]
        if len(set(topics)) != len(topics):
            raise ValueError("each silent topic is listed once")

    def silence(self, topic: SilentTopic) -> Silence | None:
        """The plan's silence on ``topic``, if the file records one."""
        return next((s for s in self.silences if s.topic == topic), None)
