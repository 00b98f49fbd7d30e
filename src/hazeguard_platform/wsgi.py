"""The WSGI entry for a production server (``gunicorn hazeguard_platform.wsgi``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazeguard_platform.settings")
application = get_wsgi_application()
