"""The evaluation of an episode after lifting (issue 13 §2), read from the database.

``episode_evaluation_for(episode)`` gathers what the platform holds: forecasts against the
observed daily AQI (:mod:`.forecast_check`), the timeliness of the chain, notices and counties
(:mod:`.timeliness`), the warning against the plan's criteria on what was observed (the core's
``hazeguard.evaluation.year`` through ``core.warning_verdicts``), compliance and reductions
against targets (the episode summary's selectors), the air-quality effect or what it lacks, and
the production lost where the list holds output values (``hazeguard.evaluation.cost``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hazeguard.evaluation.cost import production_cost
from hazeguard.reduction.model import Enterprise
from hazeguard_platform.core import CHINA, IssuedSpan, ObservedDay, rank, warning_verdicts
from hazeguard_platform.enterprises.models import ProductionUnit
from hazeguard_platform.evaluation.forecast_check import (
    forecast_checks,
    forecast_skill,
    observed_days,
)
from hazeguard_platform.evaluation.records import (
    Compliance,
    CostResult,
    CriteriaVerdict,
    EffectResult,
    EpisodeEvaluation,
    PollutantEffect,
    ReductionRow,
)
from hazeguard_platform.evaluation.timeliness import warning_timeliness
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.meters.selectors import latest_check
from hazeguard_platform.monitoring.models import CityDay, Reading
from hazeguard_platform.monitoring.selectors import places_under
from hazeguard_platform.notices.acknowledgements import warning_acknowledgements
from hazeguard_platform.operations.models import Task
from hazeguard_platform.summaries.compliance import enterprise_compliance, inspections_of
from hazeguard_platform.summaries.reductions import core_enterprises, reduction_checks
from hazeguard_platform.summaries.selectors import report_cells
from hazeguard_platform.warnings.models import Episode, Warning

DAY = dt.timedelta(days=1)
# Days of observations read before and after an episode to replay the plan's criteria around it.
CRITERIA_BEFORE, CRITERIA_AFTER = 10, 3  # [d]
# The effect model needs a record long enough to learn business as usual (30 days outside
# warnings, hazeguard.evaluation.episode) and the hourly weather (monitoring.weather).
MIN_RECORD_HOURS = 24 * 30


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, CHINA).date()


def issued_warnings(episode: Episode) -> list[Warning]:
    """The episode's issued warnings, oldest first, with their plan versions."""
    return list(
        episode.warnings.filter(issued_at__isnull=False)
        .select_related("plan_version", "supersedes")
        .order_by("issued_at", "pk")
    )


def span_of(episode: Episode, warnings: list[Warning], now: dt.datetime) -> IssuedSpan:
    """The episode as the yearly classification reads it: highest level, first and last day."""
    starts = [s for w in warnings if (s := w.starts_at or w.issued_at) is not None]
    first = _local(min(starts)) if starts else _local(episode.started_at)
    end = episode.ended_at or now
    last = max(first, _local(end - dt.timedelta(microseconds=1)))
    level = max((w.level for w in warnings), key=rank)
    return IssuedSpan(str(episode.pk), level, first, last)


def observed_series(place: Jurisdiction, first: dt.date, last: dt.date) -> list[ObservedDay]:
    """The observed daily AQI rows of ``place`` between two days, for the criteria replay."""
    rows = CityDay.objects.filter(jurisdiction=place, day__gte=first, day__lte=last)
    return [
        ObservedDay(row.day, None if row.aqi is None else float(row.aqi), row.primary_pollutants)
        for row in rows.order_by("day")
    ]


def _criteria(
    episode: Episode, warnings: list[Warning], now: dt.datetime
) -> tuple[tuple[CriteriaVerdict, ...], str]:
    span = span_of(episode, warnings, now)
    observed = observed_series(
        episode.jurisdiction,
        span.first - CRITERIA_BEFORE * DAY,
        span.last + CRITERIA_AFTER * DAY,
    )
    if not any(day.aqi is not None for day in observed):
        return (), "no_observations"
    try:
        verdicts, _ = warning_verdicts(
            warnings[-1].plan_version.snapshot, observed, [span], span.first.year
        )
    except ValueError:
        return (), "no_observations"
    row = verdicts.get(span.key)
    if row is None:  # the warning's first day lies outside the observed days
        return (), "no_observations"
    return (
        CriteriaVerdict(
            span.level,
            span.first,
            span.last,
            row.verdict,
            row.replayed_level,
            row.replayed_first,
            row.replayed_last,
            row.lag_days,
        ),
    ), ""


