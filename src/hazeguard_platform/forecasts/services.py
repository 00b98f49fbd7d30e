"""Every change to forecasts and consultations (STYLE.md §7)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.models import COMMAND_ROLES, Role
from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import ForecastDayValues
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.forecasts.models import (
    Consultation,
    Forecast,
    ForecastDay,
    Provider,
    Source,
)
from hazeguard_platform.forecasts.sources import ordered
from hazeguard_platform.forecasts.validation import (
    check_timely,
    days_from_csv,
    days_from_entries,
)
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.warnings.selectors import active_warning

FORECAST_ROLES = (Role.COMMAND_OFFICE_STAFF, Role.OFFICE_DIRECTOR)


def _aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInputError("a date and time is required", field=field)
    if timezone.is_naive(value):
        raise InvalidInputError("the time must carry its time zone", field=field)
    return value


def _store(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    issued_at: datetime,
    days: Sequence[ForecastDayValues],
    source: Source,
    note: str,
    provider: Provider,
    medians: Sequence[int | None] = (),
    probabilities: dict[str, object] | None = None,
) -> Forecast:
    check_timely(issued_at, days)
    medians = list(medians) or [None] * len(days)
    with transaction.atomic():
        forecast = Forecast.objects.create(
            jurisdiction=jurisdiction,
            issued_at=issued_at,
            source=source,
            provider=provider,
            probabilities=probabilities or {},
            created_by=actor if isinstance(actor, User) else None,
            note=note,
        )
        ForecastDay.objects.bulk_create(
            ForecastDay(
                forecast=forecast,
                day=day.day,
                aqi_low=day.aqi_low,
                aqi_high=day.aqi_high,
                aqi_median=median,
                primary_pollutant=day.primary_pollutant,
                dust=day.dust,
                typhoon=day.typhoon,
            )
            for day, median in zip(days, medians, strict=True)
        )
        audit_record(
            actor=actor,
            action=f"forecast.{source}",
            obj=forecast,
            after={
                "jurisdiction": jurisdiction.code,
                "provider": provider.value,
                "issued_at": issued_at.isoformat(),
                "days": [
                    [
                        d.day.isoformat(),
                        d.aqi_low,
                        d.aqi_high,
                        d.primary_pollutant,
                        d.dust,
                        d.typhoon,
                    ]
                    for d in days
                ],
            },
        )
    return forecast


def _provider(value: Provider | str) -> Provider:
    """A provider a person may enter for (the model's forecasts are made by the worker only)."""
    if value not in Provider.values or value == Provider.MODEL:
        raise InvalidInputError(f"unknown provider {value!r}", field="provider")
    return Provider(value)


def forecast_enter(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    issued_at: datetime,
    days: Sequence[Mapping[str, object]],
    source: Source | str = Source.ENTRY,
    note: str = "",
    provider: Provider | str = Provider.MONITORING_CENTRE,
) -> Forecast:
    """Store a forecast entered by hand (or received through the API, ``source="api"``).

    ``days``: ``{"date", "aqi_low", "aqi_high", "primary_pollutant", "dust"}`` per day (and
    optionally ``"typhoon"``), consecutive; ``provider``: whose forecast it is (the monitoring
    centre's, the weather bureau's, the duty forecaster's).
    """
    if source not in (Source.ENTRY, Source.API):
        raise InvalidInputError(f"unknown source {source!r}", field="source")
    chosen = _provider(provider)
    require_role(actor, jurisdiction, FORECAST_ROLES, action="forecast.enter")
    values = days_from_entries(days)
    return _store(
        actor=actor,
        jurisdiction=jurisdiction,
        issued_at=_aware(issued_at, "issued_at"),
        days=values,
        source=Source(source),
        note=note,
        provider=chosen,
    )


def forecast_upload(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    issued_at: datetime,
    csv_text: str,
    note: str = "",
    provider: Provider | str = Provider.MONITORING_CENTRE,
) -> Forecast:
    """Store a forecast uploaded as CSV (``date,aqi_low,aqi_high,primary_pollutant,dust``).

    All or nothing: the first bad row stops the upload with its row and column named.
    """
    chosen = _provider(provider)
    require_role(actor, jurisdiction, FORECAST_ROLES, action="forecast.upload")
    values = days_from_csv(csv_text)
    return _store(
        actor=actor,
        jurisdiction=jurisdiction,
        issued_at=_aware(issued_at, "issued_at"),
        days=values,
        source=Source.UPLOAD,
        note=note,
        provider=chosen,
    )


def forecast_model_make(*, jurisdiction: Jurisdiction, at: datetime | None = None) -> Forecast:
    """Make and store the model's forecast of ``at``'s China date and the six days after, trained
    on the observed city days before it, with P(level) of the jurisdiction's plan.

    The task worker calls it each day before the consultation
    (:mod:`hazeguard_platform.forecasts.model_runs`);
    ``ConflictError`` when the observations do not allow a forecast (the message says why).
    """
    from hazeguard_platform.forecasts.model_forecast import model_forecast_values

    at = at or timezone.now()
    version = plan_version_for(jurisdiction)
    values = model_forecast_values(jurisdiction, version.snapshot if version else None, at)
    return _store(
        actor=None,
        jurisdiction=jurisdiction,
        issued_at=at,
        days=values.days,
        source=Source.WORKER,
        note="",
        provider=Provider.MODEL,
        medians=values.medians,
        probabilities=values.probabilities,
    )


def forecast_values(forecast: Forecast) -> list[ForecastDayValues]:
    """The stored days of a forecast as the core's inputs."""
    return [
        ForecastDayValues(d.day, d.aqi_low, d.aqi_high, d.primary_pollutant, d.dust, d.typhoon)
        for d in forecast.days.order_by("day")
    ]


def regional_floor_for(jurisdiction: Jurisdiction) -> str | None:
    """The level of the parent's warning in force (a regional warning sets a floor), if any."""
    if jurisdiction.parent is None:
        return None
    parent_warning = active_warning(jurisdiction.parent)
    # A drill (演练) is an exercise: it sets no floor for a real decision.
    if parent_warning is None or parent_warning.drill:
        return None
    return parent_warning.level


def engine_decision(
    jurisdiction: Jurisdiction,
    snapshot: dict[str, object],
    forecast: Forecast,
    at: datetime,
    *,
    with_observed: bool = True,
    drill: bool = False,
    days: Sequence[ForecastDayValues] | None = None,
    observed: Sequence[ForecastDayValues] | None = None,
) -> dict[str, object]:
    """The engine's decision on a stored plan snapshot and a stored forecast, at ``at``, with the
    observed AQI of the days before the forecast (monitoring data) unless ``with_observed`` is
    false (what the forecast alone says); ``drill``: a drill's decision, marked as one. ``days``
    and ``observed``, when the caller has read them already (:func:`forecast_values`,
    ``monitoring.selectors.observed_days``), are used as they are."""
    from hazeguard_platform.monitoring.selectors import observed_days

    current = active_warning(jurisdiction)
    days = list(days) if days is not None else forecast_values(forecast)
    if observed is None:
        observed = (
            observed_days(jurisdiction, first_forecast_day=days[0].day, at=at)
            if with_observed and days
            else []
        )
    return core.decide(
        dict(snapshot),
        days,
        at=at,
        regional_floor=regional_floor_for(jurisdiction),
        current=current.level if current is not None and not current.drill else None,
        county_days=_county_days(jurisdiction, snapshot, days, at),
        observed=observed,
        drill=drill,
    )


def order_decision(
    jurisdiction: Jurisdiction,
    snapshot: dict[str, object],
    level: str,
    at: datetime,
    *,
    primary: tuple[str, ...] = (),
    drill: bool = False,
) -> dict[str, object]:
    """The engine's decision of a jurisdiction that issues the level its parent orders ("根据大连
    市应急指挥部下达…发布西岗区重污染天气相应预警", 000 §3.2.1) at ``at``: no forecast is assessed,
    the order is the level (``none`` lifts), against the warning in force (never a drill's)."""
    current = active_warning(jurisdiction)
    return core.decide_on_order(
        dict(snapshot),
        level,
        at=at,
        current=current.level if current is not None and not current.drill else None,
        primary=primary,
        drill=drill,
    )


@dataclass(frozen=True)
class Recommendation:
    """The engine's current recommendation for a jurisdiction and what it rests on.

    ``decision`` is the core's ``Decision.to_dict()`` (level, why, earliest start, approver);
    ``forecast`` the newest forecast it read; ``observed`` the observed days before the
    forecast's first day that it read too (HJ 633 daily AQI [index]); ``consultation`` the newest
    consultation held on that forecast, if any (a proposal cites it).
    """

    decision: dict[str, object]
    forecast: Forecast
    observed: tuple[ForecastDayValues, ...]
    consultation: Consultation | None

    @property
    def level(self) -> str:
        """The recommended level (``"none"`` when the engine recommends no warning)."""
        return str(self.decision.get("level") or "none")


def engine_recommendation(
    jurisdiction: Jurisdiction,
    at: datetime,
    *,
    forecast: Forecast | None = None,
    days: Sequence[ForecastDayValues] | None = None,
    version: PlanVersion | None = None,
) -> Recommendation | None:
    """What the engine recommends for ``jurisdiction`` at ``at`` on its newest forecast (or
    ``forecast`` with its ``days`` and the plan ``version``, when the caller has read them) and
    the observations before it; ``None`` without a forecast or an imported plan."""
    from hazeguard_platform.forecasts.selectors import latest_forecast
    from hazeguard_platform.monitoring.selectors import observed_days

    forecast = forecast or latest_forecast(jurisdiction)
    version = version or plan_version_for(jurisdiction)
    if forecast is None or version is None:
        return None
    values = list(days) if days is not None else forecast_values(forecast)
    observed = (
        observed_days(jurisdiction, first_forecast_day=values[0].day, at=at) if values else []
    )
    decision = engine_decision(
        jurisdiction, version.snapshot, forecast, at, days=values, observed=observed
    )
    return Recommendation(
        decision=decision,
        forecast=forecast,
        observed=tuple(observed),
        consultation=forecast.consultations.filter(jurisdiction=jurisdiction)
        .order_by("-held_at", "-id")
        .first(),
    )


def _county_days(
    jurisdiction: Jurisdiction,
    snapshot: dict[str, object],
    days: list[ForecastDayValues],
    at: datetime,
) -> dict[str, list[ForecastDayValues]] | None:
    """County forecasts for a plan whose trigger reads contiguous counties (Kashgar 001 §3.2).

    Each county's newest forecast for the same days is used; a county without one takes the
    jurisdiction's forecast, which covers the county too.
    """
    codes = core.regional_counties(dict(snapshot))
    if codes is None:
        return None
    wanted = [d.day for d in days]
    result: dict[str, list[ForecastDayValues]] = {}
    for county in jurisdiction.children.filter(code__in=codes):
        result[county.code] = days
        for candidate in county.forecasts.filter(issued_at__lte=at).order_by("-issued_at"):
            values = forecast_values(candidate)
            if [d.day for d in values] == wanted:
                result[county.code] = values
                break
    return result


def _source_entry(forecast: Forecast, decision: dict[str, object]) -> dict[str, object]:
    return {
        "forecast": forecast.pk,
        "provider": forecast.provider,
        "issued_at": forecast.issued_at.isoformat(),
        "level": decision.get("level") or "none",
        "headline": decision.get("headline") or {},
    }


def consultation_record(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    held_at: datetime,
    conclusion: str,
    forecast_ids: Iterable[int],
    concluded_level: str = "",
    participant_ids: Iterable[int] = (),
    other_participants: str = "",
    basis_id: int | None = None,
) -> Consultation:
    """Record a consultation (会商) with the engine's decision beside the people's conclusion.

    ``forecast_ids``: the sources considered; ``basis_id``: the one the conclusion rests on (one
    of them; the newest when not named). The engine's decision on every source is kept too.
    """
    require_role(actor, jurisdiction, COMMAND_ROLES, action="consultation.record")
    assert isinstance(actor, User)  # require_role refused everyone else
    held_at = _aware(held_at, "held_at")
    if not conclusion.strip():
        raise InvalidInputError("the conclusion is required", field="conclusion")
    wanted = set(forecast_ids)
    forecasts = list(Forecast.objects.filter(pk__in=wanted, jurisdiction=jurisdiction))
    if not wanted or len(forecasts) != len(wanted):
        unknown = sorted(wanted - {f.pk for f in forecasts})
        raise InvalidInputError(
            f"forecasts of {jurisdiction.code} are required; unknown: {unknown}",
            field="forecast_ids",
        )
    people = list(get_user_model().objects.filter(pk__in=set(participant_ids), is_active=True))
    if len(people) != len(set(participant_ids)):
        raise InvalidInputError("an unknown or inactive participant", field="participant_ids")
    version = plan_version_for(jurisdiction)
    if version is None:
        raise ConflictError(f"{jurisdiction.code} has no plan imported")
    levels = core.facts_from_snapshot(version.snapshot).level_names
    if concluded_level and concluded_level not in levels:
        raise InvalidInputError(
            f"{concluded_level!r} is not a level of plan {version.plan_id}: {', '.join(levels)}",
            field="concluded_level",
        )
    if basis_id is not None and basis_id not in wanted:
        raise InvalidInputError(
            f"the basis must be one of the forecasts considered: {sorted(wanted)}",
            field="basis_id",
        )
    basis = (
        next(f for f in forecasts if f.pk == basis_id)
        if basis_id is not None
        else max(forecasts, key=lambda f: (f.issued_at, f.pk))
    )
    decision = engine_decision(jurisdiction, version.snapshot, basis, held_at)
    sources = [
        _source_entry(f, engine_decision(jurisdiction, version.snapshot, f, held_at))
        for f in ordered(forecasts)
    ]
    with transaction.atomic():
        consultation = Consultation.objects.create(
            jurisdiction=jurisdiction,
            held_at=held_at,
            other_participants=other_participants,
            basis=basis,
            plan_version=version,
            conclusion=conclusion,
            concluded_level=concluded_level,
            decision=decision,
            sources=sources,
            recorded_by=actor,
        )
        consultation.forecasts.set(forecasts)
        consultation.participants.set(people)
        audit_record(
            actor=actor,
            action="consultation.record",
            obj=consultation,
            after={
                "held_at": held_at.isoformat(),
                "forecasts": sorted(wanted),
                "concluded_level": concluded_level,
                "engine_level": decision.get("level"),
            },
        )
    return consultation
