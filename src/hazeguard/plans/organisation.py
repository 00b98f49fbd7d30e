"""The organisation a plan sets up: member units, deadlines, department plans, provisions.

Like :mod:`hazeguard.plans.parts`, every part that states a rule carries ``clause`` and ``text_zh``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from hazeguard.plans.parts import LevelName, check_clause
from hazeguard.workdays import add_working_days

DeadlineKind = Literal[
    "notify_units",
    "public_notice",
    "daily_report",
    "summary",
]
DeadlineEvent = Literal["warning_issued", "warning_received", "response_day", "response_ended"]
ReportPeriod = Literal["same_day", "previous_day"]
TaskPhase = Literal["preparation", "response", "summary", "support"]
ProvisionTopic = Literal[
    "preparation",
    "forecasting",
    "procedure",
    "enterprise_control",
    "essential_enterprises",
    "small_micro_enterprises",
    "key_projects",
    "source_control",
    "regional_linkage",
    "publicity",
    "organisation",
    "reporting",
    "supervision",
    "accountability",
    "evaluation",
    "drills",
    "support",
    "plan_management",
]

CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")  # 24:00 = the end of the day


@dataclass(frozen=True)
class MemberUnit:
    """A member unit (成员单位) and its duties (``text_zh``)."""

    code: str
    name_zh: str
    name_en: str
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Deadline:
    """A notice, report or summary due after an event.

    Exactly one of: ``within`` (a duration after the event), ``at`` (a clock time ``HH:MM``,
    ``days_after`` days after the event's day), ``working_days`` (working days after the event).
    ``covers`` says which day a daily report is about.
    """

    kind: DeadlineKind
    after: DeadlineEvent
    reporter_zh: str
    recipient_zh: str
    clause: str
    text_zh: str
    within: dt.timedelta | None = None
    at: str | None = None
    days_after: int = 0
    working_days: int | None = None
    covers: ReportPeriod | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)
        given = [self.within is not None, self.at is not None, self.working_days is not None]
        if sum(given) != 1:
            raise ValueError("a deadline has exactly one of 'within', 'at', 'working_days'")
        if self.at is not None and not CLOCK.fullmatch(self.at):
            raise ValueError(f"'at' is a clock time HH:MM, got {self.at!r}")

    def due(self, event: dt.datetime) -> dt.datetime:
        """When the notice or report is due, for an event at ``event`` (local time).

        Working days follow the Chinese calendar (:mod:`hazeguard.workdays`: public holidays and
        adjusted working days); the clock time of the event is kept. An event in a year without a
        holiday notice raises :class:`hazeguard.workdays.UnknownYearError`.
        """
        if self.within is not None:
            return event + self.within
        if self.at is not None:
            hour, minute = (int(part) for part in self.at.split(":"))
            midnight = dt.datetime.combine(event.date(), dt.time(), event.tzinfo)
            return midnight + dt.timedelta(days=self.days_after, hours=hour, minutes=minute)
        assert self.working_days is not None
        due_day = add_working_days(event.date(), self.working_days)
        return dt.datetime.combine(due_day, event.timetz())

    def describe(self) -> str:
        """A short English reading, e.g. ``17:00 the same day``."""
        if self.within is not None:
            return f"within {self.within.total_seconds() / 3600:g} h"
        if self.working_days is not None:
            return f"within {self.working_days} working days"
        day = {0: "the same day", 1: "the next day"}.get(self.days_after, f"+{self.days_after} d")
        return f"{self.at} {day}"


@dataclass(frozen=True)
class Provision:
    """A rule of the plan that the software does not act on by itself but must show and keep:
    how enterprises are managed, who supervises, drills, filing. ``title_zh`` is the section's
    heading."""

    topic: ProvisionTopic
    title_zh: str
    clause: str
    text_zh: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Task:
    """A task of a department plan, with lead, responsible and supporting units (Chinese)."""

    phase: TaskPhase
    name_zh: str
    clause: str
    text_zh: str
    lead_zh: tuple[str, ...] = ()
    responsible_zh: tuple[str, ...] = ()
    support_zh: tuple[str, ...] = ()
    level: LevelName | None = None

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class Assignment:
    """A department section that supervises one county (seed 004 annex 1)."""

    county: str
    unit_zh: str
    clause: str

    def __post_init__(self) -> None:
        check_clause(self.clause)


@dataclass(frozen=True)
class DepartmentPlan:
    """A member unit's implementation plan (专项实施方案) under the jurisdiction's plan."""

    id: str
    unit: str
    title_zh: str
    source: str
    clause: str
    text_zh: str
    issued: dt.date | None = None
    tasks: tuple[Task, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    provisions: tuple[Provision, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)
