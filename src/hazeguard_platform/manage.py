"""Django's management commands for the platform (``migrate``, ``db_worker``, ...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run one management command; ``argv`` defaults to the process's arguments."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazeguard_platform.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)
