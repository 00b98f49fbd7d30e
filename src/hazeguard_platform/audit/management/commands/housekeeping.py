"""``manage.py housekeeping``: the scheduled backup with rotation, the audit log's seal and its
retention archive, queueing the model's daily forecast before the consultation, in a loop
(``hazeguard serve`` starts one).

Each pass backs up when the newest backup in ``BACKUP_DIR`` is older than ``BACKUP_HOURS`` (so a
restart does not back up again), keeps the newest ``BACKUP_KEEP``, seals audit records a killed
writer left unsealed and archives days past the retention period; from before the consultation
time it queues each jurisdiction's model forecast of the day for the task worker
(:mod:`hazeguard_platform.forecasts.model_runs`), once a day. SIGTERM ends the loop between
passes. Run one per installation (any machine that shares the database and the data folder).
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from hazeguard_platform.audit.archive import ArchiveError, audit_archive
from hazeguard_platform.audit.chain import audit_seal
from hazeguard_platform.backup import (
    BackupError,
    backup_create,
    backup_due,
    backup_name,
    backups_rotate,
)
from hazeguard_platform.context import request_id_scope
from hazeguard_platform.forecasts.model_runs import model_forecast_runs_queue_due


class Command(BaseCommand):
    help = "Scheduled backup with rotation, audit seal and retention archive, in a loop."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval", type=float, default=300.0, help="pause between passes [s]"
        )
        parser.add_argument(
            "--delay",
            type=float,
            default=60.0,
            help="wait before the first pass [s], so a backup does not compete with the start",
        )

    def _pass(self) -> None:
        now = timezone.now()
        folder = Path(settings.BACKUP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        if backup_due(folder, every=timedelta(hours=settings.BACKUP_HOURS), now=now):
            path = folder / backup_name(now)
            try:
                backup_create(path)
                self.stdout.write(f"backup written: {path}")
            except BackupError as error:
                self.stderr.write(f"backup FAILED: {error}")
            for removed in backups_rotate(folder, keep=settings.BACKUP_KEEP):
                self.stdout.write(f"old backup removed: {removed.name}")
        sealed = audit_seal()
        if sealed:
            self.stdout.write(f"audit records sealed: {sealed}")
        try:
            archive = audit_archive()
        except ArchiveError as error:
            self.stderr.write(f"audit archive FAILED: {error}")
        else:
            if archive is not None:
                self.stdout.write(f"audit records archived: {archive.count} -> {archive.file_name}")
        for run in model_forecast_runs_queue_due(now):
            self.stdout.write(f"model forecast queued: {run.jurisdiction.code} {run.day}")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def on_term(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = signal.signal(signal.SIGTERM, on_term)
        try:
            with request_id_scope("housekeeping"):
                if not options["once"] and stop.wait(options["delay"]):
                    return
                while True:
                    self._pass()
                    if options["once"] or stop.wait(options["interval"]):
                        break
        finally:
            signal.signal(signal.SIGTERM, previous)
