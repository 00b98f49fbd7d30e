"""Staff pages per role: forecasts, consultations and the warning buttons of Liaocheng (seed 003).

Liaocheng's red warning is approved by the commander, not the deputy commander (003 §3.3);
its counties must respond to the city's warning within 3 hours (003 §3.3).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from flows import forecast, in_force, proposed

from conftest import T0, MakePerson, Staff
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.forecasts.models import Forecast
from hazeguard_platform.warnings.models import State, Warning

pytestmark = pytest.mark.django_db

CSV = (
    "date,aqi_low,aqi_high,primary_pollutant,dust\n"
    "2026-01-05,280,320,PM2.5,0\n2026-01-06,290,330,PM2.5,0\n2026-01-07,300,340,PM2.5,0\n"
    "2026-01-08,270,310,PM2.5,0\n2026-01-09,210,250,PM2.5,0\n2026-01-10,80,120,PM2.5,0\n"
    "2026-01-11,50,90,PM10,1\n"
)


# The box a person ticks before lifting or withdrawing.
CONFIRMED = {"confirm": "on"}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county_officer(liaocheng: Staff, make_person: MakePerson) -> User:
    county = liaocheng.jurisdiction.children.get(code="dongchangfu")
    return make_person("dongchangfu-officer", Role.COUNTY_OFFICER, county)


def upload(client: Client, text: str) -> object:
    csv_file = SimpleUploadedFile("forecast.csv", text.encode(), content_type="text/csv")
    return client.post("/staff/j/liaocheng/forecast/upload/", {"file": csv_file})


def test_the_sign_in_page_is_chinese_first() -> None:
    page = Client().get("/accounts/login/").content.decode()

    assert "工作人员登录" in page


def test_staff_pages_need_sign_in(liaocheng: Staff) -> None:
    response = Client().get("/staff/j/liaocheng/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_office_uploads_a_forecast_csv(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    response = upload(signed_in(liaocheng.office_clerk), CSV)

    assert response.status_code == 302
    stored = Forecast.objects.get()
    assert [d.aqi_high for d in stored.days.order_by("day")] == [320, 330, 340, 310, 250, 120, 90]
    assert stored.days.get(day="2026-01-11").dust is True


def test_a_bad_csv_is_a_400_naming_row_and_column_and_stores_nothing(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    response = upload(signed_in(liaocheng.office_clerk), CSV.replace("290,330", "290,lots"))

    assert response.status_code == 400
    assert "row 3, column aqi_high" in response.content.decode()
    assert not Forecast.objects.exists()


def test_an_inverted_aqi_range_entered_by_hand_is_a_400_naming_the_field(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    data = {"days-TOTAL_FORMS": "7", "days-INITIAL_FORMS": "0"}
    for n in range(7):
        data |= {
            f"days-{n}-day": f"2026-01-{5 + n:02d}",
            f"days-{n}-aqi_low": "100",
            f"days-{n}-aqi_high": "150",
            f"days-{n}-primary_pollutant": "PM2.5",
        }
    data["days-3-aqi_low"] = "200"

    response = signed_in(liaocheng.office_clerk).post("/staff/j/liaocheng/forecast/new/", data)

    assert response.status_code == 400
    assert response.context["formset"].forms[3].errors["aqi_high"]
    assert not Forecast.objects.exists()


def test_a_county_officer_may_not_upload_the_city_forecast_and_it_is_audited(
    county_officer: User, clock: time_machine.Coordinates
) -> None:
    response = upload(signed_in(county_officer), CSV)

    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=county_officer, outcome=Outcome.DENIED).exists()
    assert not Forecast.objects.exists()


def test_a_consultation_shows_the_engines_decision_and_its_reasons_beside_the_conclusion(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)
    client = signed_in(liaocheng.office_director)

    response = client.post(
        "/staff/j/liaocheng/consultation/new/",
        {
            "held_at": "2026-01-04 09:00",
            "forecast": basis.pk,
            "conclusion": "会商认为将出现重度及以上污染，建议发布红色预警",
            "concluded_level": "red",
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-concluded-level="red"' in page
    assert 'data-engine-level="red"' in page
    # The reason in the plan's words, in the page's language only (issue 12 §4).
    assert "AQI日均值&gt;300连续2天（48小时）" in page
    assert "AQI &gt; 300 for 2 days" not in page
    assert 'data-clause="003 §3.1"' in page
    assert "1月5日、1月6日" in page  # the matched days, for people


def test_a_proposal_without_a_reason_is_a_400_naming_the_field(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    response = signed_in(liaocheng.office_clerk).post(
        "/staff/j/liaocheng/propose/", {"level": "red", "forecast": basis.pk, "reason": ""}
    )

    assert response.status_code == 400
    assert response.context["propose_form"].errors["reason"]
    assert not Warning.objects.exists()


def test_the_office_proposes_red_from_the_forecast(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    response = signed_in(liaocheng.office_clerk).post(
        "/staff/j/liaocheng/propose/",
        {"level": "red", "forecast": basis.pk, "reason": "预测AQI>300持续2天"},
    )

    warning = Warning.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/warning/{warning.pk}/"
    assert (warning.level, warning.state, warning.forecast_id) == ("red", State.PROPOSED, basis.pk)


@pytest.mark.parametrize(
    ("persona", "buttons"),
    [
        ("office_clerk", {"withdraw"}),
        # Red is reviewed by the office director before the commander approves it (003 §3.3.1).
        ("office_director", {"review", "reject", "withdraw"}),
        ("deputy_commander", set()),
        ("commander", {"reject"}),
    ],
)
def test_each_role_sees_only_its_buttons_on_a_red_proposal(
    liaocheng: Staff, clock: time_machine.Coordinates, persona: str, buttons: set[str]
) -> None:
    warning = proposed(liaocheng)

    response = signed_in(getattr(liaocheng, persona)).get(f"/staff/warning/{warning.pk}/")

    assert response.status_code == 200
    assert set(response.context["action_forms"]) == buttons


def test_the_deputy_commander_cannot_approve_red_and_the_refusal_is_audited(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)

    response = signed_in(liaocheng.deputy_commander).post(f"/staff/warning/{warning.pk}/approve/")

    assert response.status_code == 403
    assert "无权执行此操作" in response.content.decode()
    warning.refresh_from_db()
    assert warning.state == State.PROPOSED
    assert AuditEntry.objects.filter(
        actor=liaocheng.deputy_commander, action="warning.approve", outcome=Outcome.DENIED
    ).exists()


def test_the_commander_approves_the_office_issues_and_the_commander_lifts(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    url = f"/staff/warning/{warning.pk}"

    assert signed_in(liaocheng.office_director).post(f"{url}/review/").status_code == 302
    assert signed_in(liaocheng.commander).post(f"{url}/approve/").status_code == 302
    issued = signed_in(liaocheng.office_clerk).post(
        f"{url}/issue/", {"starts_at": (T0 + timedelta(days=1)).isoformat()}
    )
    assert issued.status_code == 302
    warning.refresh_from_db()
    assert warning.state == State.ISSUED

    # Lifted by the issuing procedure (003 §3.3.2): proposed, reviewed, approved.
    signed_in(liaocheng.office_clerk).post(f"{url}/lift/", {"note": "空气质量改善", **CONFIRMED})
    signed_in(liaocheng.office_director).post(f"{url}/lift/", CONFIRMED)
    lifted = signed_in(liaocheng.commander).post(f"{url}/lift/", CONFIRMED)

    assert lifted.status_code == 302
    warning.refresh_from_db()
    assert warning.state == State.ENDED


def test_lifting_without_a_reason_is_a_400_naming_the_field_and_changes_nothing(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock)

    # The lifting's first step (the office's proposal) states why (003 §3.3.2).
    response = signed_in(liaocheng.office_clerk).post(
        f"/staff/warning/{warning.pk}/lift/", CONFIRMED
    )

    assert response.status_code == 400
    assert "note" in response.context["action_forms"]["lift"].errors
    warning.refresh_from_db()
    assert warning.state == State.IN_FORCE


def test_an_unknown_action_is_not_found(liaocheng: Staff, clock: time_machine.Coordinates) -> None:
    warning = proposed(liaocheng)

    response = signed_in(liaocheng.commander).post(f"/staff/warning/{warning.pk}/explode/")

    assert response.status_code == 404


def test_the_counties_see_their_three_hour_deadline_to_respond(
    liaocheng: Staff, county_officer: User, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock)
    child = warning.regional_children.get(jurisdiction__code="dongchangfu")
    assert child.respond_by is not None
    assert child.respond_by - warning.issued_at == timedelta(hours=3)  # 003 §3.3

    county_page = signed_in(county_officer).get("/staff/j/dongchangfu/").content.decode()
    city_page = signed_in(liaocheng.office_clerk).get("/staff/j/liaocheng/").content.decode()

    deadline = f"{child.respond_by.astimezone(child.respond_by.tzinfo):%Y-%m-%d}"
    assert "响应截止" in county_page
    assert deadline in county_page
    assert 'data-county="dongchangfu"' in city_page
    # A county officer acts on the regional warning; proposing and forecasts are the command's.
    assert "/staff/j/dongchangfu/propose/" not in county_page
    # The office may not propose while red is in force: the page links to it instead.
    assert f'<a href="/staff/warning/{warning.pk}/">' in city_page.split('id="active-instead"')[1]


def test_a_consultation_without_a_conclusion_is_a_400_naming_the_field(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    response = signed_in(liaocheng.office_director).post(
        "/staff/j/liaocheng/consultation/new/",
        {"held_at": "2026-01-04 09:00", "forecast": basis.pk, "conclusion": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["conclusion"]
    assert not liaocheng.jurisdiction.consultations.exists()


def test_a_consultation_on_another_jurisdictions_forecast_names_the_forecast_field(
    liaocheng: Staff, kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    foreign = forecast(kashgar)

    response = signed_in(liaocheng.office_director).post(
        "/staff/j/liaocheng/consultation/new/",
        {"held_at": "2026-01-04 09:00", "forecast": foreign.pk, "conclusion": "会商结论"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["forecast"]
    assert not liaocheng.jurisdiction.consultations.exists()
