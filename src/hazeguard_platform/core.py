"""The one seam between the platform and the core (``hazeguard.plans``, ``hazeguard.warnings``).

Every read of a plan goes through :func:`plan_from_snapshot`: decisions use the stored snapshot of
a :class:`~hazeguard_platform.jurisdictions.models.PlanVersion`, never the plan files (STYLE.md §6).
The platform keeps its own small records of what it needs from a plan (:class:`PlanFacts`), so a
change of the core's shape touches this module only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

# China's time zone and the level order are the core's vocabulary (STYLE.md §22), named here
# once for the platform's modules.
from hazeguard.vocabulary import CHINA, rank

if TYPE_CHECKING:
    from hazeguard.plans import Plan, Workflow
    from hazeguard.warnings.forecast import DailyForecast

__all__ = ["CHINA", "rank"]


@dataclass(frozen=True)
class LevelFacts:
    """One warning level of a plan and the response it starts."""

    name: str
    response: str


@dataclass(frozen=True)
class PlanFacts:
    """What the platform reads from a plan besides its :class:`~hazeguard.plans.Workflow`: its
    levels and the deadline a county has after a warning reaches it."""

    plan_id: str
    levels: tuple[LevelFacts, ...]
    county_notice: timedelta | None
    county_notice_clause: str

    def level(self, name: str) -> LevelFacts:
        """The level called ``name``; ``KeyError`` when the plan has no such level."""
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(name)

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    """SHA-256 of the snapshot's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def load_plan(plan_id: str) -> Plan:
    """A shipped plan file, loaded and validated by the core (used only when importing).

    ``KeyError`` when no shipped plan has this id.
    """
    from hazeguard.plans import load_plan as core_load_plan
    from hazeguard.plans import plan_ids

    if plan_id not in plan_ids():
        raise KeyError(plan_id)
    return core_load_plan(plan_id)


_PLANS: dict[str, Plan] = {}


def plan_from_snapshot(snapshot: dict[str, Any]) -> Plan:
    """The plan a stored snapshot describes (validated once per distinct snapshot)."""
    from hazeguard.plans import Plan

    digest = snapshot_digest(snapshot)
    plan = _PLANS.get(digest)
    if plan is None:
        plan = _PLANS[digest] = Plan.from_dict(snapshot)
    return plan


def regional_counties(snapshot: dict[str, Any]) -> frozenset[str] | None:
    """Codes of the counties whose forecasts the plan's regional trigger reads (Kashgar: a number
    of contiguous counties, 001 §3.2), or ``None`` when the plan decides from one forecast."""
    from hazeguard.warnings import as_rules

    rules = as_rules(plan_from_snapshot(snapshot))
    if rules.min_contiguous_counties is None:
        return None
    return frozenset(rules.adjacency)


def workflow_from_snapshot(snapshot: dict[str, Any]) -> Workflow:
    """The core's answers to the plan's workflow questions (who proposes, reviews, agrees and
    approves; lead time; merging; deadlines; drills) for a stored plan snapshot."""
    from hazeguard.plans import Workflow

    return Workflow.of(plan_from_snapshot(snapshot))


def pollution_threshold(snapshot: dict[str, Any]) -> float:
    """The AQI above which the plan counts a period as polluted (its lowest criterion; 200, heavy
    pollution, in most plans). [index]"""
    from hazeguard.warnings import as_rules

    return float(as_rules(plan_from_snapshot(snapshot)).pollution_threshold)


def facts_of(plan: Plan) -> PlanFacts:
    """The level and county-deadline facts of a plan."""
    from hazeguard.plans import Workflow

    # The deadline a county has after receiving a warning from above (Liaocheng: notify its
    # departments within 3 h, seed 003 §4.2).
    notice = next(
        (
            d
            for d in Workflow.of(plan).deadlines("notify_units")
            if d.after == "warning_received" and d.within is not None
        ),
        None,
    )
    return PlanFacts(
        plan_id=plan.id,
        levels=tuple(LevelFacts(level.name, level.response) for level in plan.levels),
        county_notice=notice.within if notice is not None else None,
        county_notice_clause=notice.clause if notice is not None else "",
    )


