"""``hazeguard monitor``: check hourly station files and compute the city's values per HJ 663.

``hazeguard monitor check FILE… [--layout cnemc] [--city-of stations.csv] -o city.csv`` reads the
files through the one checked path (:mod:`hazeguard.monitoring.layouts`), flags implausible
values (:mod:`hazeguard.monitoring.plausibility`, written with ``--flags``), and writes the city's
real-time, rolling 24-h and daily AQI (:mod:`hazeguard.monitoring.city`). Bad input stops with
one line naming the file, row and column, and exit code 2.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
import numpy as np
import pandas as pd

from hazeguard.io.tables import TableError, write_table


class InputError(click.ClickException):
    """Bad input: one line on stderr and exit code 2, no traceback."""

    exit_code = 2


@click.group()
def monitor() -> None:
    """Hourly station data: checks, flags and city values (HJ 663)."""


@monitor.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--layout", default="hazeguard", show_default=True, help="hazeguard or cnemc")
@click.option(
    "--city-of",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns station, city: one row of values per city (default: one city).",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="city values")
@click.option("--flags", type=click.Path(dir_okay=False), help="also write the flagged values")
def check(
    files: tuple[str, ...], layout: str, city_of: str | None, output: str, flags: str | None
) -> None:
    """Check FILES, flag implausible values and write the city values (CSV or Parquet)."""
    from hazeguard.aqi.indicators import hourly_grid, with_cities
    from hazeguard.monitoring.city import city_values
    from hazeguard.monitoring.layouts import layout_named, read_station_hours

    try:
        hours = read_station_hours(list(files), layout_named(layout))
    except (TableError, ValueError) as error:
        raise InputError(str(error)) from None
    grid = hourly_grid(hours.times, hours.concentrations, hours.stations)
    if city_of is not None:
        table = pd.read_csv(city_of, dtype=str)
        mapping = dict(zip(table["station"], table["city"], strict=True))
        missing = sorted(set(grid.stations) - set(mapping))
        if missing:
            raise InputError(f"{city_of}: no city for station(s) {', '.join(missing[:5])}")
        grid = with_cities(grid, mapping)
    values = city_values(grid)
    hourly = values.hourly.merge(
        values.rolling, on=["city", "time"], suffixes=("", "_rolling"), how="outer"
    )
    write_table(hourly, output)
    daily_path = Path(output).with_name(Path(output).stem + "-daily" + Path(output).suffix)
    write_table(values.daily, daily_path)
    flagged = 0
    if flags is not None:
        rows = []
        ends = np.asarray(grid.hour_ends().strftime("%Y-%m-%dT%H:%M"))
        for pollutant, bits in values.flags.items():
            station_rows, columns = np.nonzero(bits & ~np.uint8(16))
            for row, column in zip(station_rows, columns, strict=True):
                rows.append((grid.stations[row], ends[column], pollutant, int(bits[row, column])))
        flagged = len(rows)
        write_table(pd.DataFrame(rows, columns=["station", "time", "pollutant", "flags"]), flags)
    click.echo(
        f"{len(hours.times)} rows, {len(grid.stations)} stations; {flagged} values flagged; "
        f"city values in {output} and {daily_path}"
    )


#: The reader of ``--layout beijing-multisite``: UCI dataset 501 as it is (hazeguard.io.beijing).
BEIJING_MULTISITE = "beijing-multisite"


@monitor.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--published",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="the published daily AQI: an aqistudy city file or a table with date, aqi",
)
@click.option(
    "--layout",
    default="hazeguard",
    show_default=True,
    help=f"hazeguard, cnemc or {BEIJING_MULTISITE} (UCI 501 files as they are)",
)
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="first day compared")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="last day compared")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="also write the days")
def compare(
    files: tuple[str, ...],
    published: str,
    layout: str,
    first: datetime | None,
    last: datetime | None,
    output: str | None,
) -> None:
    """Compare the city daily AQI of FILES' stations with a published daily AQI.

    The stations of FILES make one city (HJ 663 mean of the valid stations). Two computed
    figures are compared: the HJ 633 daily report (what the platform stores per day) and the
    mean of the day's real-time AQIs; see docs/monitoring.md.
    """
    from hazeguard.aqi.indicators import hourly_grid
    from hazeguard.io.beijing import read_beijing_multisite
    from hazeguard.io.daily import read_daily_history
    from hazeguard.monitoring.layouts import layout_named, read_station_hours
    from hazeguard.monitoring.published import city_daily_series, compare_daily

    try:
        if layout == BEIJING_MULTISITE:
            hours = read_beijing_multisite(list(files))
        else:
            hours = read_station_hours(list(files), layout_named(layout))
        reference = read_daily_history(published)["aqi"]
    except (TableError, ValueError) as error:
        raise InputError(str(error)) from None
    grid = hourly_grid(hours.times, hours.concentrations, hours.stations)
    days = city_daily_series(grid).join(reference.rename("published_aqi"), how="outer")
    days = days.loc[first:last]
    if days.empty:
        raise InputError("no computed or published day between --from and --to")
    click.echo(
        f"{len(grid.stations)} stations, {days.index[0]:%Y-%m-%d} … {days.index[-1]:%Y-%m-%d}"
    )
    for column, label in (
        ("daily_aqi", "HJ 633 daily report"),
        ("mean_hourly_aqi", "mean of the real-time AQIs"),
    ):
        try:
            figures = compare_daily(days[column], days["published_aqi"])
        except ValueError as error:
            raise InputError(f"{published}: {error}") from None
        click.echo(f"{label}: {figures.line()}")
    if output is not None:
        write_table(days.reset_index(), output)
