"""Settings for the test suite: the environment-driven settings with a fixed key and a fast hasher.

``DATABASE_URL`` still chooses PostgreSQL, so the same tests run on both databases.
"""

from __future__ import annotations

import os

os.environ.setdefault("HAZEGUARD_SECRET_KEY", "test-suite-key-not-secret")

from hazeguard_platform.settings import *  # noqa: F403

# Hashing with PBKDF2 at full strength would dominate the run time of the role tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The role tests sign in with ``force_login`` and move the clock by days: the second factor and
# the idle timeout are off here and turned on by their own tests (tests/platform/accounts/).
TWO_FACTOR_REQUIRED = False
SESSION_IDLE_MINUTES_STAFF = SESSION_IDLE_MINUTES = 0
