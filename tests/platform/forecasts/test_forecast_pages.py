"""The forecast and consultation pages per role on Liaocheng (seed 003): a forecast uploaded or
entered by hand, a refused file or form naming its row, column or field, the consultation beside the
engine's decision."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from flows import forecast, signed_in

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.forecasts.models import Forecast

pytestmark = pytest.mark.django_db

CSV = (
    "date,aqi_low,aqi_high,primary_pollutant,dust\n"
    "2026-01-05,280,320,PM2.5,0\n2026-01-06,290,330,PM2.5,0\n2026-01-07,300,340,PM2.5,0\n"
    "2026-01-08,270,310,PM2.5,0\n2026-01-09,210,250,PM2.5,0\n2026-01-10,80,120,PM2.5,0\n"
    "2026-01-11,50,90,PM10,1\n"
)


def upload(client: Client, text: str) -> object:
    csv_file = SimpleUploadedFile("forecast.csv", text.encode(), content_type="text/csv")
    return client.post("/staff/j/liaocheng/forecast/upload/", {"file": csv_file})


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
    assert "第 3 行“aqi_high”列：&#x27;lots&#x27; 不是整数" in response.content.decode()
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


def test_a_liaocheng_county_officer_may_not_upload_the_city_forecast_and_it_is_audited(
    liaocheng_county_officer: User, clock: time_machine.Coordinates
) -> None:
    response = upload(signed_in(liaocheng_county_officer), CSV)

    assert response.status_code == 403
    assert AuditEntry.objects.filter(
        actor=liaocheng_county_officer, outcome=Outcome.DENIED
    ).exists()
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
