"""The record of one episode that the summary report (总结报告, issue 6 §4) states.

:class:`EpisodeSummary` is plain and frozen: every field is a tuple of small frozen records of
text, numbers and times, so the platform fills it row by row from its tables (one record type
per table). Times are local (Asia/Shanghai) ``datetime``; ratios are shares in [0, 1].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from hazeguard.vocabulary import LEVELS, RESPONSE_NUMERAL_ZH, level_name, rank, response_name

Level = Literal["advisory", "yellow", "orange", "red"]
Action = Literal["issue", "adjust", "lift"]
ReportState = Literal["on_time", "late", "missing"]
ElectricityVerdict = Literal[
    "violation", "suspicious", "compliant", "insufficient_data", "not_checked"
]
TargetState = Literal["met", "not_met", "no_inventory"]
SummaryTimeliness = Literal["on_time", "late", "overdue", "pending", "no_deadline"]
SummaryReviewState = Literal["due", "overdue", "submitted", "returned", "accepted"]

# "黄色预警（Ⅲ级响应）": the vocabulary's names with each level's response (003 §4.1).
LEVEL_ZH: dict[str, str] = {
    "advisory": level_name("advisory", "zh"),
    **{
        name: f"{level_name(name, 'zh')}（{RESPONSE_NUMERAL_ZH[str(LEVELS[name].response)]}响应）"
        for name in ("yellow", "orange", "red")
    },
}
# The same in English, for the summary page in English mode (the .docx stays Chinese).
LEVEL_EN: dict[str, str] = {
    "advisory": level_name("advisory", "en"),
    **{
        name: f"{level_name(name, 'en')} ({response_name(str(LEVELS[name].response), 'en')})"
        for name in ("yellow", "orange", "red")
    },
}
ACTION_ZH: dict[str, str] = {"issue": "发布", "adjust": "调整", "lift": "解除"}
ACTION_EN: dict[str, str] = {"issue": "issued", "adjust": "adjusted", "lift": "lifted"}
REPORT_ZH: dict[str, str] = {"on_time": "按时", "late": "迟报", "missing": "未报"}
REPORT_EN: dict[str, str] = {"on_time": "on time", "late": "late", "missing": "missing"}
ELECTRICITY_ZH: dict[str, str] = {
    "violation": "未落实",
    "suspicious": "存疑",
    "compliant": "落实",
    "insufficient_data": "数据不足",
    "not_checked": "无用电数据",
}
ELECTRICITY_EN: dict[str, str] = {
    "violation": "not carried out",
    "suspicious": "doubtful",
    "compliant": "carried out",
    "insufficient_data": "too little data",
    "not_checked": "no electricity data",
}
TARGET_ZH: dict[str, str] = {"met": "达标", "not_met": "未达标", "no_inventory": "缺全社会排放基数"}
TARGET_EN: dict[str, str] = {
    "met": "met",
    "not_met": "not met",
    "no_inventory": "no society-wide inventory",
}
SUMMARY_TIMELINESS_ZH: dict[str, str] = {
    "on_time": "按时",
    "late": "迟报",
    "overdue": "逾期未报",
    "pending": "未到期",
    "no_deadline": "无法计算时限",
}
SUMMARY_TIMELINESS_EN: dict[str, str] = {
    "on_time": "on time",
    "late": "late",
    "overdue": "overdue, not sent",
    "pending": "not yet due",
    "no_deadline": "deadline unknown",
}
SUMMARY_STATE_ZH: dict[str, str] = {
    "due": "待报送",
    "overdue": "逾期",
    "submitted": "已报送",
    "returned": "已退回",
    "accepted": "已采纳",
}
SUMMARY_STATE_EN: dict[str, str] = {
    "due": "due",
    "overdue": "overdue",
    "submitted": "submitted",
    "returned": "returned",
    "accepted": "accepted",
}


@dataclass(frozen=True)
class TimelineEntry:
    """A warning issued, adjusted or lifted (预警发布/调整/解除) at ``time``."""

    time: dt.datetime
    action: Action
    level: Level
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class NoticeTiming:
    """A notice or report, its deadline (the plan's ``Deadline.due``) and when it was done."""

    item_zh: str  # e.g. 通知成员单位, 向社会发布
    unit_zh: str
    due: dt.datetime
    done: dt.datetime | None  # None: not done
    item_en: str = ""
    unit_en: str = ""

    @property
    def on_time(self) -> bool:
        """Whether it was done by its deadline."""
        return self.done is not None and self.done <= self.due


@dataclass(frozen=True)
class MeasureCarriedOut:
    """What a member unit reports it did (落实情况) for one measure."""

    unit_zh: str
    measure_zh: str
    result_zh: str  # e.g. 检查工地 126 处，停工 118 处
    unit_en: str = ""
    result_en: str = ""


@dataclass(frozen=True)
class ReportCell:
    """One member unit's daily report (信息报送) for one day."""

    unit_zh: str
    day: dt.date
    state: ReportState
    unit_en: str = ""


@dataclass(frozen=True)
class UnitSummary:
    """One member unit's or county's summary report (总结报告) owed after the response ended.

    ``due`` is the plan's deadline (e.g. 3 working days after lifting, Liaocheng 003 §4.9;
    ``None`` when it could not be computed), ``submitted`` the first submission (a resubmission
    after the office returned it does not make it late), ``late_working_days`` how late it was
    [working days]. ``unit_key`` names the assignee for the platform (``unit:3``, ``county:7``).
    """

    unit_zh: str
    due: dt.datetime | None
    submitted: dt.datetime | None
    timeliness: SummaryTimeliness
    state: SummaryReviewState = "due"
    late_working_days: int | None = None
    clause: str = ""
    unit_key: str = ""
    unit_en: str = ""


@dataclass(frozen=True)
class EnterpriseCompliance:
    """One listed enterprise over the episode: its tasks, reports, inspections and electricity.

    The four status counts are the electricity check's meter-days (耗电量核算,
    emission-list.md §8.1) [d]; all zero when no meter data was checked. ``reports_due`` and
    ``reports_made`` count days of daily production status (每日生产状态) [d];
    ``reports_short`` the days whose reported status cuts less than the site plan (一厂一策)
    asks [d].
    """

    enterprise_zh: str
    compliant: int = 0
    suspicious: int = 0
    violation: int = 0
    insufficient_data: int = 0
    credit_code: str = ""
    tasks: int = 0  # site-plan measures given as tasks
    acknowledged: bool = False  # the contact confirmed the warning (签收)
    reports_due: int = 0
    reports_made: int = 0
    reports_short: int = 0
    inspections: int = 0
    violations_found: int = 0  # inspections that found the measures not carried out
    penalties: int = 0
    downgrades_proposed: int = 0
    downgrades_confirmed: int = 0

    @property
    def electricity(self) -> ElectricityVerdict:
        """The worst electricity-check status over the episode, or ``not_checked``."""
        if self.violation:
            return "violation"
        if self.suspicious:
            return "suspicious"
        if self.compliant:
            return "compliant"
        return "insufficient_data" if self.insufficient_data else "not_checked"


@dataclass(frozen=True)
class Inspection:
    """An on-site inspection (执法巡查) and its outcome."""

    time: dt.datetime
    enterprise_zh: str
    finding_zh: str
    outcome_zh: str = ""
    violation: bool = False  # the measures were found not carried out
    penalty_zh: str = ""  # 处罚
    downgrade_zh: str = ""  # 下调绩效分级, e.g. B级 → C级（已确认）


@dataclass(frozen=True)
class DailyAqi:
    """Forecast and observed daily AQI for one day [1]; None where not known."""

    day: dt.date
    forecast: float | None
    observed: float | None


@dataclass(frozen=True)
class ReductionCheck:
    """The emission-reduction list's claimed reduction against the plan's target for a level.

    ``pollutant`` is SO2, NOx, PM, VOCs or ``SO2+NOx`` (the sum target, seed 003 §4.4.2).
    ``target`` and ``claimed`` are shares of the society-wide emissions [1]; ``claimed`` is None
    when the society-wide inventory (the denominator, emission-list.md §2.3) is not known.
    ``reduction`` is the list's booked reduction and ``inventory_total`` the denominator
    [t/d]; ``inventory_source_zh`` says where the inventory figure comes from.
    """

    pollutant: str
    level: Level
    target: float
    claimed: float | None
    reduction: float | None = None
    inventory_total: float | None = None
    inventory_source_zh: str = ""
    clause: str = ""

    @property
    def state(self) -> TargetState:
        """``met``, ``not_met`` or ``no_inventory`` (the share cannot be computed)."""
        if self.claimed is None:
            return "no_inventory"
        # A relative tolerance for rounding, not policy (as hazeguard.reduction.targets).
        return "met" if self.claimed >= self.target * (1.0 - 1e-9) else "not_met"

    @property
    def met(self) -> bool:
        """Whether the list's reduction reaches the target (False when it cannot be known)."""
        return self.state == "met"


@dataclass(frozen=True)
class KeyEnterpriseCheck:
    """Each key enterprise's own cut against the plan's key-enterprise share at one level.

    ``target`` is the share of its own emissions each key enterprise cuts (seed 000 §6.5) [1];
    ``checked`` counts the key enterprises it applies to; ``short_zh`` names those below it.
    """

    level: Level
    target: float
    checked: int
    short_zh: tuple[str, ...] = ()
    clause: str = ""


@dataclass(frozen=True)
class EpisodeSummary:
    """Everything the summary report states about one heavy-pollution episode."""

    jurisdiction_zh: str
    plan_id: str
    prepared_by_zh: str
    prepared_at: dt.datetime
    timeline: tuple[TimelineEntry, ...]
    notices: tuple[NoticeTiming, ...] = ()
    measures: tuple[MeasureCarriedOut, ...] = ()
    reports: tuple[ReportCell, ...] = ()
    compliance: tuple[EnterpriseCompliance, ...] = ()
    inspections: tuple[Inspection, ...] = ()
    aqi: tuple[DailyAqi, ...] = ()
    reductions: tuple[ReductionCheck, ...] = ()
    key_enterprises: tuple[KeyEnterpriseCheck, ...] = ()
    unit_summaries: tuple[UnitSummary, ...] = ()
    # What the platform wants the reader to know about how a section was filled (data used,
    # data missing); shown under the section's heading.
    compliance_note_zh: str = ""
    reductions_note_zh: str = ""
    # The English names, for the summary page in English mode ("": the Chinese one).
    jurisdiction_en: str = ""
    prepared_by_en: str = ""
    compliance_note_en: str = ""
    reductions_note_en: str = ""

    def __post_init__(self) -> None:
        if not self.timeline:
            raise ValueError("an episode summary needs a timeline with at least the issue")
        times = [entry.time for entry in self.timeline]
        if times != sorted(times):
            raise ValueError("the timeline must be in time order")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EpisodeSummary:
        """An episode from JSON-like data: the fields above, dates and times as ISO 8601 text.

        Raises :class:`hazeguard.documents.summary_json.SummaryDataError` naming the field
        (``timeline[1].level``) on a missing, unknown or mistyped field.
        """
        from hazeguard.documents.summary_json import record_from_dict  # it imports this module

        return record_from_dict(cls, dict(data))

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-like data (the schema of :meth:`json_schema`)."""
        from hazeguard.documents.summary_json import record_to_dict

        data: dict[str, Any] = record_to_dict(self)
        return data

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the data :meth:`from_dict` reads (the dataclass fields)."""
        from hazeguard.documents.summary_json import record_schema

        schema = record_schema(cls)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

    @property
    def started(self) -> dt.datetime:
        """When the first warning was issued."""
        return self.timeline[0].time

    @property
    def ended(self) -> dt.datetime | None:
        """When the warning was lifted, if it was."""
        last = self.timeline[-1]
        return last.time if last.action == "lift" else None

    @property
    def highest_level(self) -> Level:
        """The highest level in force during the episode."""
        return max((entry.level for entry in self.timeline), key=rank)

    @property
    def report_completeness(self) -> float:
        """Share of unit-days with a report, on time or late [1]; NaN without reports."""
        if not self.reports:
            return float("nan")
        return sum(cell.state != "missing" for cell in self.reports) / len(self.reports)

    @property
    def unit_summary_counts(self) -> dict[str, int]:
        """The units' summary reports by timeliness (every key of ``SUMMARY_TIMELINESS_ZH``)
        and ``accepted`` [1]."""
        counts = dict.fromkeys(SUMMARY_TIMELINESS_ZH, 0)
        for row in self.unit_summaries:
            counts[row.timeliness] += 1
        counts["accepted"] = sum(row.state == "accepted" for row in self.unit_summaries)
        return counts

    @property
    def unit_summary_completeness(self) -> float:
        """Share of the owed summary reports submitted, on time or late [1]; NaN when none is
        owed."""
        if not self.unit_summaries:
            return float("nan")
        done = sum(row.submitted is not None for row in self.unit_summaries)
        return done / len(self.unit_summaries)


def compliance_by_enterprise(
    findings: pd.DataFrame, names_zh: dict[str, str] | None = None
) -> tuple[EnterpriseCompliance, ...]:
    """Count :func:`hazeguard.compliance.check_electricity` findings per enterprise and status.

    A meter-day counts once; ``names_zh`` maps enterprise ids to names for the report.
    """
    counts = findings.groupby(["enterprise", "status"]).size().unstack(fill_value=0)
    names = names_zh or {}
    return tuple(
        EnterpriseCompliance(
            names.get(str(enterprise), str(enterprise)),
            compliant=int(row.get("compliant", 0)),
            suspicious=int(row.get("suspicious", 0)),
            violation=int(row.get("violation", 0)),
            insufficient_data=int(row.get("insufficient_data", 0)),
            credit_code=str(enterprise),
        )
        for enterprise, row in counts.iterrows()
    )
