"""Request id and Content-Security-Policy middleware."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hazeguard_platform.context import request_id_scope

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
