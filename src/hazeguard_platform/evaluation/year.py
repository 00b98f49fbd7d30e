"""The yearly evaluation of a jurisdiction (issue 13 §3): every episode of the year in one table.

The verdicts are the core's (``hazeguard.evaluation.year.classify`` through
``core.warning_verdicts``: the plan's criteria replayed on the year's observed daily AQI, each
episode a hit, late, low or false alarm, and the misses); the timeliness is the episode
evaluation's. The planning cycle's deadlines (list update, plan revision) are read from the plan;
a plan file that does not carry them as data says so in its notes, and the page shows that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from hazeguard.plans.workflow_facts import cycle_state
from hazeguard_platform.core import (
    CHINA,
    plan_from_snapshot,
    warning_verdicts,
    workflow_from_snapshot,
)
from hazeguard_platform.enterprises.models import ListImport
from hazeguard_platform.evaluation.forecast_check import (
    forecast_checks,
    forecast_skill,
    observed_days,
)
from hazeguard_platform.evaluation.list_changes import ListChanges, list_changes_for
from hazeguard_platform.evaluation.records import ForecastSkill, PollutantEffect
from hazeguard_platform.evaluation.selectors import (
    episode_cost,
    issued_warnings,
    observed_series,
    pollutant_effects,
    span_of,
)
from hazeguard_platform.evaluation.timeliness import warning_timeliness
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.warnings.models import Lead


@dataclass(frozen=True)
class EpisodeRow:
    """One episode of the year: its warnings' levels and days, the verdict against the
    criteria (empty: not judged), the first warning's lead time [h] against the plan's usual
    lead time [h], and whether the air-quality effect was estimated."""

    episode_id: int
    first: dt.date
    last: dt.date
    level: str
    levels: tuple[str, ...]
    verdict: str
    replayed_level: str
    lag_days: int | None
    lead_hours: float | None
    usual_hours: float | None
    lead: str
    effect_estimated: bool
    # PM2.5 from the newest estimate that gave a result (None: not estimated), and the
    # production lost [yuan] (None: no unit cut by the episode has an output value)
    pm25: PollutantEffect | None = None
    cost: float | None = None


@dataclass(frozen=True)
class Miss:
    """Days the plan's criteria were met on the observed data without any warning."""

    level: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Finding:
    """A revision finding the data support: ``count`` of ``total`` (e.g. reds issued less than
    24 h ahead), with its code and the parameters of its sentence."""

    code: str
    count: int
    total: int
    level: str = ""
    hours: float | None = None


@dataclass(frozen=True)
class CycleRow:
    """A planning-cycle deadline of the plan in the year: due day, state (the core's
    ``cycle_state``: upcoming, due, overdue, done, done_late, unrecorded) and the day the
    platform recorded the work (a list import, a plan import), if any."""

    kind: str
    due: dt.date
    state: str
    done_on: dt.date | None
    clause: str
    text_zh: str
    condition_zh: str


@dataclass(frozen=True)
class YearEvaluation:
    """The year's episodes, verdict counts, misses, planning-cycle facts and findings."""

    code: str
    name_zh: str
    name_en: str
    year: int
    plan_id: str
    rows: tuple[EpisodeRow, ...]
    misses: tuple[Miss, ...]
    judged: bool
    cycle: tuple[CycleRow, ...]
    cycle_silence_zh: str
    cycle_silence: str
    list_imports: tuple[dt.datetime, ...]
    findings: tuple[Finding, ...]
    skill: tuple[ForecastSkill, ...] = ()  # every day of the year, per forecast source
    # the list imports, grade changes and downgrades of the year
    changes: ListChanges = field(default_factory=lambda: ListChanges((), ()))

    def count(self, word: str) -> int:
        """Episodes whose verdict holds ``word`` (hit, late, low, false alarm)."""
        return sum(1 for row in self.rows if word in row.verdict.split(", "))

    @property
    def total_cost(self) -> float | None:
        """Production lost over the year's episodes that could be priced [yuan]; None: none."""
        known = [row.cost for row in self.rows if row.cost is not None]
        return sum(known) if known else None

    @property
    def pm25_hours(self) -> int:
        """Measured hours of the episodes whose PM2.5 effect was estimated [h]."""
        return sum(row.pm25.hours for row in self.rows if row.pm25 is not None)

    @property
    def pm25_mean_percent(self) -> float | None:
        """The estimated PM2.5 effects as one figure: their mean weighted by each episode's
        measured hours [%] (each episode's interval is on its own row); None: none estimated."""
        rows = [row.pm25 for row in self.rows if row.pm25 is not None and row.pm25.hours]
        hours = sum(effect.hours for effect in rows)
        return sum(e.percent * e.hours for e in rows) / hours if hours else None