def _compliance(
    episode: Episode, warnings: list[Warning], listed: dict[int, Enterprise], now: dt.datetime
) -> Compliance:
    inspections = inspections_of(warnings)
    records, _ = enterprise_compliance(episode, warnings, inspections, listed)
    tasks = Task.objects.filter(warning__episode=episode)
    reports = Counter(cell.state for cell in report_cells(episode, now))
    check = latest_check(episode)
    return Compliance(
        tasks=tasks.count(),
        tasks_done=tasks.filter(done_at__isnull=False).count(),
        reports_on_time=reports["on_time"],
        reports_late=reports["late"],
        reports_missing=reports["missing"],
        enterprises=len(records),
        enterprises_acknowledged=sum(r.acknowledged for r in records),
        production_reports_due=sum(r.reports_due for r in records),
        production_reports_made=sum(r.reports_made for r in records),
        production_reports_short=sum(r.reports_short for r in records),
        meter_days_compliant=sum(r.compliant for r in records),
        meter_days_suspicious=sum(r.suspicious for r in records),
        meter_days_violation=sum(r.violation for r in records),
        meter_days_insufficient=sum(r.insufficient_data for r in records),
        electricity_checked_at=check.run_at if check else None,
        inspections=len(inspections),
        violations_found=sum(row.violation for row in inspections),
        penalties=sum(1 for row in inspections if hasattr(row, "penalty")),
    )


def _reductions(
    place: Jurisdiction, warnings: list[Warning], listed: dict[int, Enterprise]
) -> tuple[ReductionRow, ...]:
    checks, _, _ = reduction_checks(place, warnings, listed)
    return tuple(
        ReductionRow(c.level, c.pollutant, c.target, c.claimed, c.reduction, c.clause, c.state)
        for c in checks
    )


def _effect(episode: Episode, place: Jurisdiction) -> EffectResult:
    """The newest estimate's result, or what the estimate needs and what the platform holds."""
    from hazeguard_platform.evaluation.effect import latest_estimate
    from hazeguard_platform.monitoring.models import WeatherHour

    readings = Reading.objects.filter(station__jurisdiction__in=places_under(place))
    hours = readings.values("hour_end").distinct().count()
    first = readings.order_by("hour_end").values_list("hour_end", flat=True).first()
    last = readings.order_by("-hour_end").values_list("hour_end", flat=True).first()
    weather_hours = (
        WeatherHour.objects.filter(
            Q(station__isnull=True, jurisdiction=place)
            | Q(station__jurisdiction__in=places_under(place))
        )
        .values("hour_end")
        .distinct()
        .count()
    )
    estimate = latest_estimate(episode)
    if estimate is not None and estimate.state in (
        estimate.State.DONE,
        estimate.State.MISSING,
        estimate.State.FAILED,
    ):
        inputs = estimate.inputs
        return EffectResult(
            available=estimate.state == estimate.State.DONE,
            missing=tuple(estimate.missing),
            state=estimate.state,
            weather_hours=weather_hours,
            episode_hours=int(inputs.get("episode_hours", 0)),
            episode_weather_hours=int(inputs.get("weather_hours_in_episode", 0)),
            effects=pollutant_effects(estimate.result),
            estimated_at=estimate.finished_at,
            note=estimate.error,
            station_hours=hours,
            first_hour=first,
            last_hour=last,
        )
    missing = []
    if hours == 0:
        missing.append("stations")
    elif hours < MIN_RECORD_HOURS:
        missing.append("record")
    if weather_hours == 0:
        missing.append("weather")
    return EffectResult(
        available=False,
        missing=tuple(missing),
        state=estimate.state if estimate is not None else "",
        weather_hours=weather_hours,
        station_hours=hours,
        first_hour=first,
        last_hour=last,
    )


def pollutant_effects(result: list[dict[str, Any]]) -> tuple[PollutantEffect, ...]:
    """An estimate's stored result (one object per pollutant) as records."""
    return tuple(_pollutant_effect(row) for row in result)


