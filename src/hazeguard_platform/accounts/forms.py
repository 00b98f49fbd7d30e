"""The sign-in form that says when an account is locked and until when."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.services import client_address, login_locked_until
from hazeguard_platform.core import CHINA


class LockAwareAuthenticationForm(AuthenticationForm):
    """Django's sign-in form; a locked user name + address gets "locked until HH:MM" instead of
    the generic "wrong user name or password" (even with the right password)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        try:
            return super().clean()
        except forms.ValidationError:
            until = login_locked_until(username=username, address=client_address(self.request))
            if until is None:
                raise
            local = timezone.localtime(until, CHINA)
            raise forms.ValidationError(
                _(
                    "This account is locked after too many failed sign-ins, until %(time)s "
                    "(China time). Try again then, or ask an administrator."
                )
                % {"time": f"{local:%Y-%m-%d %H:%M}"},
                code="locked",
            ) from None


class CodeForm(forms.Form):
    code = forms.CharField(max_length=32, strip=True)
