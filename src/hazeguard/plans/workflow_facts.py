"""The answers :class:`hazeguard.plans.workflow.Workflow` gives about time and provisions:
lead time (and how a release stands against it), merging, yes/no provisions; each with its clause,
or the plan file's note where the plan is silent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

from hazeguard.plans.procedure import CycleDeadline, LeadExemption

LeadStatus = Literal["usual", "minimum", "late", "exempt", "silent"]
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True, kw_only=True)
class Answer:
    """Where an answer comes from: its ``clause`` and ``text_zh``; or, with ``silent``, the plan
    file's note on the plan's silence (``note_zh`` shown first, ``note`` in English)."""

    clause: str = ""
    text_zh: str = ""
    silent: bool = False
    note: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class LeadJudgement:
    """How a release stands against the plan's lead time.

    ``late`` releases are allowed (the measures are not postponed) but recorded as late, with the
    reason the person gives (``needs_reason``). [h]
    """

    status: LeadStatus
    ahead_hours: float
    clause: str
    note: str = ""
    note_zh: str = ""

    @property
    def late(self) -> bool:
        """Released later than the plan asks."""
        return self.status == "late"

    @property
    def needs_reason(self) -> bool:
        """The release must record why it is late."""
        return self.late


@dataclass(frozen=True)
class LeadTimeFacts(Answer):
    """The plan's lead time. [h]

    ``usual_hours``: "原则上应提前24小时以上发布"; ``minimum_hours``: "特殊情况下至少提前12小时"
    (001 §3.5); None where the plan states none (a plan with only a usual lead time has no
    separate minimum: 003 §3.3.1). ``exemptions``: drivers that start at once.
    """

    usual_hours: float | None
    minimum_hours: float | None
    exemptions: tuple[LeadExemption, ...] = ()

    def exemption(self, driver: str) -> LeadExemption | None:
        """The plan's exemption for ``driver`` (``observed``, ``regional_floor``; the engine's
        ``regional floor`` reads the same), if any."""
        wanted = driver.replace(" ", "_")
        return next((e for e in self.exemptions if e.driver == wanted), None)

    def judge(self, ahead_hours: float, driver: str = "forecast") -> LeadJudgement:
        """Judge a release made ``ahead_hours`` before the pollution starts. [h]

        A warning driven by observations or a higher jurisdiction is exempt where the plan says
        so; a plan without a lead time judges nothing (``silent``); otherwise ``usual`` (≥ the
        usual lead time), ``minimum`` (≥ the minimum only) or ``late``.
        """
        if self.silent:
            return LeadJudgement("silent", ahead_hours, "", self.note, self.note_zh)
        exempt = self.exemption(driver)
        if exempt is not None:
            return LeadJudgement("exempt", ahead_hours, exempt.clause)
        assert self.usual_hours is not None  # a stated lead time has a usual value
        if ahead_hours >= self.usual_hours:
            return LeadJudgement("usual", ahead_hours, self.clause)
        if self.minimum_hours is not None and ahead_hours >= self.minimum_hours:
            return LeadJudgement("minimum", ahead_hours, self.clause)
        return LeadJudgement("late", ahead_hours, self.clause)


@dataclass(frozen=True)
class MergeFacts(Answer):
    """Two polluted periods closer than ``gap`` are one episode, at its highest level.

    None with ``silent``: the plan has no merge rule and episodes are not merged (the note in the
    plan file says so).
    """

    gap: dt.timedelta | None

    @property
    def gap_hours(self) -> float | None:
        """The gap in hours, None when episodes are not merged. [h]"""
        return None if self.gap is None else self.gap / HOUR


@dataclass(frozen=True)
class Fact(Answer):
    """A yes/no fact with its clause (drills, acting on a parent's order)."""

    applies: bool


#: A planning-cycle deadline's state in a year: ``upcoming``, ``due`` (within
#: :data:`DUE_SOON_DAYS` of its day), ``overdue``, ``done`` (by its day), ``done_late``, or
#: ``unrecorded`` (its day passed and the caller holds no record of such work).
CycleState = Literal["upcoming", "due", "overdue", "done", "done_late", "unrecorded"]
DUE_SOON_DAYS: Final = 30  # [d]


@dataclass(frozen=True)
class CycleFacts(Answer):
    """The planning cycle's yearly deadlines (list update, plan revision, yearly evaluation)
    the plan states, each with its clause; none, with ``silent`` and the file's note."""

    deadlines: tuple[CycleDeadline, ...] = ()


def cycle_state(
    due: dt.date, today: dt.date, done_on: dt.date | None, *, recorded: bool = True
) -> CycleState:
    """The state of a deadline due on ``due`` (that day included), seen on ``today``.

    ``done_on`` is the day the work was recorded (``None``: no record); ``recorded`` ``False``
    means the caller keeps no record of such work, so a passed day is ``unrecorded``, not
    ``overdue``.
    """
    if done_on is not None:
        return "done" if done_on <= due else "done_late"
    if today > due:
        return "overdue" if recorded else "unrecorded"
    return "due" if (due - today).days <= DUE_SOON_DAYS else "upcoming"
