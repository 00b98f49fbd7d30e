"""``manage.py work_reports [--once] [--interval 60]``: the report deadline worker.

Each round creates the day's report rows, sends the reminders due and marks the reports past
their deadline overdue; then does the same for the summary reports of ended responses
(docs/unit-summaries.md). Every step claims its rows by a conditional UPDATE, so rounds may overlap
with the queued tasks or another worker; SIGTERM ends the loop after the current round.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hazeguard_platform.operations.services import (
    reports_mark_overdue,
    reports_remind,
    reports_schedule,
)
from hazeguard_platform.operations.summary_deadlines import (
    summaries_mark_overdue,
    summaries_remind,
    summaries_schedule,
)


class Command(BaseCommand):
    help = "Create daily and summary report rows, send reminders, mark overdue ones (a loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def on_term(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = signal.signal(signal.SIGTERM, on_term)
        try:
            while True:
                now = timezone.now()
                created = reports_schedule(now=now)
                reminded = reports_remind(now=now)
                overdue = reports_mark_overdue(now=now)
                summaries = (
                    summaries_schedule(now=now),
                    summaries_remind(now=now),
                    summaries_mark_overdue(now=now),
                )
                self.stdout.write(
                    f"{now:%Y-%m-%d %H:%M:%S} reports created {len(created)}, "
                    f"reminded {len(reminded)}, marked overdue {len(overdue)}; "
                    "summary reports created {}, reminded {}, marked overdue {}".format(
                        *(len(done) for done in summaries)
                    )
                )
                if options["once"] or stop.wait(options["interval"]):
                    break
        finally:
            signal.signal(signal.SIGTERM, previous)