def _cycle(
    place: Jurisdiction, snapshot: dict[str, object] | None, year: int, imports: list[dt.date]
) -> tuple[tuple[CycleRow, ...], str, str]:
    """The plan's planning-cycle deadlines in ``year`` with their state today, or the plan
    file's note on its silence (zh, en)."""
    if snapshot is None:
        return (), "", ""
    facts = workflow_from_snapshot(snapshot).cycle
    if facts.silent:
        return (), facts.note_zh, facts.note
    today = timezone.localtime(timezone.now(), CHINA).date()
    revisions = sorted(
        timezone.localtime(moment, CHINA).date()
        for moment in PlanVersion.objects.filter(
            jurisdiction=place, imported_at__year=year
        ).values_list("imported_at", flat=True)
    )
    done: dict[str, list[dt.date]] = {"list_update": imports, "plan_revision": revisions}
    rows = []
    for deadline in facts.deadlines:
        due = deadline.due(year)
        records = done.get(deadline.kind)
        # A conditional deadline ("需进行重大调整的") or work the platform keeps no record of
        # (the yearly evaluation) is never called overdue: the platform cannot know.
        recorded = records is not None and not deadline.condition_zh
        state = cycle_state(due, today, records[0] if records else None, recorded=recorded)
        rows.append(
            CycleRow(
                deadline.kind,
                due,
                state,
                records[0] if records else None,
                deadline.clause,
                deadline.text_zh,
                deadline.condition_zh,
            )
        )
    return tuple(rows), "", ""


def _findings(rows: list[EpisodeRow], misses: int) -> tuple[Finding, ...]:
    found: list[Finding] = []
    by_level: dict[str, list[EpisodeRow]] = {}
    for row in rows:
        if row.usual_hours is not None and row.lead_hours is not None:
            by_level.setdefault(row.level, []).append(row)
    for level, group in by_level.items():
        usual = group[0].usual_hours
        assert usual is not None  # the group holds rows with a usual lead time only
        short = sum(1 for row in group if row.lead_hours is not None and row.lead_hours < usual)
        if short:
            found.append(Finding("short_lead", short, len(group), level, usual))
    judged = [row for row in rows if row.verdict]
    for word, code in (("late", "late"), ("low", "low"), ("false alarm", "false_alarm")):
        count = sum(1 for row in judged if word in row.verdict.split(", "))
        if count:
            found.append(Finding(code, count, len(judged)))
    if misses:
        found.append(Finding("miss", misses, misses + len(judged)))
    return tuple(found)


def _estimated(episode_ids: list[int]) -> dict[int, tuple[bool, PollutantEffect | None]]:
    """Whether the newest effect estimate of each episode gave a result, and its PM2.5 effect
    (None: none for PM2.5)."""
    from hazeguard_platform.evaluation.models import EffectEstimate

    newest: dict[int, tuple[bool, PollutantEffect | None]] = {}
    for episode_id, state, result in EffectEstimate.objects.filter(
        episode_id__in=episode_ids
    ).values_list("episode_id", "state", "result"):  # newest first (the model's ordering)
        if episode_id in newest:
            continue
        effects = pollutant_effects(result) if state == EffectEstimate.State.DONE else ()
        pm25 = next((e for e in effects if e.pollutant == "PM2.5"), None)
        newest[episode_id] = (state == EffectEstimate.State.DONE, pm25)
    return newest


