"""The REST API: token authentication, the same permissions as the pages, 400 naming the field."""

from __future__ import annotations

import pytest
import time_machine
from api_client import ApiClient
from django.contrib.auth.models import User
from flows import RED_DAYS
from flows import proposed as proposed_warning

from conftest import MakePerson, Staff, forecast_days, up_to_approval
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.api.models import ApiToken
from hazeguard_platform.api.services import api_token_revoke
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.forecasts.models import Forecast
from hazeguard_platform.jurisdictions.models import Jurisdiction

# The forecasts are of the days after T0: the clock stands at T0, when they were issued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

ISSUED_AT = "2026-01-04T08:00:00+08:00"


@pytest.fixture
def clerk(city: Jurisdiction, make_person: MakePerson) -> User:
    return make_person("city-clerk", Role.COMMAND_OFFICE_STAFF, city)


@pytest.fixture
def county_officer_of_city(city: Jurisdiction, make_person: MakePerson) -> User:
    county = Jurisdiction.objects.create(
        code="testcounty", name_zh="测试县", kind="county", parent=city
    )
    return make_person("county-officer", Role.COUNTY_OFFICER, county)


def test_it_refuses_a_request_without_a_token() -> None:
    response = ApiClient(None).get("/api/jurisdictions")

    assert response.status_code == 401
    assert "token" in response.json()["error"]


def test_it_refuses_a_revoked_token(clerk: User) -> None:
    api = ApiClient(clerk)
    api_token_revoke(actor=clerk, token=ApiToken.objects.get(user=clerk))

    assert api.get("/api/jurisdictions").status_code == 401


def test_a_token_is_stored_only_as_its_digest(clerk: User) -> None:
    api = ApiClient(clerk)
    token = api.headers["Authorization"].removeprefix("Bearer ")

    row = ApiToken.objects.get(user=clerk)
    assert token not in (row.digest, row.prefix)
    assert len(row.digest) == 64


def test_it_lists_only_the_jurisdictions_of_the_person(clerk: User, city: Jurisdiction) -> None:
    Jurisdiction.objects.create(code="elsewhere", name_zh="别处", kind="city")

    response = ApiClient(clerk).get("/api/jurisdictions")

    assert response.status_code == 200
    assert [j["code"] for j in response.json()] == ["testcity"]


def test_the_office_posts_a_forecast_and_reads_it_back(clerk: User) -> None:
    api = ApiClient(clerk)
    created = api.post(
        "/api/jurisdictions/testcity/forecasts",
        {"issued_at": ISSUED_AT, "days": forecast_days(260, 280, 310, 250, 180, 120, 90)},
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "api"
    assert [d["aqi_high"] for d in body["days"]] == [260, 280, 310, 250, 180, 120, 90]
    assert api.get(f"/api/forecasts/{body['id']}").json() == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": 2, "aqi_high": -5}, "days.2.aqi_high"),
        ({"days": 0, "primary_pollutant": "smoke"}, "days.0.primary_pollutant"),
        ({"issued_at": "2026-01-04T08:00:00"}, "issued_at"),
        # Found by fuzzing: dates at the calendar's ends overflowed the engine's arithmetic (500).
        ({"issued_at": "9999-12-31T23:00:00+00:00"}, "issued_at"),
        ({"issued_at": "0001-01-01T00:00:00+08:00"}, "issued_at"),
        ({"days": 0, "date": "9999-12-31"}, "days.0.date"),
    ],
)
def test_bad_forecast_input_is_a_400_naming_the_field_and_stores_nothing(
    clerk: User, change: dict[str, object], field: str
) -> None:
    body: dict[str, object] = {"issued_at": ISSUED_AT, "days": forecast_days(260, 280, 310)}
    if "days" in change:
        index = int(str(change.pop("days")))
        days = body["days"]
        assert isinstance(days, list)
        days[index].update(change)
    else:
        body.update(change)

    response = ApiClient(clerk).post("/api/jurisdictions/testcity/forecasts", body)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Forecast.objects.exists()


