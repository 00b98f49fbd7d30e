"""Roles per jurisdiction and the record of failed sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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
