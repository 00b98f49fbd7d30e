"""``manage.py watch_processes``: open and close pollution processes below the warning level.

Each pass asks the core for every jurisdiction whose plan provides for a process (002 §五(二)1)
and opens or closes it with its tasks (``response.processes.processes_check``). Idempotent, so
several of these may run. SIGTERM or SIGINT ends the loop after the pass in hand.
"""

from __future__ import annotations

from hazeguard_platform.loop_command import LoopCommand
from hazeguard_platform.response.processes import processes_check


class Command(LoopCommand):
    help = "Open and close pollution processes below the warning level from observations."
    default_interval = 60.0
    request_id = "watch-processes"
    done_message = "{count} processes opened or closed"

    def run_pass(self) -> int:
        changed = processes_check()
        for process in changed:
            self.stdout.write(f"{process.jurisdiction.code}: process {process.state}")
        return len(changed)
