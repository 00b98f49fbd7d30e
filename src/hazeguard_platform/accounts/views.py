"""Sign-in pages: the lock-aware sign-in, the second factor, its set-up, sign-out everywhere,
password change. Chinese first (accounts/locale), English by the language switch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hazeguard_platform.accounts import two_factor
from hazeguard_platform.accounts.forms import LockAwareAuthenticationForm
from hazeguard_platform.accounts.models import SmsDevice
from hazeguard_platform.accounts.permissions import SignedInRequest
from hazeguard_platform.accounts.sessions import (
    POLICY_KEY,
    VERIFIED_KEY,
    session_verified,
    sign_out_everywhere,
)
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError


class SignInView(auth_views.LoginView):
    form_class = LockAwareAuthenticationForm
    template_name = "accounts/sign_in.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        idle = self.request.GET.get("idle", "")
        context["idle_minutes"] = int(idle) if idle.isdigit() and len(idle) < 5 else None
        return context


def _next(request: HttpRequest, default: str = "/staff/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _verified(request: HttpRequest) -> bool:
    return bool(request.session.get(VERIFIED_KEY))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify(request: SignedInRequest) -> HttpResponse:
    """The second step of sign-in: a code from the app, by text message, or a recovery code."""
    devices = two_factor.confirmed_devices(request.user)
    if not devices:
        needed = (request.session.get(POLICY_KEY) or {}).get("two_factor")
        return redirect("accounts:two_factor" if needed else _next(request))
    context: dict[str, Any] = {
        "next": _next(request),
        "has_totp": any(isinstance(d, TOTPDevice) for d in devices),
        "sms": next((d for d in devices if isinstance(d, SmsDevice)), None),
        "has_recovery": any(isinstance(d, StaticDevice) for d in devices),
    }
    status = 200
    if request.method == "POST" and "send_sms" in request.POST and context["sms"]:
        try:
            context["sms"].generate_challenge()
            context["sent"] = True
        except InvalidInputError as error:
            context["error"], status = str(error), 400
    elif request.method == "POST":
        device = two_factor.code_check(user=request.user, code=request.POST.get("code", ""))
        if device is not None:
            session_verified(request=request, device_id=device.persistent_id)
            return HttpResponseRedirect(context["next"])
        context["error"], status = _("That code is not right, or was used already."), 400
    return render(request, "accounts/verify.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Set up (or change) the second factor: an authenticator app, a phone, recovery codes."""
    devices = two_factor.confirmed_devices(request.user)
    if devices and not _verified(request):
        # Adding a device needs the factor already held: a password alone adds none.
        return redirect(f"{reverse('accounts:verify')}?next={reverse('accounts:two_factor')}")
    context: dict[str, Any] = {}
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    try:
        if action == "totp":
            device = two_factor.totp_start(user=request.user)
            context.update(totp=device, qr=two_factor.totp_qr_svg(device))
            context["secret"] = two_factor.totp_secret(device)
        elif action == "sms":
            context["pending_sms"] = two_factor.sms_start(
                user=request.user, phone=request.POST.get("phone", "")
            )
        elif action in ("confirm_totp", "confirm_sms"):
            model = TOTPDevice if action == "confirm_totp" else SmsDevice
            pending = model.objects.filter(user=request.user, confirmed=False).first()
            if pending is None:
                raise InvalidInputError(_("Start the set-up again."))
            two_factor.device_confirm(
                user=request.user, device=pending, code=request.POST.get("code", "")
            )
            session_verified(request=request, device_id=pending.persistent_id)
            messages.success(request, _("Second factor added."))
            if not StaticDevice.objects.filter(user=request.user).exists():
                context["codes"] = two_factor.recovery_codes_issue(user=request.user)
        elif action == "codes":
            context["codes"] = two_factor.recovery_codes_issue(user=request.user)
        elif action == "remove":
            for held in devices:
                if held.persistent_id == request.POST.get("device"):
                    two_factor.device_remove(user=request.user, device=held)
            return redirect("accounts:two_factor")
    except InvalidInputError as error:
        context["error"], status = str(error), 400
    context["devices"] = two_factor.confirmed_devices(request.user)
    context["required"] = (request.session.get(POLICY_KEY) or {}).get("two_factor")
    return render(request, "accounts/two_factor.html", context, status=status)


@require_POST
@login_required
def sign_out_all(request: SignedInRequest) -> HttpResponse:
    """End every session of the person, this one included."""
    sign_out_everywhere(user=request.user)
    return redirect("login")


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change (the configured validators apply), audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:two_factor")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        person = self.request.user
        assert isinstance(person, User)  # the view is behind login_required
        audit_record(actor=person, action="password.change", obj=person)
        messages.success(self.request, _("Password changed."))
        return response
