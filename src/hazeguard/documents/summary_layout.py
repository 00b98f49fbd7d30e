"""The building blocks of the summary report's content: sections, tables and cell formats."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

TIME = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Table:
    """A table: header cells ``(中文, English)`` and rows of text."""

    headers: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One heading of the report with its text, an optional table and the chart marker.

    ``key`` names a section a page shows in its own way (``unit_summaries``); empty for the
    others.
    """

    title_zh: str
    title_en: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    chart: bool = False
    key: str = ""
    # A picture of its own (PNG) with its caption, after the table (the yearly report's charts).
    picture: bytes | None = None
    caption: str = ""


def time_text(moment: dt.datetime | None) -> str:
    """A local time as ``YYYY-MM-DD HH:MM``; ``—`` when unknown."""
    return moment.strftime(TIME) if moment is not None else "—"


def share_text(value: float | None) -> str:
    """A share [1] as a percentage with one decimal; ``—`` when unknown or NaN."""
    return "—" if value is None or math.isnan(value) else f"{100 * value:.1f}%"


def number_text(value: float | None) -> str:
    """A number rounded to a whole; ``—`` when unknown or NaN."""
    return "—" if value is None or math.isnan(value) else f"{value:.0f}"