def facts_from_snapshot(snapshot: dict[str, Any]) -> PlanFacts:
    """The workflow facts of a stored plan snapshot."""
    return facts_of(plan_from_snapshot(snapshot))


@dataclass(frozen=True)
class ForecastDayValues:
    """One forecast day as the platform stores it."""

    day: date
    aqi_low: int
    aqi_high: int
    primary_pollutant: str
    dust: bool
    typhoon: bool = False


def daily_forecast(days: Sequence[ForecastDayValues]) -> DailyForecast:
    """The core's daily forecast of consecutive days."""
    import numpy as np

    from hazeguard.warnings.forecast import DailyForecast

    return DailyForecast(
        aqi_low=np.array([d.aqi_low for d in days], dtype=float),
        aqi_high=np.array([d.aqi_high for d in days], dtype=float),
        primary=tuple(d.primary_pollutant for d in days),
        dust=tuple(d.dust for d in days),
        typhoon=tuple(d.typhoon for d in days),
        dates=tuple(d.day for d in days),
    )


def decide(
    snapshot: dict[str, Any],
    days: Sequence[ForecastDayValues],
    *,
    at: datetime,
    regional_floor: str | None = None,
    current: str | None = None,
    county_days: Mapping[str, Sequence[ForecastDayValues]] | None = None,
    observed: Sequence[ForecastDayValues] = (),
    drill: bool = False,
) -> dict[str, Any]:
    """The engine's decision (as ``Decision.to_dict()``) on a stored plan and a forecast
    (``drill``: an exercise's, marked as such).

    ``county_days`` are the county forecasts a regional trigger reads (see
    :func:`regional_counties`); ``observed`` the observed days just before the forecast's first
    day (the plans' rules on observed pollution read them); ``at`` is an aware time, and the core
    works in naive China Standard Time, as the plans do.
    """
    from hazeguard.warnings import decide as core_decide

    local = at.astimezone(CHINA).replace(tzinfo=None)
    forecast: DailyForecast | dict[str, DailyForecast] = (
        {code: daily_forecast(values) for code, values in county_days.items()}
        if county_days
        else daily_forecast(days)
    )
    decision = core_decide(
        plan_from_snapshot(snapshot),
        forecast,
        at=local,
        regional_floor=regional_floor or None,
        current=current or None,
        # A regional plan would take county observations; the platform has the city's only.
        observed=daily_forecast(observed) if observed and not county_days else None,
        drill=drill,
    )
    result: dict[str, Any] = decision.to_dict()
    return result


def decide_on_order(
    snapshot: dict[str, Any],
    level: str,
    *,
    at: datetime,
    current: str | None = None,
    primary: tuple[str, ...] = (),
    drill: bool = False,
) -> dict[str, Any]:
    """The engine's decision (as ``Decision.to_dict()``) of a jurisdiction that issues the level
    its parent orders (``hazeguard.warnings.decide_on_order``, Xigang 000 §3.2.1); ``at`` aware."""
    from hazeguard.warnings import decide_on_order as core_decide_on_order

    decision = core_decide_on_order(
        plan_from_snapshot(snapshot),
        level,
        at=at.astimezone(CHINA).replace(tzinfo=None),
        current=current or None,
        primary=primary,
        drill=drill,
    )
    result: dict[str, Any] = decision.to_dict()
    return result


# Platform column -> the core's 1-hour indicator (hazeguard.aqi.INDICATORS).
_HOURLY_INDICATORS = {
    "pm25": "pm25_1h",
    "pm10": "pm10_1h",
    "so2": "so2_1h",
    "no2": "no2_1h",
    "o3": "o3_1h",
    "co": "co_1h",
}


