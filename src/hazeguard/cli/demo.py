"""``hazeguard demo``: the daily AQI of Beijing, December 2015, from real data shipped inside.

It needs nothing beside the installed package: the data are a small attributed subset of the
Beijing multi-site data (``hazeguard/data/README.md``), run through the same code as
``hazeguard aqi daily --city``.
"""

from __future__ import annotations

from typing import Final

import click
import pandas as pd

from hazeguard.aqi import HJ633_2012
from hazeguard.aqi.from_hourly import report_frame
from hazeguard.aqi.indicators import hourly_grid
from hazeguard.io.beijing import CITATION, demo_path, read_beijing_multisite
from hazeguard.vocabulary import pollutant_of_indicator


def _indicator_label(indicator: str) -> str:
    """How the demo names an indicator: its pollutant code, with the hours for O3 (two exist)."""
    code = pollutant_of_indicator(indicator)
    return f"{code} ({indicator.removeprefix('o3_').removesuffix('h')} h)" if code == "O3" else code


HEAVY_ABOVE: Final = 200  # GLOSSARY.md: heavy pollution = daily AQI > 200


def demo_report() -> tuple[pd.DataFrame, int]:
    """Daily city AQI of Beijing, December 2015 (HJ 633-2012 daily report), and the stations."""
    measurements = read_beijing_multisite([demo_path()])
    grid = hourly_grid(measurements.times, measurements.concentrations, measurements.stations)
    # The standard in force in 2015 was HJ 633-2012; its daily report includes the O3 1-h maximum.
    report = report_frame(grid, "daily", city=True, standard=HJ633_2012, rounding="never")
    return report, len(grid.stations)


def format_report(report: pd.DataFrame, stations: int) -> str:
    """The demo's text: a table of the days, then the heavy-pollution days."""
    lines = [
        f"Beijing daily AQI (HJ 633-2012 daily report, mean of {stations} stations), December 2015",
        "",
        f"{'date':<10}  {'AQI':>4}  {'level':>5}  {'category':<6}  {'PM2.5 [µg/m³]':>13}  primary",
    ]
    for row in report.itertuples(index=False):
        aqi, level, category = _text(row.aqi, "NA"), _text(row.level, "NA"), _text(row.category, "")
        primary = ", ".join(
            _indicator_label(name) for name in str(row.primary_pollutants).split(";") if name
        )
        # Chinese characters take two columns in a terminal; pad the category by its width.
        category_cell = category + " " * max(0, 8 - 2 * len(category))
        lines.append(
            f"{row.date:%Y-%m-%d}  {aqi:>4}  {level:>5}  {category_cell}  "
            f"{row.pm25_24h:>13.1f}  {primary}"
        )
    heavy = report[report["aqi"].fillna(0) > HEAVY_ABOVE]
    lines += ["", f"Days with AQI > {HEAVY_ABOVE} (heavy pollution or worse): {len(heavy)}"]
    lines += [f"  {row.date:%Y-%m-%d}  AQI {row.aqi}  {row.category}" for row in heavy.itertuples()]
    lines += ["", f"Data: {CITATION}"]
    return "\n".join(lines)


def _text(value: object, missing: str) -> str:
    return missing if value is None or value is pd.NA else str(value)


@click.command()
def demo() -> None:
    """Print the daily AQI of real Beijing data (December 2015) shipped with HazeGuard."""
    report, stations = demo_report()
    click.echo(format_report(report, stations))
