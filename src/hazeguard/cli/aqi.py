"""``hazeguard aqi``: the air quality index of indicator tables and of hourly measurements.

Bad input stops with one line naming the file, row and column, and exit code 2.
"""

from __future__ import annotations

import glob
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import click

from hazeguard.aqi import INDICATORS, MODES, STANDARDS, index_frame
from hazeguard.aqi.from_hourly import ROUNDINGS, Report, Rounding, report_frame
from hazeguard.aqi.indicators import POLLUTANTS, hourly_grid
from hazeguard.io.measurements import CO_UNITS, TARGETS, HourLabel, read_measurements
from hazeguard.io.tables import FILE as FILE_COLUMN
from hazeguard.io.tables import ROW as ROW_COLUMN
from hazeguard.io.tables import TableError, numeric_column, read_table, write_table

if TYPE_CHECKING:  # the stream (pyarrow.dataset) is imported only by chunked runs
    from hazeguard.aqi.stream import ReportOptions

# A column that looks like an indicator (a pollutant and an averaging time) but is not one.
_INDICATOR_LIKE: Final = re.compile(rf"^({'|'.join(POLLUTANTS)})_\w+$")
_PARQUET: Final = (".parquet", ".pq")


class InputError(click.ClickException):
    """Bad input: one line on stderr and exit code 2, no traceback."""

    exit_code = 2


@click.group()
def aqi() -> None:
    """Air quality index (HJ 633): of indicator tables, or of hourly measurements."""


@aqi.command("index", short_help="Index a table of indicator concentrations.")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="CSV/Parquet.")
@click.option(
    "--standard", type=click.Choice(STANDARDS), help="Default: by --time-column, else 2026."
)
@click.option("--mode", type=click.Choice(MODES), default="daily", show_default=True)
@click.option("--time-column", help="Column of times that chooses the standard in force.")
def index_command(
    input_path: str, output: str, standard: str | None, mode: str, time_column: str | None
) -> None:
    """Index a table of indicator concentrations (IAQI, AQI, level, category, pollutants).

    INPUT (CSV or Parquet) has indicator columns (pm25_24h, o3_8h, co_1h, … in µg/m³, CO in
    mg/m³) and any other columns, which are passed through to OUTPUT.
    """
    with _input_errors():
        table = read_table(input_path)
        header_row = 0 if Path(input_path).suffix.lower() in _PARQUET else 1
        for column in table.columns:
            name = str(column)
            if _INDICATOR_LIKE.match(name) and name not in INDICATORS:
                known = ", ".join(INDICATORS)
                raise TableError(input_path, header_row, name, f"unknown indicator; known: {known}")
        present = [c for c in INDICATORS if c in table.columns]
        if not present:
            raise TableError(input_path, header_row, "*", "no indicator column")
        for column in present:
            table[column] = numeric_column(table, column, [input_path])
        if time_column is not None and time_column not in table.columns:
            raise TableError(input_path, header_row, time_column, "no such column")
        result = index_frame(
            table.drop(columns=[FILE_COLUMN, ROW_COLUMN]),
            standard=standard,
            mode=mode,
            time_column=time_column,
        )
        write_table(result, output)


