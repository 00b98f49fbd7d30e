"""Schemathesis fuzzes the REST API from its own OpenAPI document and finds no server error.

In-process: the Django WSGI application, the test database with Liaocheng's plan, a real token
of a person of its command (so requests get past authentication and reach the services and the
engine). Both valid inputs (positive)
and inputs that break the schema (negative) are generated; a bounded number of examples keeps the
run under two minutes on a shared machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from api_client import ApiClient
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from flows import RED_DAYS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error

from conftest import Staff, forecast_days
from hazeguard_platform.accounts.models import Membership, Role

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 150


@pytest.fixture
def clerk_token(liaocheng: Staff, clock: object) -> dict[str, str]:
    """Liaocheng's plan imported; a person holding every command role there (so requests reach
    the engine and the transitions), one stored forecast (issued at T0, where the clock
    stands), and their bearer header."""
    person = liaocheng.office_clerk
    for role in (Role.OFFICE_DIRECTOR, Role.DEPUTY_COMMANDER, Role.COMMANDER):
        Membership.objects.create(user=person, jurisdiction=liaocheng.jurisdiction, role=role)
    api = ApiClient(person)
    created = api.post(
        "/api/jurisdictions/liaocheng/forecasts",
        {"issued_at": "2026-01-04T08:00:00+08:00", "days": forecast_days(*RED_DAYS)},
    )
    assert created.status_code == 201
    return api.headers


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """Requests through the bare WSGI app must not close the test's database connection.

    Django's own test client does the same around each of its requests (and reconnects the
    signal after it, so this wraps only the fuzzing): the test's transaction lives on that
    connection, and closing it at request end (``close_old_connections``) ends it on PostgreSQL.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzing_the_api_finds_no_server_error(
    clerk_token: dict[str, str], mode: GenerationMode
) -> None:
    # The city the clerk works in, so path parameters reach the services, not only 404s.
    codes = st.sampled_from(["liaocheng", "dongchangfu", "nowhere"])

    with connection_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=schema.as_strategy(generation_mode=mode), code=codes)
        def fuzz(case: Case, code: str) -> None:
            if case.path_parameters and "code" in case.path_parameters:
                case.path_parameters["code"] = code
            case.call_and_validate(headers=clerk_token, checks=[not_a_server_error])

        fuzz()
