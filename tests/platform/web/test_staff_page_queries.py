"""The staff dashboard of a jurisdiction (``/staff/j/<code>/``) reads a fixed number of queries,
for the city and for a county under a regional warning (docs/load.md: it was the slowest page of
the load benchmark's office script, 21 queries)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from flows import adjusted, in_force

from conftest import Staff
from hazeguard_platform.warnings.models import Warning

pytestmark = pytest.mark.django_db

# Session, user, the jurisdiction and the check that the user may see it (its ancestors, the
# memberships), the latest forecast and its days, the roles, the warning in force, the plan
# version, the menu, the proposals, the recent warnings, the county deadlines, the consultations;
# and the engine's recommendation the page opens with (issue 12 §1): the warning it adjusts from,
# the observed days before the forecast, the parent's floor, the consultation on the forecast.
STAFF_QUERIES = 22


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_city_dashboard_stays_within_its_query_budget_as_warnings_accumulate(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    client = Client()
    client.force_login(liaocheng.office_clerk)
    red = in_force(liaocheng, clock, "red")  # 11 counties under regional warnings
    first = _queries(client, "/staff/j/liaocheng/")
    adjusted(liaocheng, red, "orange")  # more warnings on the page
    assert first <= STAFF_QUERIES
    assert _queries(client, "/staff/j/liaocheng/") == first


def test_a_county_dashboard_names_its_regional_warning_without_more_queries(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    client = Client()
    client.force_login(liaocheng.office_clerk)  # the city's office sees its counties
    county = liaocheng.jurisdiction.children.order_by("code").first()
    assert county is not None
    in_force(liaocheng, clock, "red")
    assert Warning.objects.filter(jurisdiction=county, regional_source__isnull=False).exists()
    # One more than the city: the county acts under its city's plan, found one level up.
    assert _queries(client, f"/staff/j/{county.code}/") <= STAFF_QUERIES + 1