def test_a_service_refusal_names_the_field_too(clerk: User) -> None:
    days = forecast_days(260, 280, 310)
    days[2]["date"] = "2026-01-09"  # a gap after the second day

    response = ApiClient(clerk).post(
        "/api/jurisdictions/testcity/forecasts", {"issued_at": ISSUED_AT, "days": days}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "days"
    assert not Forecast.objects.exists()


def test_a_county_officer_may_not_post_the_city_forecast_and_the_refusal_is_audited(
    county_officer_of_city: User,
) -> None:
    response = ApiClient(county_officer_of_city).post(
        "/api/jurisdictions/testcity/forecasts",
        {"issued_at": ISSUED_AT, "days": forecast_days(260, 280, 310)},
    )

    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=county_officer_of_city, outcome=Outcome.DENIED).exists()
    assert not Forecast.objects.exists()


def test_an_unknown_jurisdiction_is_404_and_a_foreign_one_403(clerk: User) -> None:
    Jurisdiction.objects.create(code="elsewhere", name_zh="别处", kind="city")
    api = ApiClient(clerk)

    assert api.get("/api/jurisdictions/nowhere/forecasts").status_code == 404
    assert api.get("/api/jurisdictions/elsewhere/forecasts").status_code == 403


def test_the_openapi_document_describes_every_transition() -> None:
    document = ApiClient(None).get("/api/openapi.json").json()

    paths = document["paths"]
    for action in ("approve", "reject", "withdraw", "issue", "adjust", "lift", "acknowledge"):
        assert f"/api/warnings/{{warning_id}}/{action}" in paths
    assert "/api/jurisdictions/{code}/decision" in paths
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_api_walks_a_red_warning_with_the_same_permissions_as_the_pages(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    office, deputy, commander = (
        ApiClient(liaocheng.office_clerk),
        ApiClient(liaocheng.deputy_commander),
        ApiClient(liaocheng.commander),
    )
    forecast = office.post(
        "/api/jurisdictions/liaocheng/forecasts",
        {"issued_at": "2026-01-04T08:00:00+08:00", "days": forecast_days(*RED_DAYS)},
    ).json()
    decision = office.get("/api/jurisdictions/liaocheng/decision", forecast_id=forecast["id"])
    assert decision.json()["decision"]["level"] == "red"
    assert decision.json()["decision"]["criteria"][0]["clause"] == "003 §3.1"

    proposed = office.post(
        "/api/jurisdictions/liaocheng/warnings",
        {"level": "red", "forecast_id": forecast["id"], "reason": "AQI > 300 for 2 days"},
    )
    assert proposed.status_code == 201
    warning = proposed.json()
    assert warning["state"] == "proposed"

    refused = deputy.post(f"/api/warnings/{warning['id']}/approve")
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(
        actor=liaocheng.deputy_commander, action="warning.approve", outcome=Outcome.DENIED
    ).exists()
    # Red is reviewed by the office director first (003 §3.3.1).
    director = ApiClient(liaocheng.office_director)
    assert director.post(f"/api/warnings/{warning['id']}/review").json()["state"] == "reviewed"
    assert commander.get(f"/api/warnings/{warning['id']}").json()["allowed_actions"] == [
        "approve",
        "reject",
    ]

    approved = commander.post(f"/api/warnings/{warning['id']}/approve")
    assert approved.json()["state"] == "approved"
    issued = office.post(
        f"/api/warnings/{warning['id']}/issue", {"starts_at": "2026-01-05T08:00:00+08:00"}
    )
    assert issued.json()["state"] == "issued"
    assert office.post(f"/api/warnings/{warning['id']}/lift", {"reason": ""}).json()["field"] == (
        "reason"
    )
    # Lifted by the issuing procedure (003 §3.3.2): proposed, reviewed, approved.
    office.post(f"/api/warnings/{warning['id']}/lift", {"reason": "空气质量改善"})
    director.post(f"/api/warnings/{warning['id']}/lift", {"reason": "同意解除"})
    lifted = commander.post(f"/api/warnings/{warning['id']}/lift", {"reason": "同意解除"})
    assert lifted.status_code == 200
    assert lifted.json()["state"] == "ended"


def test_approving_twice_is_a_conflict(liaocheng: Staff, clock: time_machine.Coordinates) -> None:
    warning = proposed_warning(liaocheng)
    up_to_approval(liaocheng, warning.pk)
    commander = ApiClient(liaocheng.commander)

    assert commander.post(f"/api/warnings/{warning.pk}/approve").status_code == 200
    again = commander.post(f"/api/warnings/{warning.pk}/approve")

    assert again.status_code == 409
