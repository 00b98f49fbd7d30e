"""Request id, Content-Security-Policy, database-outage and full-disk middleware."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.errors import (
    DATABASE_ERRORS,
    DATABASE_FULL,
    DATABASE_OUTAGE,
    DATABASE_OUTAGE_TITLE,
    DATABASE_RETRY_AFTER,
    STORAGE_FULL,
    STORAGE_FULL_ERRNOS,
    STORAGE_FULL_TITLE,
    database_full,
)

logger = logging.getLogger(__name__)

# A proxy's id is kept only when short and plain, so it cannot smuggle text into the audit log.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (``X-Request-ID`` from a proxy, or a new one) for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        with request_id_scope(incoming if _SAFE_ID.match(incoming) else None) as request_id:
            request.request_id = request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def csp_header(policy: dict[str, list[str]]) -> str:
    """The header value of a policy given as ``{directive: [sources]}``."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Send ``settings.SECURE_CSP`` as the Content-Security-Policy header.

    Django 6.0 ships this middleware; on 5.2 this one reads the same setting, so moving to 6.x is
    a matter of swapping the middleware path.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = csp_header(settings.SECURE_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response


class ChineseFirstMiddleware:
    """Serve Chinese unless the person chose English with the language switch.

    The users are Chinese offices and the Chinese public; a browser set to English (many office
    machines are) must not turn the pages English on its own, so the ``Accept-Language`` header is
    ignored and only the switch's cookie (``/i18n/setlang/``) changes the language. Runs before
    Django's ``LocaleMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseOutageMiddleware:
    """Answer a page whose database went away mid-request (PostgreSQL restarted, failed over) with
    503 and a clear message in the page's language instead of a server error: the request's
    transaction was rolled back, so nothing was changed and it can be sent again. A database
    whose disk is full (``errors.database_full``) gets 507 and says so. The next request
    connects afresh (``CONN_HEALTH_CHECKS``); the API answers the same in JSON (``api.api``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        if database_full(exception):
            logger.error(
                "database disk full during %s %s: %s", request.method, request.path, exception
            )
            return _unavailable(str(STORAGE_FULL_TITLE), str(DATABASE_FULL), status=507)
        logger.warning(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        response = _unavailable(str(DATABASE_OUTAGE_TITLE), str(DATABASE_OUTAGE), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response


class StorageFullMiddleware:
    """Refuse an upload the server cannot write to disk (full, over quota or the file-size
    limit) with 507 and a clear message in the page's language, before any view runs: nothing is
    stored. Django spools an upload larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to
    ``FILE_UPLOAD_TEMP_DIR``; the form is read here, as the CSRF check would read it next, so
    the failure cannot surface as a server error. Runs after ``LocaleMiddleware``; views exempt
    from CSRF are left to read their body as they will."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        # Views exempt from CSRF (the SMS gateway's receipts) may read the raw body themselves.
        exempt = getattr(view, "csrf_exempt", False)
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not exempt
        ):
            try:
                request.POST  # noqa: B018 (reads the form and its files)
            except OSError as error:
                if error.errno not in STORAGE_FULL_ERRNOS:
                    raise
                # The partial copy: closing it deletes it, and frees its space at once.
                for handler in request.upload_handlers:
                    partial = getattr(handler, "file", None)
                    if partial is not None:
                        partial.close()
                logger.error(
                    "upload refused, disk full: %s %s: %s", request.method, request.path, error
                )
                return _unavailable(str(STORAGE_FULL_TITLE), str(STORAGE_FULL), status=507)
        return None


def _unavailable(title: str, message: str, *, status: int) -> HttpResponse:
    # A page of its own, with no database query (base.html's menu would need one).
    page = render_to_string("unavailable.html", {"title": title, "message": message})
    return HttpResponse(page, status=status)
