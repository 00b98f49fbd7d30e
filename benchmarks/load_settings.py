"""Settings of the platform load benchmark: the production settings with a fast password hasher.

Signing 200 people in is set-up, not what ``load_platform.py`` measures; PBKDF2 at full
strength (1,000,000 iterations) would take minutes of the shared machine for it. Everything
else — the second factor the office must give at sign-in (``load_people`` sets up their
authenticator app, ``load_http.sign_in`` types its code), middleware, sessions, CSRF,
templates, the database through ``DATABASE_URL`` — is the production configuration.
"""

from __future__ import annotations

from hazeguard_platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
