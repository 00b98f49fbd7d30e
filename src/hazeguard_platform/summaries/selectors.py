"""The episode summary (总结报告, issue 6 §4) filled from the database for the core to render.

``episode_summary_for(episode)`` reads the episode's warnings, notices, response tasks, daily
reports, inspections, forecasts and observations and returns the core's frozen
:class:`hazeguard.documents.summary.EpisodeSummary`. Enterprise compliance and inspections come
from :mod:`.compliance`, the list's claimed reductions against the plan's targets from
:mod:`.reductions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hazeguard.deadlines import deadline_state
from hazeguard.documents.summary import (
    DailyAqi,
    EpisodeSummary,
    MeasureCarriedOut,
    NoticeTiming,
    ReportCell,
    TimelineEntry,
)
from hazeguard.documents.summary_model import Action, Level, ReportState
from hazeguard.vocabulary import Language, level_name
from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.core import CHINA
from hazeguard_platform.forecasts.models import ForecastDay
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.meters.services import OFFICE_ROLES as OFFICE_ROLES  # web.views reads it
from hazeguard_platform.meters.services import is_office
from hazeguard_platform.monitoring.models import CityDay
from hazeguard_platform.notices.acknowledgements import warning_acknowledgements
from hazeguard_platform.operations.models import DailyReport, Task, TaskState
from hazeguard_platform.operations.models import ReportState as RowState
from hazeguard_platform.pages import label_in
from hazeguard_platform.summaries.compliance import (
    enterprise_compliance,
    inspection_records,
    inspections_of,
)
from hazeguard_platform.summaries.reductions import core_enterprises, reduction_checks
from hazeguard_platform.summaries.units import unit_summaries_for
from hazeguard_platform.warnings.models import EndReason, Episode, Warning

# The platform's blue warning has no level of its own in the core's summary model.
_LEVELS: dict[str, Level] = {
    "blue": "advisory",
    "advisory": "advisory",
    "yellow": "yellow",
    "orange": "orange",
    "red": "red",
}


def require_office(user: Actor, place: Jurisdiction, *, obj: models.Model) -> None:
    """The one authorisation of the summary pages: the command office of ``place`` or of a
    jurisdiction above it passes (issue 6 §4, "the office": the one that runs the electricity
    check, ``meters.services.is_office``); anyone else gets ``ForbiddenError`` (audited)."""
    if not is_office(user, place):
        raise refuse(
            user,
            action="summary.view",
            obj=obj,
            message=f"the summary of {place.code} needs the command office",
        )


def episode_for_office(user: Actor, episode_id: int) -> Episode:
    """The episode, for its office (:func:`require_office`); ``Http404`` for an unknown id."""
    episode = get_object_or_404(Episode.objects.select_related("jurisdiction"), pk=episode_id)
    require_office(user, episode.jurisdiction, obj=episode)
    return episode


def episodes_for_office(user: Actor, code: str) -> tuple[Jurisdiction, list[Episode]]:
    """A jurisdiction's episodes with an issued warning, newest first, for its office."""
    place = get_object_or_404(Jurisdiction, code=code)
    require_office(user, place, obj=place)
    episodes = place.episodes.filter(warnings__issued_at__isnull=False).distinct()
    return place, list(episodes.order_by("-started_at"))


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, CHINA)


def _issued(episode: Episode) -> list[Warning]:
    return list(
        episode.warnings.filter(issued_at__isnull=False)
        .select_related("supersedes")
        .order_by("issued_at", "pk")
    )


def _timeline(warnings: list[Warning]) -> tuple[TimelineEntry, ...]:
    entries: list[TimelineEntry] = []
    for index, warning in enumerate(warnings):
        assert warning.issued_at is not None  # _issued selects issued warnings only
        level = _LEVELS[warning.level]
        start = _local(warning.starts_at).strftime("%m-%d %H:%M") if warning.starts_at else "—"
        action: Action = "adjust" if index and warning.supersedes_id is not None else "issue"
        entries.append(
            TimelineEntry(
                _local(warning.issued_at),
                action,
                level,
                f"{start} 起执行",
                f"in force from {start}",
            )
        )
        lifted = warning.end_reason in (EndReason.LIFTED, EndReason.REGIONAL_LIFTED)
        if lifted and warning.ended_at is not None:
            entries.append(TimelineEntry(_local(warning.ended_at), "lift", level, warning.end_note))
    return tuple(sorted(entries, key=lambda entry: entry.time))


def _notices(warnings: list[Warning]) -> tuple[NoticeTiming, ...]:
    """The acknowledgements the episode's warnings asked for by a deadline
    (``notices.acknowledgements``, the one reading the evaluation shares), for the document."""
    timings = []
    for row in warning_acknowledgements(warnings):
        title, title_en = row.title, row.title_en
        if row.kind == "county_response":
            title = f"响应区域预警：{level_name(row.title, 'zh')}"
            title_en = f"respond to the regional warning: {level_name(row.title, 'en')}"
        done = _local(row.done_at) if row.done_at else None
        timings.append(
            NoticeTiming(title, row.recipient, _local(row.due_at), done, title_en, row.recipient_en)
        )
    return tuple(timings)


def _measures(episode: Episode) -> tuple[MeasureCarriedOut, ...]:
    tasks = (
        Task.objects.filter(warning__episode=episode)
        .select_related("member_unit", "county")
        .prefetch_related("items")
        .order_by("assignee_key", "clause", "pk")
    )
    measures = []
    for task in tasks:
        results: dict[Language, str] = {}
        said: tuple[tuple[Language, str, str], ...] = (
            ("zh", "未报送", "；"),
            ("en", "not reported", "; "),
        )
        for language, nothing, sep in said:
            statuses = [label_in(item.get_status_display(), language) for item in task.items.all()]
            state = TaskState.DONE.label if task.done_at is not None else task.get_state_display()
            results[language] = label_in(state, language) + sep + (sep.join(statuses) or nothing)
        measures.append(
            MeasureCarriedOut(
                task.assignee_name,
                f"{task.clause} {task.text_zh}",
                results["zh"],
                task.assignee_name_in("en"),
                results["en"],
            )
        )
    return tuple(measures)


