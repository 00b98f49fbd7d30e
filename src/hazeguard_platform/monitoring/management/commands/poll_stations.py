"""``manage.py poll_stations``: poll the configured endpoints for hourly station data, in a loop.

Each pass claims the endpoints whose ``next_poll_at`` has come (a conditional UPDATE, so several
of these processes may run) and ingests what each returns (docs/monitoring.md). SIGTERM or
SIGINT ends the loop after the poll in hand.
"""

from __future__ import annotations

from django.utils import timezone

from hazeguard_platform.loop_command import LoopCommand
from hazeguard_platform.monitoring.services import pull_due, pull_source_poll


class Command(LoopCommand):
    help = "Poll the configured endpoints for hourly station data."
    default_interval = 5.0
    request_id = "poll-stations"
    done_message = "polled {count} endpoints"

    def run_pass(self) -> int:
        polled = 0
        for source_id in pull_due(now=timezone.now()):
            delivery = pull_source_poll(source_id=source_id)
            polled += 1
            if delivery is not None:
                self.stdout.write(
                    f"source {source_id}: {delivery.stored} new, "
                    f"{delivery.corrected} corrected, {delivery.unchanged} unchanged"
                )
        return polled