def _measurement_options(command: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.argument("inputs", metavar="INPUT...", nargs=-1, required=True),
        click.option(
            "-o",
            "--output",
            required=True,
            type=click.Path(dir_okay=False),
            help="CSV or Parquet (by extension).",
        ),
        click.option(
            "--city", is_flag=True, help="Index the mean of the stations' concentrations."
        ),
        click.option(
            "--co-unit",
            type=click.Choice(tuple(CO_UNITS)),
            default="mg",
            show_default=True,
            help="Unit of CO in the input: mg/m³ or µg/m³.",
        ),
        click.option("--standard", type=click.Choice(STANDARDS), help="Default: by each time."),
        click.option(
            "--map",
            "mappings",
            multiple=True,
            metavar="COLUMN=NAME",
            help=f"Read an input column as one of: {', '.join(TARGETS)}. Repeatable.",
        ),
        click.option(
            "--time-parts",
            metavar="Y,M,D,H",
            help="Build the time from year, month, day and hour columns, e.g. year,month,day,hour.",
        ),
        click.option(
            "--hour-label",
            type=click.Choice(["end", "start"]),
            default="end",
            show_default=True,
            help="Whether a time is the end of its hour (01:00 = 00:00-01:00) or its start.",
        ),
        click.option(
            "--round",
            "rounding",
            type=click.Choice(ROUNDINGS),
            default="auto",
            show_default=True,
            help="GB/T 8170 rounding of concentrations; auto = where HJ 633-2026 applies.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@aqi.command("hourly", short_help="Real-time AQI of each hour.")
@_measurement_options
@click.option(
    "--mode",
    type=click.Choice(["realtime", "realtime-2012"]),
    default="realtime",
    show_default=True,
)
def hourly_command(mode: str, **options: Any) -> None:
    """Real-time AQI of each hour from hourly measurements.

    INPUT files (CSV or Parquet, or a glob) have `time`, an optional `station` and pollutant
    columns pm25, pm10, so2, no2, co, o3 [µg/m³; CO mg/m³].
    """
    _run_report("hourly", mode=mode, **options)


def _chunk_options(command: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.option(
            "--chunk-stations",
            type=click.IntRange(min=1),
            help="Stations per chunk: read, compute and write the input in chunks of stations "
            "(OUTPUT is then a directory of Parquet files). Default with a dataset: by --memory.",
        ),
        click.option(
            "--memory",
            default="1.5GB",
            show_default=True,
            help="Memory for one chunk when --chunk-stations is not given (e.g. 800MB, 4GB).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run the chunks on a Dask cluster (tcp://host:8786), one task per chunk.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@aqi.command("daily", short_help="Daily AQI of each natural day.")
@_measurement_options
@_chunk_options
def daily_command(**options: Any) -> None:
    """Daily AQI of each natural day (hours ending 01:00-24:00) from hourly data.

    INPUT as for `hourly`. The Beijing multi-site files, for example, as they are:

    \b
    hazeguard aqi daily "beijing-multisite/*.csv" -o daily.csv --city \\
      --co-unit ug --time-parts year,month,day,hour --hour-label start \\
      --map PM2.5=pm25 --map PM10=pm10 --map SO2=so2 --map NO2=no2 \\
      --map CO=co --map O3=o3

    INPUT may also be a Parquet dataset, partitioned by station and month
    (DIR/station=NAME/month=YYYY-MM/*.parquet) or by period with every station in each file,
    sorted by station in row groups (DIR/month=YYYY-MM/*.parquet, read by row-group pushdown,
    the faster): it is then read, computed and written in chunks of stations into the
    directory OUTPUT, in bounded memory, here or on a Dask cluster (--scheduler). See
    docs/scale.md.
    """
    _run_report("daily", mode=None, **options)


@aqi.command("rolling", short_help="AQI of the 24 h ending at each hour.")
@_measurement_options
@_chunk_options
def rolling_command(**options: Any) -> None:
    """AQI of the 24 h ending at each hour, across midnight (as warnings use).

    The plans' "AQI日均值按连续24小时（可跨自然日）均值计算": the daily-report statistics of the 24
    hours ending at each hour. INPUT and the chunk options as for `daily`.
    """
    _run_report("rolling", mode=None, **options)


def _run_report(
    report: Report,
    *,
    inputs: Sequence[str],
    output: str,
    city: bool,
    co_unit: str,
    standard: str | None,
    mappings: Sequence[str],
    time_parts: str | None,
    hour_label: HourLabel,
    rounding: Rounding,
    mode: str | None,
    chunk_stations: int | None = None,
    memory: str = "1.5GB",
    scheduler: str | None = None,
) -> None:
    mapping = _parse_mappings(mappings)
    datasets = [item for item in inputs if Path(item).is_dir()]
    if datasets or chunk_stations is not None or scheduler is not None:
        if report == "hourly" or city:
            raise click.UsageError("chunked runs are for daily and rolling reports of stations")
        from hazeguard.aqi.stream import ReportOptions

        _run_chunked(
            report,
            inputs,
            output,
            ReportOptions(report, standard, mode, rounding),
            chunks=chunk_stations,
            memory=_parse_bytes(memory),
            scheduler=scheduler,
            files={
                "mapping": mapping,
                "time_parts": None if time_parts is None else time_parts.split(","),
                "hour_label": hour_label,
                "co_unit": co_unit,
            },
        )
        return
    paths = _expand(inputs)
    parts = None if time_parts is None else [p.strip() for p in time_parts.split(",")]
    # One step per input file, then computing and writing.
    with _input_errors(), _progress(len(paths) + 2, f"aqi {report}") as advance:
        measurements = read_measurements(
            paths,
            mapping=mapping,
            time_parts=parts,
            hour_label=hour_label,
            co_unit=co_unit,
            on_file=lambda _path: advance(),
        )
        grid = hourly_grid(measurements.times, measurements.concentrations, measurements.stations)
        result = report_frame(
            grid, report, city=city, standard=standard, mode=mode, rounding=rounding
        )
        advance()
        if measurements.stations is None and not city:
            result = result.drop(columns="station")
        write_table(result, output)
        advance()


def _run_chunked(
    report: Report,
    inputs: Sequence[str],
    output: str,
    options: ReportOptions,
    *,
    chunks: int | None,
    memory: int,
    scheduler: str | None,
    files: dict[str, Any],
) -> None:
    """Stream a dataset (or file groups) in chunks of stations into the directory ``output``."""
    from hazeguard.aqi.stream import csv_chunks, parquet_chunks, stream_report

    if Path(output).suffix:
        raise click.UsageError(f"{output}: a chunked run writes a directory, not one file")
    with _input_errors():
        if len(inputs) == 1 and Path(inputs[0]).is_dir():
            source = parquet_chunks(inputs[0], stations=chunks, memory=memory)
        elif any(Path(item).is_dir() for item in inputs):
            raise InputError("give one dataset directory, or files, not both")
        else:
            source = csv_chunks(_expand(inputs), stations=chunks, memory=memory, **files)
        if scheduler is not None:
            from hazeguard.aqi.distributed import distributed_report

            rows = distributed_report(source, options, output, scheduler)
        else:
            with _progress(len(source.chunks), f"aqi {report}") as advance:
                rows = stream_report(source, options, output, on_chunk=lambda _n: advance())
    click.echo(f"{rows:,} rows in {len(source.chunks)} chunks -> {output}", err=True)


_UNITS: Final = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}


def _parse_bytes(text: str) -> int:
    match = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]?B?)\s*", text.upper())
    if match is None or match.group(2) not in _UNITS:
        raise click.BadParameter(
            f"{text!r}: expected a size such as 800MB or 2GB", param_hint="--memory"
        )
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def _expand(inputs: Sequence[str]) -> list[str]:
    """Input paths, with globs (``data/*.csv``) expanded in sorted order."""
    paths: list[str] = []
    for item in inputs:
        if Path(item).exists() or not glob.has_magic(item):
            paths.append(item)
            continue
        matches = sorted(glob.glob(item))
        if not matches:
            raise InputError(f"{item}: no file matches")
        paths.extend(matches)
    for path in paths:
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
    return paths


def _parse_mappings(mappings: Sequence[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in mappings:
        source, sep, target = item.partition("=")
        if not sep or not source or target not in TARGETS:
            raise click.BadParameter(
                f"{item!r}: expected COLUMN=NAME with NAME one of {', '.join(TARGETS)}",
                param_hint="--map",
            )
        mapping[source] = target
    return mapping


@contextmanager
def _input_errors() -> Iterator[None]:
    """Turn errors about the input into one-line messages with exit code 2."""
    try:
        yield
    except (TableError, FileNotFoundError) as error:
        raise InputError(str(error)) from error
    except ValueError as error:
        raise InputError(f"bad input: {error}") from error


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when it is a terminal; silent otherwise (pipes, logs, CI)."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)
