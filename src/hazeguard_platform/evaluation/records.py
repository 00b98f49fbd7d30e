"""The episode evaluation as plain records: what the page, the JSON and the .docx show.

Values are language-neutral (level, step and verdict codes, aware times, numbers); the page and
the documents put them into words (``terms.py``). ``None`` always means "not known", never zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

# The notices' and counties' acknowledgements: the one record of notices.acknowledgements.
from hazeguard_platform.notices.acknowledgements import Acknowledgement as Acknowledgement


@dataclass(frozen=True)
class ForecastDayCheck:
    """One day: the newest forecast issued before the day began, per source, and what was
    observed. AQI [1]; ``lead_days`` = the day minus the forecast's issue date [d]."""

    day: dt.date
    source: str
    issued_at: dt.datetime
    lead_days: int
    aqi_low: int
    aqi_high: int
    observed: float | None

    @property
    def inside(self) -> bool | None:
        """Whether the observed AQI fell inside the forecast range (``None``: not observed)."""
        if self.observed is None:
            return None
        return self.aqi_low <= self.observed <= self.aqi_high

    @property
    def error(self) -> float | None:
        """Observed minus the middle of the forecast range [1]."""
        if self.observed is None:
            return None
        return self.observed - (self.aqi_low + self.aqi_high) / 2


@dataclass(frozen=True)
class ForecastSkill:
    """One source's forecasts over the episode's days: days compared, share inside the range
    [1] and mean absolute error of the range's middle [1]."""

    source: str
    days: int
    inside_share: float | None
    mean_absolute_error: float | None


@dataclass(frozen=True)
class StepTime:
    """One approval step taken: its kind (review, agree, approve), the plan's role, when, and the
    hours since the proposal [h]."""

    kind: str
    role: str
    clause: str
    acted_at: dt.datetime
    hours_after_proposal: float


@dataclass(frozen=True)
class WarningTimeliness:
    """One issued warning: the approval chain's times and the lead time given against the plan.

    ``lead_hours`` is from issue to start [h]; ``usual_hours``/``minimum_hours`` the plan's
    (``Workflow.lead_time``), ``None`` where the plan states none; ``lead`` the stored judgement
    (``Warning.lead``: usual, minimum, late, exempt, silent, downgrade).
    """

    warning_id: int
    level: str
    proposed_at: dt.datetime
    steps: tuple[StepTime, ...]
    approved_at: dt.datetime | None
    issued_at: dt.datetime
    starts_at: dt.datetime | None
    ended_at: dt.datetime | None
    lead_hours: float | None
    usual_hours: float | None
    minimum_hours: float | None
    lead: str
    lead_clause: str
    short_lead_reason: str


@dataclass(frozen=True)
class CriteriaVerdict:
    """The warning against the plan's criteria replayed on the observed daily AQI
    (``hazeguard.evaluation.year``): ``verdict`` is ``hit`` (maybe ``late``, ``low``) or
    ``false alarm``; ``replayed_*`` what the criteria called for; ``lag_days`` [d]."""

    level: str
    first: dt.date
    last: dt.date
    verdict: str
    replayed_level: str
    replayed_first: dt.date | None
    replayed_last: dt.date | None
    lag_days: int | None


@dataclass(frozen=True)
class Compliance:
    """Counts over the episode: member units' tasks and daily reports, listed enterprises'
    acknowledgements and production reports, electricity meter-days, inspections."""

    tasks: int
    tasks_done: int
    reports_on_time: int
    reports_late: int
    reports_missing: int
    enterprises: int
    enterprises_acknowledged: int
    production_reports_due: int
    production_reports_made: int
    production_reports_short: int
    meter_days_compliant: int
    meter_days_suspicious: int
    meter_days_violation: int
    meter_days_insufficient: int
    electricity_checked_at: dt.datetime | None
    inspections: int
    violations_found: int
    penalties: int


@dataclass(frozen=True)
class ReductionRow:
    """The list's claimed reduction against the plan's target (the summary's section 八):
    shares of the society-wide emissions [1], ``claimed`` ``None`` without an inventory."""

    level: str
    pollutant: str
    target: float
    claimed: float | None
    reduction: float | None
    clause: str
    state: str


@dataclass(frozen=True)
class PollutantEffect:
    """The effect of the measures on one pollutant (the core's ``EpisodeEffect``): means over the
    episode's measured hours of the observed and business-as-usual concentration [µg/m³; CO
    mg/m³], their difference with its placebo-calibrated interval, the same as shares of the
    counterfactual [%], and the placebo runs: windows of the same length and season without a
    warning, their "effects" [%], the share of them at or below the episode's (``placebo_rank``
    [1]) and the share a naive interval would call significant [1]; the model's out-of-sample
    fit (R² [1], RMSE [µg/m³]) and its training hours."""

    pollutant: str
    hours: int
    observed: float
    counterfactual: float
    effect: float
    low: float
    high: float
    percent: float
    percent_low: float
    percent_high: float
    placebos: int
    placebo_percents: tuple[float, ...]
    placebo_rank: float
    placebo_significant: float
    r2: float
    rmse: float
    train_hours: int


@dataclass(frozen=True)
class EffectResult:
    """The air-quality effect of the measures (``hazeguard.evaluation.evaluate_episode``, run by
    the task worker after lifting: ``state`` of its newest run, "" when none was queued) or why
    it cannot be estimated: ``missing`` lists what the platform lacks (``stations``,
    ``weather``, ``weather_episode``, ``record``); ``station_hours`` and ``weather_hours`` are
    what it holds for the jurisdiction, ``episode_weather_hours`` of ``episode_hours``."""

    available: bool
    missing: tuple[str, ...]
    station_hours: int
    first_hour: dt.datetime | None
    last_hour: dt.datetime | None
    state: str = ""
    weather_hours: int = 0
    episode_hours: int = 0
    episode_weather_hours: int = 0
    effects: tuple[PollutantEffect, ...] = ()
    estimated_at: dt.datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class CostResult:
    """Production lost (``hazeguard.evaluation.cost``): total [yuan], days per level [d], units
    whose site plan cuts production, those without an output value (left out)."""

    total: float | None
    days: dict[str, float]
    units_cut: int
    units_priced: int
    units_without_value: tuple[str, ...]
    lines: tuple[tuple[str, str, str, float, float, float, float], ...]


@dataclass(frozen=True)
class EpisodeEvaluation:
    """The evaluation of one episode (issue 13 §2)."""

    episode_id: int
    jurisdiction_code: str
    jurisdiction_zh: str
    jurisdiction_en: str
    plan_id: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    highest_level: str
    drill: bool
    observed: tuple[tuple[dt.date, float | None], ...]
    forecasts: tuple[ForecastDayCheck, ...]
    skill: tuple[ForecastSkill, ...]
    warnings: tuple[WarningTimeliness, ...]
    acknowledgements: tuple[Acknowledgement, ...]
    criteria: tuple[CriteriaVerdict, ...]
    criteria_problem: str
    compliance: Compliance
    reductions: tuple[ReductionRow, ...]
    effect: EffectResult
    cost: CostResult
    prepared_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO 8601 with offset, dates as ISO dates."""
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    return value
