"""``python -m hazeguard_platform <command>``: Django's manage.py for the platform."""

from __future__ import annotations

from hazeguard_platform.manage import main

main()
