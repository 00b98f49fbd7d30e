"""``manage.py send_notices``: work the outbox and escalate overdue recipients, in a loop.

Model: healthchecks ``sendalerts``. Each pass sends the due deliveries (claimed row by row with a
conditional UPDATE, so several of these processes can run at once) and escalates overdue
recipients. SIGTERM or SIGINT ends the loop after the delivery in hand; a row claimed when the
process was killed outright is claimed again once its lease runs out. The database going away
(PostgreSQL restarted) does not end the loop: it connects again after ``--interval``.
"""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.errors import DATABASE_ERRORS
from hazeguard_platform.notices.services import notices_escalate, outbox_process

# One --once run stops after this many batches even if rows keep coming due (bounded loop).
MAX_BATCHES = 1000


class Command(BaseCommand):
    help = "Send queued notices (e-mail, webhook, SMS) and escalate overdue recipients."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="one pass over what is due, then exit"
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="pause between passes when idle [s]"
        )
        parser.add_argument("--limit", type=int, default=50, help="deliveries claimed per batch")
        parser.add_argument(
            "--max-passes", type=int, default=0, help="stop after this many passes (0: no limit)"
        )

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stdout.write(f"{signal.strsignal(signum)}: finishing the delivery in hand…")
        self.stopping = True

    def _pass(self, limit: int) -> tuple[int, int]:
        """One pass: every due batch, then escalation. Returns (deliveries tried, escalations)."""
        tried = 0
        for _ in range(MAX_BATCHES):
            run = outbox_process(now=timezone.now(), limit=limit)
            tried += run.claimed
            for label, ids in (("sent", run.sent), ("retry", run.retrying), ("FAILED", run.failed)):
                for delivery_id in ids:
                    self.stdout.write(f"delivery {delivery_id}: {label}")
            if run.claimed + run.lost < limit or self.stopping:
                break
        escalated = len(notices_escalate(now=timezone.now()))
        # The public's subscribers' mailings (subscriptions app): also those a stopped task left.
        from hazeguard_platform.subscriptions.sending import mailings_send

        mailed = mailings_send(now=timezone.now(), limit=limit)
        for label, ids in (("sent", mailed.sent), ("retry", mailed.retrying)):
            for mailing_id in ids:
                self.stdout.write(f"subscriber mailing {mailing_id}: {label}")
        return tried, escalated

    def handle(self, *args: Any, **options: Any) -> str:
        self.stopping = False
        previous = {
            signum: signal.signal(signum, self._stop) for signum in (signal.SIGTERM, signal.SIGINT)
        }
        tried_total = escalated_total = passes = 0
        try:
            with request_id_scope("send-notices"):
                while not self.stopping:
                    try:
                        tried, escalated = self._pass(options["limit"])
                    except DATABASE_ERRORS as error:
                        if options["once"]:
                            raise
                        # PostgreSQL restarted or unreachable: what was claimed stays leased
                        # and is claimed again; connect afresh after the pause.
                        self.stderr.write(f"database unavailable, retrying: {error}")
                        connection.close()
                        self._sleep(options["interval"])
                        continue
                    tried_total += tried
                    escalated_total += escalated
                    passes += 1
                    if options["once"] or passes == options["max_passes"]:
                        break
                    if not tried:
                        self._sleep(options["interval"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return f"tried {tried_total} deliveries, escalated {escalated_total} notices"

    def _sleep(self, seconds: float) -> None:
        # Short naps, so a SIGTERM during the pause ends the loop at once.
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, seconds))
