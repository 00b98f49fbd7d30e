"""Settings of the platform load benchmark: the production settings with a fast password hasher
and no second factor.

Signing 200 people in is set-up, not what ``load_platform.py`` measures; PBKDF2 at full
strength (1,000,000 iterations) would take minutes of the shared machine for it. The second
factor is asked once at sign-in; afterwards the same middleware reads the same session key on
every request, so leaving it out changes nothing measured (with it, the simulated office staff,
who sign in with a password only, were sent to the verification page: HTTP 302). Everything
else — middleware, sessions, CSRF, templates, the database through ``DATABASE_URL`` — is the
production configuration.
"""

from __future__ import annotations

from hazeguard_platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TWO_FACTOR_REQUIRED = False
