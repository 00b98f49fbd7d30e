from __future__ import annotations

from django.contrib import admin

from hazeguard_platform.accounts.models import LoginThrottle, Membership
from hazeguard_platform.readonly_admin import ReadOnlyAdmin


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "jurisdiction", "member_unit")
    list_filter = ("role", "jurisdiction")


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ReadOnlyAdmin):
    list_display = ("username", "address", "failures", "last_failure_at", "locked_until")