def _report_state(report: DailyReport, now: dt.datetime) -> ReportState | None:
    if report.state == RowState.SUBMITTED:
        return "late" if report.late else "on_time"
    if report.state == RowState.OVERDUE or report.due_at <= now:
        return "missing"
    return None  # not due yet: nothing owed so far


def report_cells(episode: Episode, now: dt.datetime) -> tuple[ReportCell, ...]:
    """The member units' daily reports of the episode owed so far, with their state."""
    rows = (
        DailyReport.objects.filter(response__tasks__warning__episode=episode)
        .distinct()
        .select_related("member_unit", "county")
        .order_by("assignee_key", "day")
    )
    cells = []
    for report in rows:
        state = _report_state(report, now)
        if state is not None:
            cells.append(
                ReportCell(report.assignee_name, report.day, state, report.assignee_name_in("en"))
            )
    return tuple(cells)


def _days(episode: Episode, now: dt.datetime) -> list[dt.date]:
    first = _local(episode.started_at).date()
    last = _local(episode.ended_at or now).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _forecast(warnings: Iterable[Warning], days: list[dt.date]) -> dict[dt.date, float]:
    """Each day's AQI as the newest forecast the warnings were decided on gave it: the middle of
    its range [1]."""
    forecast_ids = [w.forecast_id for w in warnings if w.forecast_id is not None]
    rows = ForecastDay.objects.filter(forecast_id__in=forecast_ids, day__in=days).order_by(
        "forecast__issued_at", "forecast_id"
    )
    return {row.day: (row.aqi_low + row.aqi_high) / 2 for row in rows}  # newest wins


def _observed(episode: Episode, days: list[dt.date]) -> dict[dt.date, float]:
    """Each day's HJ 633 daily AQI of the jurisdiction (monitoring, computed by the core from its
    stations per HJ 663) [1]."""
    rows = CityDay.objects.filter(
        jurisdiction=episode.jurisdiction, day__in=days, aqi__isnull=False
    ).values_list("day", "aqi")
    return {day: float(aqi) for day, aqi in rows if aqi is not None}


def _aqi(episode: Episode, warnings: list[Warning], now: dt.datetime) -> tuple[DailyAqi, ...]:
    days = _days(episode, now)
    forecast, observed = _forecast(warnings, days), _observed(episode, days)
    return tuple(
        DailyAqi(day, forecast.get(day), observed.get(day))
        for day in days
        if day in forecast or day in observed
    )


def episode_summary_for(episode: Episode, *, prepared_by_zh: str = "") -> EpisodeSummary:
    """The core's summary record of ``episode`` from the database (times in China time).

    ``ValueError`` (from the core) for an episode without an issued warning.
    """
    now = timezone.now()
    warnings = _issued(episode)
    place = episode.jurisdiction
    plan_id = warnings[-1].plan_version.plan_id if warnings else ""
    inspections = inspections_of(warnings)
    listed = core_enterprises(place.listed_enterprises.filter(listed=True))
    compliance, compliance_note = enterprise_compliance(episode, warnings, inspections, listed)
    reductions, key_enterprises, reductions_note = reduction_checks(place, warnings, listed)
    return EpisodeSummary(
        jurisdiction_zh=place.name_zh,
        plan_id=plan_id,
        prepared_by_zh=prepared_by_zh or f"{place.name_zh}重污染天气应急指挥部办公室",
        prepared_at=_local(now),
        timeline=_timeline(warnings),
        notices=_notices(warnings),
        measures=_measures(episode),
        reports=report_cells(episode, now),
        compliance=compliance,
        inspections=inspection_records(inspections),
        aqi=_aqi(episode, warnings, now),
        reductions=reductions,
        key_enterprises=key_enterprises,
        unit_summaries=unit_summaries_for(episode, now),
        compliance_note_zh=compliance_note[0],
        reductions_note_zh=reductions_note[0],
        compliance_note_en=compliance_note[1],
        reductions_note_en=reductions_note[1],
        jurisdiction_en=place.name_in("en"),
        prepared_by_en=prepared_by_zh
        or f"the heavy pollution weather emergency command office of {place.name_in('en')}",
    )


@dataclass(frozen=True)
class KeyFigures:
    """What the summary page opens with (issue 12 §5): the highest level, the span, the
    notices against their deadlines (late or overdue, not yet due), the daily reports'
    completeness [1] and the enterprises found not carrying out their measures."""

    level: str
    started: dt.datetime
    ended: dt.datetime | None
    notices: int
    notices_late: int
    notices_waiting: int
    report_completeness: float
    enterprises: int
    enterprises_violating: int


def key_figures(summary: EpisodeSummary) -> KeyFigures:
    """The key figures of ``summary`` (its notices judged at its ``prepared_at``)."""
    states = [deadline_state(n.due, n.done, summary.prepared_at) for n in summary.notices]
    found = [c for c in summary.compliance if c.violation or c.violations_found]
    return KeyFigures(
        level=summary.highest_level,
        started=summary.started,
        ended=summary.ended,
        notices=len(states),
        notices_late=sum(state in ("late", "overdue") for state in states),
        notices_waiting=states.count("not_due"),
        report_completeness=summary.report_completeness,
        enterprises=len(summary.compliance),
        enterprises_violating=len(found),
    )
