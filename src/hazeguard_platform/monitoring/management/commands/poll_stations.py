"""``manage.py poll_stations``: poll the configured endpoints for hourly station data, in a loop.

Each pass claims the endpoints whose ``next_poll_at`` has come (a conditional UPDATE, so several
of these processes may run) and ingests what each returns (docs/monitoring.md). SIGTERM or
SIGINT ends the loop after the poll in hand.
"""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.monitoring.services import pull_due, pull_source_poll


class Command(BaseCommand):
    help = "Poll the configured endpoints for hourly station data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="pause between passes [s]")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def handle(self, *args: Any, **options: Any) -> str:
        self.stopping = False
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        polled = 0
        try:
            with request_id_scope("poll-stations"):
                while not self.stopping:
                    for source_id in pull_due(now=timezone.now()):
                        delivery = pull_source_poll(source_id=source_id)
                        polled += 1
                        if delivery is not None:
                            self.stdout.write(
                                f"source {source_id}: {delivery.stored} new, "
                                f"{delivery.corrected} corrected, {delivery.unchanged} unchanged"
                            )
                    if options["once"]:
                        break
                    deadline = time.monotonic() + options["interval"]
                    while not self.stopping and time.monotonic() < deadline:
                        time.sleep(0.1)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return f"polled {polled} endpoints"