def year_evaluation_for(place: Jurisdiction, year: int) -> YearEvaluation:
    """The yearly evaluation of ``place`` for ``year`` (drills left out)."""
    now = timezone.now()
    start = dt.datetime(year, 1, 1, tzinfo=CHINA)
    episodes = list(
        place.episodes.filter(
            drill=False, started_at__gte=start, started_at__lt=start.replace(year=year + 1)
        )
        .filter(warnings__issued_at__isnull=False)
        .distinct()
        .order_by("started_at")
    )
    issued = {episode.pk: issued_warnings(episode) for episode in episodes}
    spans = {episode.pk: span_of(episode, issued[episode.pk], now) for episode in episodes}
    version = PlanVersion.objects.filter(jurisdiction=place).order_by("-imported_at", "-pk").first()
    snapshot = (
        issued[episodes[-1].pk][-1].plan_version.snapshot
        if episodes
        else (version.snapshot if version else None)
    )
    observed = observed_series(place, dt.date(year, 1, 1), dt.date(year, 12, 31))
    verdicts: dict[str, object] = {}
    missed: list[Miss] = []
    judged = snapshot is not None and any(day.aqi is not None for day in observed)
    if judged:
        assert snapshot is not None
        try:
            verdicts, extras = warning_verdicts(snapshot, observed, list(spans.values()), year)
            missed = [Miss(r.replayed_level, r.replayed_first, r.replayed_last) for r in extras]
        except ValueError:
            judged = False
    estimated = _estimated([episode.pk for episode in episodes])
    costs = episode_cost(place, issued, now)
    rows = []
    for episode in episodes:
        span, warnings = spans[episode.pk], issued[episode.pk]
        verdict = verdicts.get(span.key)
        first = next((t for t in warning_timeliness(warnings) if t.lead != Lead.DOWNGRADE), None)
        rows.append(
            EpisodeRow(
                episode.pk,
                span.first,
                span.last,
                span.level,
                tuple(dict.fromkeys(w.level for w in warnings)),
                getattr(verdict, "verdict", ""),
                getattr(verdict, "replayed_level", ""),
                getattr(verdict, "lag_days", None),
                first.lead_hours if first else None,
                first.usual_hours if first else None,
                first.lead if first else "",
                estimated.get(episode.pk, (False, None))[0],
                pm25=estimated.get(episode.pk, (False, None))[1],
                cost=costs.get(episode.pk),
            )
        )
    imports = ListImport.objects.filter(
        jurisdiction=place,
        state=ListImport.State.IMPORTED,
        finished_at__gte=start,
        finished_at__lt=start.replace(year=year + 1),
    ).order_by("finished_at")
    imported = [i.finished_at for i in imports if i.finished_at is not None]
    cycle, silence_zh, silence = _cycle(
        place, snapshot, year, [timezone.localtime(t, CHINA).date() for t in imported]
    )
    return YearEvaluation(
        code=place.code,
        name_zh=place.name_zh,
        name_en=place.name_en or place.code,
        year=year,
        plan_id=plan_from_snapshot(snapshot).id if snapshot else "",
        rows=tuple(rows),
        misses=tuple(missed),
        judged=judged,
        cycle=cycle,
        cycle_silence_zh=silence_zh,
        cycle_silence=silence,
        list_imports=tuple(imported),
        findings=_findings(rows, len(missed)),
        skill=_year_skill(place, year),
        changes=list_changes_for(place, year),
    )


def _year_skill(place: Jurisdiction, year: int) -> tuple[ForecastSkill, ...]:
    """Forecast skill per source over every observed day of the year (newest forecast issued
    before each day)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    observed = observed_days(place, first, last)
    checks = forecast_checks(place, sorted(observed), observed)
    return forecast_skill(checks)
