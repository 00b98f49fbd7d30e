"""The yearly evaluation report's charts, as PNG bytes: episodes per month by verdict, and the
forecast sources' skill over the year.

Drawn with matplotlib's object API (no pyplot global state: safe in a web worker). Axis labels
are English, as in :mod:`hazeguard.documents.summary_aqi_chart`, with the report's Chinese caption
under each picture; the forecast sources' names, Chinese in the report, are drawn with a CJK
system font (WenQuanYi Zen Hei or Noto Sans CJK, the ``fonts-wqy-zenhei`` package) when one is
installed.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findSystemFonts
from matplotlib.ticker import MaxNLocator

#: Verdict groups stacked in the monthly chart, bottom to top, with their colours.
VERDICT_GROUPS: Final = (
    ("hit", "hit on time", "tab:green"),
    ("late_or_low", "hit, late or low", "tab:orange"),
    ("false_alarm", "false alarm", "tab:red"),
    ("miss", "miss (no warning)", "0.45"),
    ("unjudged", "not judged", "0.8"),
)


@functools.cache
def cjk_font() -> FontProperties | None:
    """A system font with Chinese glyphs, or ``None`` when none is installed."""
    for path in sorted(findSystemFonts()):
        name = path.lower().replace("-", "").replace("_", "")
        if "wqyzenhei" in name or "notosanscjk" in name:
            return FontProperties(fname=path)
    return None


def _png(figure: Figure) -> bytes:
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def monthly_verdicts_png(counts: Mapping[int, Mapping[str, int]], dpi: int = 150) -> bytes:
    """Stacked bars of episodes per month (1 … 12) by verdict group (:data:`VERDICT_GROUPS`
    keys); a month or group not given counts zero. [episodes]"""
    months = np.arange(1, 13)
    figure = Figure(figsize=(7.0, 3.0), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bottom = np.zeros(12)
    for key, label, colour in VERDICT_GROUPS:
        heights = np.array([counts.get(int(m), {}).get(key, 0) for m in months], dtype=float)
        if heights.any():
            axes.bar(months, heights, bottom=bottom, color=colour, label=label, width=0.7)
            bottom += heights
    axes.set_xticks(months)
    axes.set_xlabel("month")
    axes.set_ylabel("episodes")
    axes.set_ylim(0, max(2.0, bottom.max() + 1))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if bottom.any():
        axes.legend(loc="upper center", fontsize=7, ncols=3)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


def forecast_skill_png(
    sources: Sequence[tuple[str, float | None, float | None]], dpi: int = 150
) -> bytes:
    """Per forecast source (name, share of days observed inside the range [1], mean absolute
    error of the range's middle [AQI]): two bar panels side by side; unknown values left out."""
    if not sources:
        raise ValueError("the skill chart needs at least one forecast source")
    names = [name for name, _, _ in sources]
    inside = np.array([np.nan if s is None else 100 * s for _, s, _ in sources])
    error = np.array([np.nan if e is None else e for _, _, e in sources])
    figure = Figure(figsize=(7.0, 2.8), dpi=dpi)
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2)
    positions = np.arange(len(names))
    left.barh(positions, np.nan_to_num(inside), color="tab:blue")
    left.set_yticks(positions, names, fontsize=8, fontproperties=cjk_font())
    left.set_xlim(0, 100)
    left.set_xlabel("observed inside the range [%]")
    right.barh(positions, np.nan_to_num(error), color="tab:purple")
    right.set_yticks(positions, [""] * len(names))
    right.set_xlabel("mean absolute error [AQI]")
    for axes in (left, right):
        axes.grid(axis="x", alpha=0.3)
    return _png(figure)
