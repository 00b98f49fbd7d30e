"""The yearly report's charts from a :class:`YearEvaluation` (drawn by the core's
``hazeguard.documents.year_charts``)."""

from __future__ import annotations

from collections import Counter

from hazeguard.documents.year_charts import forecast_skill_png, monthly_verdicts_png
from hazeguard_platform.evaluation.terms import source_label
from hazeguard_platform.evaluation.year import YearEvaluation

MONTHLY_CAPTION = "图 各月预警过程及判定（Figure: episodes per month by verdict）"
SKILL_CAPTION = "图 各预报来源全年准确性（Figure: forecast skill per source over the year）"


def verdict_group(verdict: str) -> str:
    """The monthly chart's group of a verdict (``hit``, ``hit, late`` …; empty: not judged)."""
    words = set(verdict.split(", ")) if verdict else set()
    if not words:
        return "unjudged"
    if "false alarm" in words:
        return "false_alarm"
    if words & {"late", "low"}:
        return "late_or_low"
    return "hit"


def monthly_counts(year: YearEvaluation) -> dict[int, Counter[str]]:
    """Episodes per month of their first day, by verdict group; misses by their first day."""
    counts: dict[int, Counter[str]] = {}
    for row in year.rows:
        counts.setdefault(row.first.month, Counter())[verdict_group(row.verdict)] += 1
    for miss in year.misses:
        counts.setdefault(miss.first.month, Counter())["miss"] += 1
    return counts


def year_chart_pngs(year: YearEvaluation) -> tuple[bytes, bytes | None]:
    """The monthly verdict chart, and the forecast-skill chart when any source was compared."""
    monthly = monthly_verdicts_png(monthly_counts(year))
    compared = [s for s in year.skill if s.days]
    skill = (
        forecast_skill_png(
            [(source_label(s.source), s.inside_share, s.mean_absolute_error) for s in compared]
        )
        if compared
        else None
    )
    return monthly, skill
