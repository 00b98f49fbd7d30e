"""The summary report's chart: forecast vs observed daily AQI, as PNG bytes.

Drawn with matplotlib's object API (no pyplot global state, so it is safe in a web worker).
Labels are English: matplotlib's bundled fonts have no Chinese glyphs, and the report's Chinese
caption sits under the picture.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure

from hazeguard.documents.summary_model import DailyAqi

# HJ 633-2012 table 2: category boundaries light|moderate, moderate|heavy, heavy|severe.
CATEGORY_LINES = (
    (150, "moderate above 150"),
    (200, "heavy above 200"),
    (300, "severe above 300"),
)


def aqi_chart_png(days: Sequence[DailyAqi], dpi: int = 150) -> bytes:
    """A line chart of forecast (dashed) and observed (solid) daily AQI [1]; gaps where unknown."""
    if not days:
        raise ValueError("the AQI chart needs at least one day")
    x = np.array([day.day for day in days], dtype="datetime64[D]").astype("datetime64[s]")
    forecast = np.array([np.nan if d.forecast is None else d.forecast for d in days])
    observed = np.array([np.nan if d.observed is None else d.observed for d in days])
    figure = Figure(figsize=(7.0, 3.2), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    top = np.nanmax(np.concatenate([forecast, observed, [0.0]]))
    for value, label in CATEGORY_LINES:
        if value <= top * 1.2:
            axes.axhline(value, color="0.6", linewidth=0.8, linestyle=":")
            axes.annotate(label, (0.005, value + 3), xycoords=("axes fraction", "data"), fontsize=7)
    axes.plot(x, forecast, "o--", color="tab:blue", label="forecast")
    axes.plot(x, observed, "s-", color="tab:red", label="observed")
    axes.set_ylabel("daily AQI")
    axes.set_ylim(0, max(top * 1.15, 50))
    axes.set_xticks(x)
    axes.xaxis.set_major_formatter(DateFormatter("%m-%d"))  # type: ignore[no-untyped-call]
    axes.legend(loc="upper right", fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
