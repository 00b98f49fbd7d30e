"""The record of one episode that the summary report (总结报告, issue 6 §4) states.

:class:`EpisodeSummary` is plain and frozen: every field is a tuple of small frozen records of
text, numbers and times, so the platform fills it row by row from its tables (one record type
per table). Times are local (Asia/Shanghai) ``datetime``; ratios are shares in [0, 1].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

Level = Literal["advisory", "yellow", "orange", "red"]
Action = Literal["issue", "adjust", "lift"]
ReportState = Literal["on_time", "late", "missing"]

LEVEL_ZH: dict[str, str] = {
    "advisory": "提示信息",
    "yellow": "黄色预警（Ⅲ级响应）",
    "orange": "橙色预警（Ⅱ级响应）",
    "red": "红色预警（Ⅰ级响应）",
}
ACTION_ZH: dict[str, str] = {"issue": "发布", "adjust": "调整", "lift": "解除"}
REPORT_ZH: dict[str, str] = {"on_time": "按时", "late": "迟报", "missing": "未报"}
LEVEL_RANK = {"advisory": 0, "yellow": 1, "orange": 2, "red": 3}


@dataclass(frozen=True)
class TimelineEntry:
    """A warning issued, adjusted or lifted (预警发布/调整/解除) at ``time``."""

    time: dt.datetime
    action: Action
    level: Level
    note_zh: str = ""


@dataclass(frozen=True)
class NoticeTiming:
    """A notice or report, its deadline (the plan's ``Deadline.due``) and when it was done."""

    item_zh: str  # e.g. 通知成员单位, 向社会发布
    unit_zh: str
    due: dt.datetime
    done: dt.datetime | None  # None: not done

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


@dataclass(frozen=True)
class ReportCell:
    """One member unit's daily report (信息报送) for one day."""

    unit_zh: str
    day: dt.date
    state: ReportState


@dataclass(frozen=True)
class EnterpriseCompliance:
    """One enterprise's electricity-check result over the episode: days per status [d]."""

    enterprise_zh: str
    compliant: int = 0
    suspicious: int = 0
    violation: int = 0
    insufficient_data: int = 0


@dataclass(frozen=True)
class Inspection:
    """An on-site inspection (执法巡查) and its outcome."""

    time: dt.datetime
    enterprise_zh: str
    finding_zh: str
    outcome_zh: str = ""


@dataclass(frozen=True)
class DailyAqi:
    """Forecast and observed daily AQI for one day [1]; None where not known."""

    day: dt.date
    forecast: float | None
    observed: float | None


@dataclass(frozen=True)
class ReductionCheck:
    """The emission-reduction list's claimed reduction against the plan's target for a level.

    ``target`` and ``claimed`` are shares of total emissions [1].
    """

    pollutant: str  # SO2, NOx, PM, VOCs
    level: Level
    target: float
    claimed: float

    @property
    def met(self) -> bool:
        """Whether the list's reduction reaches the target."""
        return self.claimed >= self.target


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

    def __post_init__(self) -> None:
        if not self.timeline:
            raise ValueError("an episode summary needs a timeline with at least the issue")
        times = [entry.time for entry in self.timeline]
        if times != sorted(times):
            raise ValueError("the timeline must be in time order")

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
        return max((entry.level for entry in self.timeline), key=LEVEL_RANK.__getitem__)

    @property
    def report_completeness(self) -> float:
        """Share of unit-days with a report, on time or late [1]; NaN without reports."""
        if not self.reports:
            return float("nan")
        return sum(cell.state != "missing" for cell in self.reports) / len(self.reports)


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
            **{
                status: int(row.get(status, 0))
                for status in ("compliant", "suspicious", "violation", "insufficient_data")
            },
        )
        for enterprise, row in counts.iterrows()
    )