def index_hours(
    times: Sequence[datetime], concentrations: Mapping[str, Sequence[float | None]]
) -> list[tuple[int | None, int | None, str]]:
    """Real-time AQI (HJ 633, standard chosen by date) of station hours, by the core.

    ``concentrations`` maps ``pm25``, ``pm10``, ``so2``, ``no2``, ``o3``, ``co`` to 1-hour means
    [µg/m³; CO mg/m³], ``None`` when missing. Returns ``(aqi, level, primary pollutants)`` per hour;
    AQI and level are ``None`` when the hour has too little data. ``ValueError`` from the core on
    input it cannot index.
    """
    import numpy as np
    import pandas as pd

    from hazeguard.aqi import index_frame
    from hazeguard.vocabulary import pollutant_of_indicator

    frame = pd.DataFrame(
        {
            _HOURLY_INDICATORS[name]: np.array(
                [np.nan if value is None else value for value in values], dtype=float
            )
            for name, values in concentrations.items()
        }
    )
    frame["time"] = [moment.astimezone(CHINA).replace(tzinfo=None) for moment in times]
    report = index_frame(frame, mode="realtime", time_column="time")
    names = {
        indicator: pollutant_of_indicator(indicator) for indicator in _HOURLY_INDICATORS.values()
    }
    result: list[tuple[int | None, int | None, str]] = []
    for aqi, level, primary in zip(
        report["aqi"], report["level"], report["primary_pollutants"], strict=True
    ):
        shown = "+".join(names.get(part, part) for part in str(primary).split(";") if part)
        result.append(
            (None if pd.isna(aqi) else int(aqi), None if pd.isna(level) else int(level), shown)
        )
    return result


@dataclass(frozen=True)
class ObservedDay:
    """One day of a jurisdiction's observed HJ 633 daily AQI (``None``: not enough data)."""

    day: date
    aqi: float | None
    primary_pollutants: str


@dataclass(frozen=True)
class IssuedSpan:
    """A warning as the yearly classification reads it: its highest level and its days."""

    key: str
    level: str
    first: date
    last: date


def warning_verdicts(
    snapshot: dict[str, Any],
    observed: Sequence[ObservedDay],
    warnings: Sequence[IssuedSpan],
    year: int,
) -> tuple[dict[str, Any], list[Any]]:
    """The plan's criteria replayed on what was observed, against the warnings really issued
    (``hazeguard.evaluation.year.classify``: hit, late, low, false alarm, miss).

    ``observed`` need not be consecutive (missing days are gaps); returns the verdict of each
    warning by its ``key`` (the core's ``YearRow``) and the misses (rows without a warning).
    ``ValueError`` when the observed days do not reach into ``year``.
    """
    import numpy as np

    from hazeguard.evaluation.year import classify
    from hazeguard.io.daily import primary_name
    from hazeguard.warnings import as_rules
    from hazeguard.warnings.compare import RealWarning
    from hazeguard.warnings.forecast import DailyForecast

    if not observed:
        raise ValueError("no observed daily AQI")
    by_day = {row.day: row for row in observed}
    first, last = min(by_day), max(by_day)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    values = np.array(
        [np.nan if (row := by_day.get(d)) is None or row.aqi is None else row.aqi for d in days],
        dtype=float,
    )
    series = DailyForecast(
        aqi_low=values,
        aqi_high=values,
        primary=tuple(
            primary_name(by_day[d].primary_pollutants) if d in by_day else "" for d in days
        ),
        dust=tuple(False for _ in days),
        dates=tuple(days),
    )
    rules = as_rules(plan_from_snapshot(snapshot))
    real = [RealWarning(n, w.level, w.first, w.last, "") for n, w in enumerate(warnings)]
    table = classify(lambda _day: rules, series, real, year)
    keys = {n: w.key for n, w in enumerate(warnings)}
    verdicts = {keys[r.history_row]: r for r in table.rows if r.history_row is not None}
    return verdicts, [row for row in table.rows if row.verdict == "miss"]
