"""The public pages read a fixed number of queries, however many jurisdictions there are.

The home page once read ~4 queries per jurisdiction (55 for Liaocheng and its 11 counties plus
Kashgar): the load benchmark's biggest cost (docs/load.md). These tests fail if a page goes
back to reading per jurisdiction.
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from flows import forecast, in_force, lifted, observe
from pytest_django import DjangoAssertNumQueries

from conftest import Staff
from hazeguard_platform.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db

# Session-free page: jurisdictions, warnings, forecast subqueries, forecast days, newest hours,
# station rows. The plan snapshot is read once per plan version and process, not per page.
HOME_QUERIES = 6


def _observe(staff: Staff, aqi_pm25: int, hour: int = 2) -> None:
    observe(
        staff,
        "time,station,pm25,pm10,so2,no2,o3,co\n"
        f"2026-01-05 {hour - 1:02d}:00,{staff.jurisdiction.code}-1,{aqi_pm25},,,40,,1.0\n"
        f"2026-01-05 {hour:02d}:00,{staff.jurisdiction.code}-1,{aqi_pm25},,,40,,1.0\n"
        f"2026-01-05 {hour:02d}:00,{staff.jurisdiction.code}-2,{aqi_pm25 // 2},,,40,,1.0\n",
    )


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the first read of a plan version decodes its snapshot once per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_home_page_reads_the_same_queries_for_one_city_or_two_with_their_counties(
    client: Client, liaocheng: Staff, kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock)  # the city and its 11 counties (regional warnings)
    _observe(liaocheng, 300)
    with_one = _queries(client, "/")

    forecast(kashgar, 180, 190)
    _observe(kashgar, 120)
    with_two = _queries(client, "/")

    assert Jurisdiction.objects.count() > 13
    assert with_two == with_one
    page = client.get("/").content.decode()
    assert page.count("data-observed-aqi=") == 2
    assert 'data-jurisdiction="kashgar"' in page


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/", HOME_QUERIES),
        # The place, its status (as on the home page), the forecast's days, the history, and the
        # warning's decision for "why this warning" (预警依据).
        ("/j/liaocheng/", HOME_QUERIES + 5),
    ],
)
def test_a_public_page_with_a_red_warning_in_force_stays_within_its_query_budget(
    client: Client,
    liaocheng: Staff,
    clock: time_machine.Coordinates,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    url: str,
    budget: int,
) -> None:
    in_force(liaocheng, clock)
    _observe(liaocheng, 300)
    client.get(url)

    with django_assert_max_num_queries(budget):
        response = client.get(url)

    page = response.content.decode()
    assert 'data-level="red"' in page
    assert 'data-observed-aqi="350"' in page


@pytest.mark.parametrize("url", ["/", "/j/liaocheng/"])
def test_the_cached_cards_follow_a_lifting_and_a_new_observation_at_once(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates, url: str
) -> None:
    red = in_force(liaocheng, clock)
    _observe(liaocheng, 300)
    assert 'data-level="red"' in client.get(url).content.decode()

    lifted(liaocheng, red)
    _observe(liaocheng, 80, hour=3)
    page = client.get(url).content.decode()

    assert 'data-level="red"' not in page
    assert 'data-observed-aqi="350"' not in page
    assert 'data-observed-aqi="107"' in page
