"""Forecasts are entered, uploaded or received with one validator; consultations keep the engine's
decision beside the people's conclusion."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import translation

from conftest import T0, Staff, forecast_days
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.forecasts.models import Forecast, Source
from hazeguard_platform.forecasts.services import (
    consultation_record,
    forecast_enter,
    forecast_upload,
)

# The forecasts are of the days after T0: the clock stands at T0, when they were issued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

GOOD_CSV = """date,aqi_low,aqi_high,primary_pollutant,dust
2026-01-05,220,260,PM2.5,0
2026-01-06,240,290,PM2.5,no
2026-01-07,210,250,PM2.5,false
2026-01-08,120,160,PM10,yes
"""


def test_an_uploaded_csv_becomes_a_forecast_with_its_days(kashgar: Staff) -> None:
    forecast = forecast_upload(
        actor=kashgar.office_clerk,
        jurisdiction=kashgar.jurisdiction,
        issued_at=T0,
        csv_text=GOOD_CSV,
    )
    days = list(forecast.days.order_by("day"))
    assert forecast.source == Source.UPLOAD
    assert [(d.aqi_low, d.aqi_high, d.primary_pollutant, d.dust) for d in days] == [
        (220, 260, "PM2.5", False),
        (240, 290, "PM2.5", False),
        (210, 250, "PM2.5", False),
        (120, 160, "PM10", True),
    ]
    assert AuditEntry.objects.filter(action="forecast.upload", object_id=str(forecast.pk)).exists()


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        (GOOD_CSV.replace("2026-01-06,240,290", "2026-01-06,240,2x0"), "row 3, column “aqi_high”"),
        (GOOD_CSV.replace("2026-01-07,210,250", "2026-01-07,260,250"), "row 4, column “aqi_high”"),
        (GOOD_CSV.replace("PM10", "dust"), "row 5, column “primary_pollutant”"),
        (GOOD_CSV.replace(",yes", ",maybe"), "row 5, column “dust”"),
        (GOOD_CSV.replace("2026-01-08", "2026-01-09"), "days must follow one another"),
        (GOOD_CSV.replace("aqi_low,", ""), "row 1: the header lacks the column(s) aqi_low"),
        (GOOD_CSV.replace("2026-01-05", "5 Jan"), "row 2, column “date”"),
        (GOOD_CSV.replace("290", "501"), "row 3, column “aqi_high”: 501 is outside 0–500"),
    ],
)
def test_it_rejects_a_bad_csv_naming_row_and_column_and_stores_nothing(
    kashgar: Staff, csv_text: str, message: str
) -> None:
    with translation.override("en"), pytest.raises(InvalidInputError) as error:
        forecast_upload(
            actor=kashgar.office_clerk,
            jurisdiction=kashgar.jurisdiction,
            issued_at=T0,
            csv_text=csv_text,
        )
    assert error.value.field == "file"
    assert message in error.value.message
    assert not Forecast.objects.exists()


def test_an_entered_forecast_names_the_bad_day_and_field(kashgar: Staff) -> None:
    days = forecast_days(260, 280, 300)
    days[1]["aqi_low"] = "many"
    with pytest.raises(InvalidInputError) as error:
        forecast_enter(
            actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, issued_at=T0, days=days
        )
    assert error.value.field == "days[1].aqi_low"
    assert not Forecast.objects.exists()


def test_it_refuses_a_time_without_its_zone(kashgar: Staff) -> None:
    with pytest.raises(InvalidInputError) as error:
        forecast_enter(
            actor=kashgar.office_clerk,
            jurisdiction=kashgar.jurisdiction,
            issued_at=datetime(2026, 1, 4, 8),
            days=forecast_days(100),
        )
    assert error.value.field == "issued_at"


def test_a_forecast_received_through_the_api_is_marked_so(kashgar: Staff) -> None:
    forecast = forecast_enter(
        actor=kashgar.office_director,
        jurisdiction=kashgar.jurisdiction,
        issued_at=T0,
        days=forecast_days(100, 120),
        source="api",
    )
    assert forecast.source == Source.API


@pytest.mark.parametrize("role", ["commander", "deputy_commander"])
def test_the_commanders_do_not_upload_forecasts(kashgar: Staff, role: str) -> None:
    with pytest.raises(ForbiddenError):
        forecast_upload(
            actor=getattr(kashgar, role),
            jurisdiction=kashgar.jurisdiction,
            issued_at=T0,
            csv_text=GOOD_CSV,
        )
    assert AuditEntry.objects.filter(action="forecast.upload", outcome=Outcome.DENIED).count() == 1


def test_a_consultation_records_people_forecasts_conclusion_and_the_engines_explanation(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast = forecast_enter(
        actor=liaocheng.office_clerk,
        jurisdiction=liaocheng.jurisdiction,
        issued_at=T0,
        days=forecast_days(260, 280, 310, 250, 180, 120, 90),
    )
    participants: list[User] = [liaocheng.office_director, liaocheng.deputy_commander]
    consultation = consultation_record(
        actor=liaocheng.office_clerk,
        jurisdiction=liaocheng.jurisdiction,
        held_at=T0 + timedelta(hours=1),
        conclusion="四天重污染，建议发布橙色预警",
        concluded_level="orange",
        forecast_ids=[forecast.pk],
        participant_ids=[user.pk for user in participants],
        other_participants="市气象台预报员",
    )
    assert set(consultation.participants.all()) == set(participants)
    assert consultation.basis == forecast
    decision = consultation.decision
    assert decision["plan"] == "liaocheng-2020"
    assert decision["level"] in ("orange", "red")
    criterion = decision["criteria"][0]
    assert criterion["clause"].startswith("003 §")
    assert criterion["periods"], "the matched days are named"


def test_a_consultation_names_a_level_the_plan_lacks(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    forecast = forecast_enter(
        actor=liaocheng.office_clerk,
        jurisdiction=liaocheng.jurisdiction,
        issued_at=T0,
        days=forecast_days(100),
    )
    with pytest.raises(InvalidInputError) as error:
        consultation_record(
            actor=liaocheng.office_clerk,
            jurisdiction=liaocheng.jurisdiction,
            held_at=T0,
            conclusion="blue",
            concluded_level="blue",
            forecast_ids=[forecast.pk],
        )
    assert error.value.field == "concluded_level"


def test_a_consultation_needs_forecasts_of_its_own_jurisdiction(
    liaocheng: Staff, kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    elsewhere = forecast_enter(
        actor=kashgar.office_clerk,
        jurisdiction=kashgar.jurisdiction,
        issued_at=T0,
        days=forecast_days(100),
    )
    with pytest.raises(InvalidInputError) as error:
        consultation_record(
            actor=liaocheng.office_clerk,
            jurisdiction=liaocheng.jurisdiction,
            held_at=T0,
            conclusion="no warning",
            forecast_ids=[elsewhere.pk],
        )
    assert error.value.field == "forecast_ids"


def test_a_stored_forecast_and_its_days_cannot_be_edited(kashgar: Staff) -> None:
    from hazeguard_platform.immutable import ImmutableRowError

    forecast = forecast_enter(
        actor=kashgar.office_clerk,
        jurisdiction=kashgar.jurisdiction,
        issued_at=T0,
        days=forecast_days(100),
    )
    day = forecast.days.get()
    day.aqi_high = 400
    with pytest.raises(ImmutableRowError):
        day.save()
    with pytest.raises(ImmutableRowError):
        forecast.days.update(aqi_high=400)
    forecast.note = "edited"
    with pytest.raises(ImmutableRowError):
        forecast.save()


def test_an_uploaded_csv_reads_the_standards_missing_marks_and_skips_blank_lines(
    kashgar: Staff,
) -> None:
    """One reading path (hazeguard.io.tables): "NA", "/", "—" and empty mean no value."""
    text = (
        "date,aqi_low,aqi_high,primary_pollutant,dust,typhoon\n"
        "2026-01-05,220,260,NA,/,\n"
        "\n"
        "2026-01-06,240,290,PM2.5,—,yes\n"
    )
    forecast = forecast_upload(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, issued_at=T0, csv_text=text
    )
    days = list(forecast.days.order_by("day"))
    assert [(d.primary_pollutant, d.dust, d.typhoon) for d in days] == [
        ("", False, False),
        ("PM2.5", False, True),
    ]


def test_a_bad_csv_names_every_bad_row_in_the_pages_language(kashgar: Staff) -> None:
    text = GOOD_CSV.replace("2026-01-06,240,290", "2026-01-06,240,NA").replace(",yes", ",maybe")
    for language, expected in (
        (
            "zh",
            "forecast.csv 第 3 行“aqi_high”列：为空；"
            "forecast.csv 第 5 行“dust”列：'maybe' 不是“是/否”",
        ),
        (
            "en",
            "forecast.csv, row 3, column “aqi_high”: is empty; "
            "forecast.csv, row 5, column “dust”: 'maybe' is not yes/no",
        ),
    ):
        with translation.override(language), pytest.raises(InvalidInputError) as error:
            forecast_upload(
                actor=kashgar.office_clerk,
                jurisdiction=kashgar.jurisdiction,
                issued_at=T0,
                csv_text=text,
            )
        assert error.value.message == expected
    assert not Forecast.objects.exists()
