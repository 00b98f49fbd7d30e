"""Where a thing owed by a deadline stands (issue 12 §2: not yet due is never late)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hazeguard.deadlines import deadline_name, deadline_state
from hazeguard.vocabulary import CHINA

DUE = datetime(2026, 1, 5, 11, 0, tzinfo=CHINA)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("done", "now", "state", "zh", "en"),
    [
        (DUE - HOUR, DUE + HOUR, "on_time", "按时", "on time"),
        (DUE, DUE + HOUR, "on_time", "按时", "on time"),  # exactly on the deadline
        (DUE + HOUR, DUE + 2 * HOUR, "late", "超时完成", "done late"),
        (None, DUE, "overdue", "逾期", "overdue"),
        (None, DUE - HOUR, "not_due", "未到期", "not yet due"),
    ],
)
def test_an_item_not_done_before_its_deadline_is_not_yet_due_never_late(
    done: datetime | None, now: datetime, state: str, zh: str, en: str
) -> None:
    found = deadline_state(DUE, done, now)
    assert found == state
    assert (deadline_name(found, "zh"), deadline_name(found, "en")) == (zh, en)
