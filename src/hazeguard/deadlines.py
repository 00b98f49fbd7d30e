"""Where a thing owed by a deadline stands: done on time, done late, overdue, or not yet due.

One answer for every deadline people see (notices to acknowledge, counties' responses, reports):
an item not done whose deadline has not come is "未到期" (not yet due), never late (issue 12 §2).
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, TypeAlias

from hazeguard.vocabulary import Language

DeadlineState: TypeAlias = Literal["on_time", "late", "overdue", "not_due"]

DEADLINE_NAMES: Final[dict[DeadlineState, tuple[str, str]]] = {
    "on_time": ("按时", "on time"),
    "late": ("超时完成", "done late"),
    "overdue": ("逾期", "overdue"),
    "not_due": ("未到期", "not yet due"),
}


def deadline_state(due: dt.datetime, done: dt.datetime | None, now: dt.datetime) -> DeadlineState:
    """The state of an item due at ``due`` and done at ``done`` (``None``: not done) at
    ``now`` [aware datetimes]."""
    if done is not None:
        return "on_time" if done <= due else "late"
    return "overdue" if due <= now else "not_due"


def deadline_name(state: DeadlineState, language: Language) -> str:
    """``未到期`` / ``not yet due`` and the other states' names."""
    zh, en = DEADLINE_NAMES[state]
    return zh if language == "zh" else en
