"""Roles per jurisdiction and the record of failed sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_otp.models import SideChannelDevice, ThrottlingMixin

from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit


class Role(models.TextChoices):
    """What a person may do in one jurisdiction (GLOSSARY.md: command office, approvers, ...)."""

    COMMAND_OFFICE_STAFF = "command_office_staff", "指挥部办公室工作人员 command office staff"
    OFFICE_DIRECTOR = "office_director", "办公室主任 office director"
    DEPUTY_COMMANDER = "deputy_commander", "副指挥长 deputy commander"
    COMMANDER = "commander", "指挥长 commander"
    COUNTY_OFFICER = "county_officer", "县（市、区）联络员 county officer"
    MEMBER_UNIT_STAFF = "member_unit_staff", "成员单位工作人员 member unit staff"
    ENTERPRISE_CONTACT = "enterprise_contact", "企业联系人 enterprise contact"
    ADMINISTRATOR = "administrator", "系统管理员 administrator"


# The roles of the command (指挥部) that run the warning workflow of their jurisdiction.
COMMAND_ROLES = frozenset(
    {Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR, Role.DEPUTY_COMMANDER, Role.COMMANDER}
)


class Membership(models.Model):
    """One role of one person in one jurisdiction (member unit staff also name their unit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    member_unit = models.ForeignKey(
        MemberUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        ordering = ["jurisdiction", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jurisdiction", "role"], name="membership_one_role_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.jurisdiction}"


class LoginThrottle(models.Model):
    """Failed sign-ins for one user name from one address, and the lock they led to."""

    username = models.CharField(max_length=150)
    # "" when the address is unknown (a NULL would make the unique key useless).
    address = models.CharField(max_length=45, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="login_throttle_key")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.address}: {self.failures}"


# The roles whose sign-in needs a second factor (GB/T 22239-2019 8.1.4.1 d: two or more
# authentication techniques for the people who run the system): the command office, the
# approvers and the administrators. Others may turn it on for themselves.
TWO_FACTOR_ROLES = frozenset(COMMAND_ROLES | {Role.ADMINISTRATOR})


class SmsDevice(ThrottlingMixin, SideChannelDevice):
    """django-otp's side-channel device for a code sent by text message through the platform's
    SMS gateway (the one notices use); wrong codes slow down like the TOTP device's."""

    phone = models.CharField(max_length=32)

    def get_throttle_factor(self) -> int:
        return 1

    def generate_challenge(self) -> str:
        from hazeguard_platform.accounts.two_factor import sms_code_send

        self.generate_token(valid_secs=300)
        sms_code_send(phone=self.phone, code=str(self.token))
        return "sent"

    def verify_token(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        if super().verify_token(token):
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class SignedInSession(models.Model):
    """A session someone signed in with, so "sign out everywhere" can end all of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    address = models.CharField(max_length=45, blank=True)

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
