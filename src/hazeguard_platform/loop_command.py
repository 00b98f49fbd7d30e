"""A worker command that runs passes in a loop until SIGTERM or SIGINT (STYLE.md §9).

Subclasses give :meth:`LoopCommand.run_pass` (one idempotent pass, returns how many things it
did) and :attr:`default_interval`; ``--once`` runs a single pass. A signal ends the loop after the
pass in hand, so nothing is left half done.
"""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from hazeguard_platform.context import request_id_scope


class LoopCommand(BaseCommand):
    """Base of ``poll_stations`` and ``watch_processes``."""

    default_interval = 5.0  # pause between passes [s]
    request_id = "worker"
    done_message = "{count} done"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval",
            type=float,
            default=self.default_interval,
            help="pause between passes [s]",
        )

    def run_pass(self) -> int:
        """One pass; returns how many things it did."""
        raise NotImplementedError

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def handle(self, *args: Any, **options: Any) -> str:
        self.stopping = False
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        count = 0
        try:
            with request_id_scope(self.request_id):
                while not self.stopping:
                    count += self.run_pass()
                    if options["once"]:
                        break
                    deadline = time.monotonic() + options["interval"]
                    while not self.stopping and time.monotonic() < deadline:
                        time.sleep(0.1)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return self.done_message.format(count=count)
