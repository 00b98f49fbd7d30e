"""API tokens are scoped to a jurisdiction and to reading or writing, expire, are listed and
revocable; enterprise contacts get none."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.api.models import ApiToken
from hazeguard_platform.api.services import api_token_issue
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction

# The forecasts are of the days after T0: the clock stands at T0, when they were issued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def county(city: Jurisdiction) -> Jurisdiction:
    return Jurisdiction.objects.create(
        code="testcounty", name_zh="测试县", kind="county", parent=city
    )


@pytest.fixture
def clerk(city: Jurisdiction) -> User:
    user = User.objects.create_user("clerk", password="a-long-test-password-7")
    Membership.objects.create(user=user, jurisdiction=city, role=Role.COMMAND_OFFICE_STAFF)
    return user


def _get(token: str, path: str) -> int:
    return Client().get(path, headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_county_token_sees_the_county_and_not_the_city(
    clerk: User, city: Jurisdiction, county: Jurisdiction
) -> None:
    _, token = api_token_issue(actor=clerk, user=clerk, name="county feed", jurisdiction=county)
    listed = Client().get("/api/jurisdictions", headers={"Authorization": f"Bearer {token}"})
    assert [row["code"] for row in listed.json()] == ["testcounty"]
    assert _get(token, "/api/jurisdictions/testcounty/forecasts") == 200
    assert _get(token, "/api/jurisdictions/testcity/forecasts") == 403


def test_a_read_token_cannot_write(clerk: User, city: Jurisdiction) -> None:
    _, token = api_token_issue(actor=clerk, user=clerk, name="r", jurisdiction=city, scope="read")
    response = Client().post(
        "/api/jurisdictions/testcity/forecasts",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="api_token.write", outcome="denied").count() == 1


def test_a_token_stops_working_when_it_expires(clerk: User, city: Jurisdiction) -> None:
    _, token = api_token_issue(actor=clerk, user=clerk, name="short", jurisdiction=city, days=1)
    assert _get(token, "/api/jurisdictions") == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert _get(token, "/api/jurisdictions") == 401


def test_an_enterprise_contact_gets_no_token(city: Jurisdiction) -> None:
    contact = User.objects.create_user("contact")
    Membership.objects.create(user=contact, jurisdiction=city, role=Role.ENTERPRISE_CONTACT)
    with pytest.raises(ForbiddenError):
        api_token_issue(actor=contact, user=contact, name="mine")
    assert not ApiToken.objects.exists()


def test_a_token_lasts_at_most_a_year(clerk: User, city: Jurisdiction) -> None:
    with pytest.raises(InvalidInputError, match="1 to 365 days"):
        api_token_issue(actor=clerk, user=clerk, name="forever", jurisdiction=city, days=3650)


def test_the_tokens_page_lists_scope_and_expiry_and_revokes(
    clerk: User, city: Jurisdiction
) -> None:
    client = Client()
    client.force_login(clerk)
    page = client.post(
        "/staff/tokens/",
        {"name": "station feed", "jurisdiction": city.pk, "scope": "read", "days": "30"},
    )
    token = page.context["new_token"]
    text = page.content.decode()
    assert "只读" in text
    assert "station feed" in text
    row = ApiToken.objects.get()
    assert (row.jurisdiction, row.scope) == (city, "read")
    assert row.expires_at is not None
    assert (row.expires_at - row.created_at).days == 30
    client.post("/staff/tokens/", {"revoke": row.pk})
    assert _get(token, "/api/jurisdictions") == 401
