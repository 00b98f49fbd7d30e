"""The API's request and response shapes; the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from hazeguard_platform.forecasts.validation import FIRST_DAY, LAST_DAY

Level = Literal["blue", "yellow", "orange", "red"]
Pollutant = Literal["", "PM2.5", "PM10", "O3", "NO2", "SO2", "CO", "PM2.5+PM10"]
# Whose forecast it is (forecasts.models.Provider; the model's are made by the platform only).
EnteredProvider = Literal["monitoring_centre", "weather_bureau", "forecaster"]
# Ids are database keys: bounded so a huge number is a 400, not a database overflow.
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Aqi = Annotated[int, Field(ge=0, le=2000, description="AQI [index]")]
# No NUL characters: PostgreSQL cannot store them, so they are refused as bad input (400).
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, Field(max_length=4000, pattern=NO_NUL)]
# Times and days within the forecasts' range (forecasts/validation.py): beyond it the engine's
# date arithmetic would overflow, so such input is a 400, not a server error.
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Moment = Annotated[
    AwareDatetime,
    Field(
        ge=datetime.combine(FIRST_DAY, time(), tzinfo=UTC),
        le=datetime.combine(LAST_DAY, time(), tzinfo=UTC),
    ),
]
RequiredText = Annotated[str, Field(min_length=1, max_length=4000, pattern=NO_NUL)]


class ErrorOut(Schema):
    """A refused request: the message, and the input field at fault (``null`` when none)."""

    error: str
    field: str | None = None


class JurisdictionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    parent: str | None


class ForecastDayIn(Schema):
    date: Day
    aqi_low: Aqi
    aqi_high: Aqi
    primary_pollutant: Pollutant = ""
    dust: bool = False
    typhoon: bool = False


class ForecastIn(Schema):
    """A daily AQI forecast: 1 to 15 consecutive days (usually 7)."""

    issued_at: Moment
    days: Annotated[list[ForecastDayIn], Field(min_length=1, max_length=15)]
    note: Text = ""
    provider: EnteredProvider = "monitoring_centre"


class ForecastDayOut(Schema):
    date: date
    aqi_low: int
    aqi_high: int
    aqi_median: int | None = None
    primary_pollutant: str
    dust: bool
    typhoon: bool


class ForecastOut(Schema):
    id: int
    jurisdiction: str
    issued_at: datetime
    source: str
    provider: str
    note: str
    days: list[ForecastDayOut]
    # The model's forecasts: {"plan", "levels", "days", "p_heavy", ...}; {} for the others.
    probabilities: dict[str, Any] = {}


class DecisionOut(Schema):
    """The engine's decision (``Decision.to_dict()``): level, response, criteria with clause and
    matched days, earliest start, approver, measures. Every reason comes in English (``criterion``,
    ``detail``) and Chinese (``criterion_zh``, ``detail_zh``, ``headline.zh``), with its
    ``explanation`` as code and parameters."""

    jurisdiction: str
    forecast_id: int
    plan_version: str
    decision: dict[str, Any]


class ConsultationIn(Schema):
    held_at: Moment
    conclusion: RequiredText
    concluded_level: Level | Literal[""] = ""
    forecast_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    other_participants: Text = ""


class ConsultationOut(Schema):
    id: int
    jurisdiction: str
    held_at: datetime
    conclusion: str
    concluded_level: str
    basis_id: int
    plan_version: str
    decision: dict[str, Any]


class WarningOut(Schema):
    id: int
    jurisdiction: str
    level: str
    response: str
    state: str
    version: int
    reason: str
    proposed_at: datetime
    approved_at: datetime | None
    issued_at: datetime | None
    starts_at: datetime | None
    ended_at: datetime | None
    end_reason: str
    supersedes_id: int | None
    regional_source_id: int | None
    respond_by: datetime | None
    responded_at: datetime | None
    decision: dict[str, Any] | None
    allowed_actions: list[str]


class ProposeIn(Schema):
    level: Level
    forecast_id: Id | None = None
    consultation_id: Id | None = None
    reason: Text = ""


class IssueIn(Schema):
    starts_at: Moment
    short_lead_reason: Text = ""
    # The announced end: lifting from then on is lifting on schedule (001 §3.7.2).
    ends_at: Moment | None = None


class AdjustIn(Schema):
    level: Level
    forecast_id: Id | None = None
    consultation_id: Id | None = None
    reason: RequiredText


class ReasonIn(Schema):
    reason: RequiredText
