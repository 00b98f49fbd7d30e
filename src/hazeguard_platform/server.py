"""The production web server: gunicorn with several worker processes of the ``gthread`` kind.

``hazeguard serve --workers N`` uses it (the demo keeps Django's development server), and so does
the load benchmark (benchmarks/load_platform.py). One Python process serves one request at a
time per core at best (its interpreter lock), so throughput needs processes: gunicorn's docs
suggest 2–4 workers per core. Each worker runs ``threads`` threads, each with its own database
connection, so workers × threads must stay under PostgreSQL's ``max_connections`` (100 by
default) minus the task workers' connections.

The site's one stylesheet is served by Django's static-files handler, as ``runserver`` does; a
reverse proxy in front may serve ``STATIC_ROOT`` itself (``manage.py collectstatic``).
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

# [s] a request still running after this is killed with its worker; the list import, the only
# long job, runs on the task worker.
TIMEOUT = 60


class PlatformServer(BaseApplication):
    """gunicorn's documented "custom application": the platform's WSGI app with set options."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.wsgi import get_wsgi_application

        return StaticFilesHandler(get_wsgi_application())


def serve_production(*, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the platform on ``host:port`` until SIGTERM or SIGINT (then gunicorn exits the
    process). Django must be configured (``DJANGO_SETTINGS_MODULE``) before the call."""
    from django.db import connections

    # The workers are forked from this process: a connection opened here (migrations) must not
    # be shared by them.
    connections.close_all()
    PlatformServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": TIMEOUT,
            "backlog": 2048,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "hazeguard",
        }
    ).run()
