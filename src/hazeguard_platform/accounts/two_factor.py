"""Two-factor sign-in with django-otp: who needs it, setting up a TOTP app, an SMS phone or
recovery codes, and checking a code. Every change is audited (STYLE.md §7)."""

from __future__ import annotations

import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hazeguard_platform.accounts.models import TWO_FACTOR_ROLES, Membership, SmsDevice
from hazeguard_platform.audit.models import Outcome
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError

# How many recovery codes a set holds; each works once.
RECOVERY_CODES = 10


def two_factor_required(user: User) -> bool:
    """Whether ``user`` must give a second factor: they hold a command or administrator role
    (when the setting is on), or they turned it on themselves (a confirmed device)."""
    privileged = Membership.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()
    if (privileged or getattr(user, "is_superuser", False)) and settings.TWO_FACTOR_REQUIRED:
        return True
    return any(True for device in devices_for_user(user, confirmed=True))


def confirmed_devices(user: User) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def sms_code_send(*, phone: str, code: str) -> None:
    """Send a sign-in code through the configured SMS gateway (the notices' one); an error the
    person can read when none is configured or it fails."""
    from hazeguard_platform.notices import conf
    from hazeguard_platform.notices.transports import TransportError, sms_post

    gateway = conf.sms_gateway()
    if gateway is None:
        raise InvalidInputError(_("No SMS gateway is configured; use an authenticator app."))
    text = _("HazeGuard sign-in code: %(code)s (valid for 5 minutes).") % {"code": code}
    try:
        sms_post(gateway, phone=phone, text=text, reference="hg-sign-in")
    except TransportError as error:
        raise InvalidInputError(
            _("The code could not be sent: %(error)s") % {"error": error}
        ) from None


def totp_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device (an earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    # django-otp's manager is untyped: name the type of what it creates.
    device: TOTPDevice = TOTPDevice.objects.create(
        user=user, name="authenticator app", confirmed=False
    )
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as a QR code (inline SVG, no outside request)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4))


def device_confirm(*, user: User, device: TOTPDevice | SmsDevice, code: str) -> None:
    """Confirm a new device with a code it produced; the code proves the person has it."""
    if device.user_id != user.pk or device.confirmed:
        raise InvalidInputError(_("Start the set-up again."), field="code")
    if not device.verify_token(code.strip()):
        raise InvalidInputError(_("That code is not right; try the newest one."), field="code")
    with transaction.atomic():
        device.confirmed = True
        device.save()
        audit_record(
            actor=user, action="two_factor.add", obj=device, after={"kind": type(device).__name__}
        )


def sms_start(*, user: User, phone: str) -> SmsDevice:
    """A new, unconfirmed SMS device for ``phone``; its first code is sent."""
    phone = phone.strip()
    digits = phone.removeprefix("+")
    if not (digits.isdigit() and 7 <= len(digits) <= 15):
        raise InvalidInputError(_("Enter a phone number of 7 to 15 digits."), field="phone")
    SmsDevice.objects.filter(user=user, confirmed=False).delete()
    device: SmsDevice = SmsDevice.objects.create(
        user=user, name="text message", phone=phone, confirmed=False
    )
    device.generate_challenge()
    return device


def recovery_codes_issue(*, user: User) -> list[str]:
    """A new set of recovery codes (the old set stops working); shown once."""
    codes = [secrets.token_hex(5) for number in range(RECOVERY_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        audit_record(actor=user, action="two_factor.recovery_codes", obj=device)
    return codes


def device_remove(*, user: User, device: Device) -> None:
    """Remove one of the person's own devices (they stay signed in with the factor used)."""
    if device.user_id != user.pk:
        raise InvalidInputError(_("Not your device."))
    with transaction.atomic():
        audit_record(
            actor=user,
            action="two_factor.remove",
            obj=device,
            before={"kind": type(device).__name__},
        )
        device.delete()


def code_check(*, user: User, code: str) -> Device | None:
    """The confirmed device that accepts ``code`` (TOTP, the last SMS code or a recovery code),
    or ``None``; a failure is audited."""
    code = code.strip().replace(" ", "")
    for device in confirmed_devices(user):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    audit_record(
        actor=user,
        action="login.second_factor_failed",
        obj=user,
        outcome=Outcome.DENIED,
    )
    return None
