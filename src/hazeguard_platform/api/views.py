"""The staff page of API tokens: a person creates (shown once) and revokes their own tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hazeguard_platform.accounts.permissions import SignedInRequest, jurisdictions_of
from hazeguard_platform.api.models import ApiToken
from hazeguard_platform.api.services import api_token_issue, api_token_revoke
from hazeguard_platform.errors import InvalidInputError, ServiceError
from hazeguard_platform.pages import status_of


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """The person's API tokens: create one (shown once) or revoke one. An enterprise contact
    works on the portal only and holds no token (the API acts in jurisdictions)."""
    if not jurisdictions_of(request.user).exists():
        raise PermissionDenied(_("API tokens are for staff of a jurisdiction."))
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        token = ApiToken.objects.filter(
            pk=_int_or_none(request.POST["revoke"]) or 0, user=request.user
        ).first()
        if token is not None:
            api_token_revoke(actor=request.user, token=token)
        return redirect("api_pages:tokens")
    if request.method == "POST":
        try:
            place = (
                jurisdictions_of(request.user)
                .filter(pk=_int_or_none(request.POST.get("jurisdiction", "")) or 0)
                .first()
            )
            if place is None:
                raise InvalidInputError(_("Choose the jurisdiction the token may act in."))
            _row, context["new_token"] = api_token_issue(
                actor=request.user,
                user=request.user,
                name=request.POST.get("name", ""),
                jurisdiction=place,
                scope=request.POST.get("scope", "read"),
                days=_int_or_none(request.POST.get("days", "")) or 0,
            )
        except ServiceError as error:
            context["service_error"] = error
            status = status_of(error)
    context["tokens"] = ApiToken.objects.filter(
        user=request.user, revoked_at__isnull=True
    ).select_related("jurisdiction")
    context["places"] = jurisdictions_of(request.user).order_by("code")
    return render(request, "api/tokens.html", context, status=status)


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None
