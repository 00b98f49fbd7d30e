"""Operators import plans and grant roles with commands; the admin shows records but edits none."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import Staff
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.jurisdictions.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_import_plan_adds_a_version_once() -> None:
    out = StringIO()
    call_command("import_plan", "dalian-xigang-2023", "dalian-xigang-2023", stdout=out)
    assert out.getvalue().splitlines() == ["dalian-xigang-2023 v1 → dalian-xigang"] * 2
    assert PlanVersion.objects.count() == 1


def test_import_plan_names_an_unknown_plan() -> None:
    with pytest.raises(CommandError, match="atlantis-2099: there is no plan"):
        call_command("import_plan", "atlantis-2099")


def test_grant_role_gives_a_role_through_the_service(kashgar: Staff) -> None:
    User.objects.create_user("newcomer")
    call_command("grant_role", "newcomer", "kashgar", "commander", stdout=StringIO())
    assert Membership.objects.filter(user__username="newcomer", role=Role.COMMANDER).exists()
    assert AuditEntry.objects.filter(action="membership.grant").exists()
    with pytest.raises(CommandError, match="role: newcomer already has the role"):
        call_command("grant_role", "newcomer", "kashgar", "commander", stdout=StringIO())


def test_the_admin_lists_warnings_and_audit_records_but_offers_no_change(kashgar: Staff) -> None:
    User.objects.create_superuser("root", password="root-password-1234")
    client = Client()
    client.force_login(User.objects.get(username="root"))
    assert client.get("/admin/warnings/warning/").status_code == 200
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/warnings/warning/add/").status_code == 403
    assert client.get("/admin/accounts/membership/add/").status_code == 403