def _pollutant_effect(row: dict[str, Any]) -> PollutantEffect:
    """One pollutant's stored result (the core's EpisodeEffect as JSON), NaN for nulls."""

    def number(key: str) -> float:
        value = row.get(key)
        return float("nan") if value is None else float(value)

    placebo = tuple(float(p) for p in row.get("placebo_percents", []) if p is not None)
    return PollutantEffect(
        pollutant=str(row["pollutant"]),
        hours=int(row["hours"]),
        observed=number("observed"),
        counterfactual=number("counterfactual"),
        effect=number("effect"),
        low=number("low"),
        high=number("high"),
        percent=number("percent"),
        percent_low=number("percent_low"),
        percent_high=number("percent_high"),
        placebos=len(placebo),
        placebo_percents=placebo,
        placebo_rank=number("placebo_rank"),
        placebo_significant=number("placebo_significant"),
        r2=number("r2"),
        rmse=number("rmse"),
        train_hours=int(row["train_hours"]),
    )


def level_days(warnings: list[Warning], now: dt.datetime) -> dict[str, float]:
    """Time each level was in force, from start to end (or now). [d]"""
    days: dict[str, float] = {}
    for warning in warnings:
        start = warning.starts_at or warning.issued_at
        if start is None:
            continue
        end = min(warning.ended_at or now, now)
        if end > start:
            days[warning.level] = days.get(warning.level, 0.0) + (end - start) / DAY
    return days


def _cost(
    place: Jurisdiction, warnings: list[Warning], listed: dict[int, Enterprise], now: dt.datetime
) -> CostResult:
    values = {
        (code, unit): value
        for code, unit, value in ProductionUnit.objects.filter(
            enterprise__jurisdiction=place, enterprise__listed=True, output_value__isnull=False
        ).values_list("enterprise__credit_code", "unit_id", "output_value")
        if value is not None
    }
    estimate = production_cost(listed.values(), values, level_days(warnings, now))
    priced = estimate.units_cut - len(estimate.units_without_value)
    return CostResult(
        total=estimate.total if priced else None,
        days=dict(estimate.days),
        units_cut=estimate.units_cut,
        units_priced=priced,
        units_without_value=estimate.units_without_value,
        lines=tuple(
            (x.credit_code, x.unit_id, x.level, x.days, x.output_value, x.share, x.cost)
            for x in estimate.lines
        ),
    )


def episode_cost(
    place: Jurisdiction, issued: dict[int, list[Warning]], now: dt.datetime
) -> dict[int, float]:
    """Production lost per episode [yuan] (``issued``: each episode's issued warnings), for the
    episodes where some unit cut by the site plans has an output value; the list is read once."""
    listed = core_enterprises(place.listed_enterprises.filter(listed=True))
    costs = {
        episode: _cost(place, warnings, listed, now).total for episode, warnings in issued.items()
    }
    return {episode: total for episode, total in costs.items() if total is not None}


def episode_evaluation_for(episode: Episode) -> EpisodeEvaluation:
    """The evaluation of ``episode`` from the database (times aware, China time on the page).

    ``ValueError`` for an episode without an issued warning.
    """
    now = timezone.now()
    warnings = issued_warnings(episode)
    if not warnings:
        raise ValueError(f"episode {episode.pk} has no issued warning")
    place = episode.jurisdiction
    span = span_of(episode, warnings, now)
    days = [span.first + n * DAY for n in range((span.last - span.first).days + 1)]
    observed = observed_days(place, span.first, span.last)
    checks = forecast_checks(place, days, observed)
    criteria, problem = _criteria(episode, warnings, now)
    # Built once: turning the list into core objects is most of the time (summaries.reductions).
    listed = core_enterprises(place.listed_enterprises.filter(listed=True))
    return EpisodeEvaluation(
        episode_id=episode.pk,
        jurisdiction_code=place.code,
        jurisdiction_zh=place.name_zh,
        jurisdiction_en=place.name_en or place.code,
        plan_id=warnings[-1].plan_version.plan_id,
        started_at=episode.started_at,
        ended_at=episode.ended_at,
        highest_level=span.level,
        drill=episode.drill,
        observed=tuple((day, observed.get(day)) for day in days),
        forecasts=checks,
        skill=forecast_skill(checks),
        warnings=warning_timeliness(warnings),
        acknowledgements=warning_acknowledgements(warnings),
        criteria=criteria,
        criteria_problem=problem,
        compliance=_compliance(episode, warnings, listed, now),
        reductions=_reductions(place, warnings, listed),
        effect=_effect(episode, place),
        cost=_cost(place, warnings, listed, now),
        prepared_at=now,
    )
