#!/usr/bin/env python
"""Django's manage.py for the platform: ``uv run python manage.py db_worker``."""

from hazeguard_platform.manage import main

if __name__ == "__main__":
    main()
