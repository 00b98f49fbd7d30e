"""``hazeguard comply``: did enterprises stop or limit as ordered? Electricity and CEMS checks.

Both commands read a long table of readings (CSV or Parquet) and a measures table, judge every
meter (or outlet) per local day of the alert window with :mod:`hazeguard.compliance`
(``emission-list.md`` §8.1 / §8.2), write the findings and print days per status. Bad input
stops with one line naming the file, row and column, and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import click
import numpy as np
import pandas as pd

from hazeguard.compliance import (
    STATUSES,
    AlertWindow,
    MeasuresError,
    ReadingsError,
    ThresholdError,
    check_cems,
    check_electricity,
    load_thresholds,
)
from hazeguard.compliance.cems import POLLUTANTS
from hazeguard.compliance.thresholds import THRESHOLDS_FILE
from hazeguard.io.tables import (
    FILE,
    ROW,
    TableError,
    numeric_column,
    read_table,
    table_error,
    time_column,
)
from hazeguard.io.tables import write_table as write_findings
from hazeguard.reduction.enums import LEVELS as LIST_LEVELS
from hazeguard.vocabulary import CHINA

LEVELS: Final = tuple(level.value for level in LIST_LEVELS)  # the emission list's three levels
MEASURE_NUMBERS: Final = ("fraction", "load_share", "standby_kw")
HEADER_ROW: Final = 1  # a missing column is reported at the CSV header


class InputError(click.ClickException):
    """Bad input: one line on stderr and exit code 2, no traceback."""

    exit_code = 2


@click.group()
def comply() -> None:
    """Compliance checks during an alert: electricity (耗电量核算) and CEMS (在线监控)."""


def _local_time(text: str, option: str) -> dt.datetime:
    """An ISO time as naive Asia/Shanghai wall time; a naive time is taken as local."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint=option) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA).replace(tzinfo=None)
    return moment


def _window_options(command: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.argument("readings_path", metavar="READINGS", type=click.Path(dir_okay=False)),
        click.option(
            "--measures",
            "measures_path",
            required=True,
            type=click.Path(dir_okay=False),
            help="Measures table, one row per meter (and level, with a `level` column).",
        ),
        click.option("--level", type=click.Choice(LEVELS), required=True, help="Level in force."),
        click.option(
            "--order-time", required=True, help="When the measures took effect (ISO; local)."
        ),
        click.option(
            "--until", help="When the warning was lifted (ISO). Default: the end of the readings."
        ),
        click.option(
            "--excluded-day",
            "excluded_days",
            multiple=True,
            type=click.DateTime(["%Y-%m-%d"]),
            help="A day left out of the baseline (earlier alert, outage). Repeatable.",
        ),
        click.option(
            "--thresholds",
            "thresholds_path",
            type=click.Path(exists=True, dir_okay=False),
            help=f"Parameters file. Default: the shipped {THRESHOLDS_FILE.name}.",
        ),
        click.option(
            "-o",
            "--output",
            required=True,
            type=click.Path(dir_okay=False),
            help="Findings, CSV or Parquet (by extension).",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@comply.command("electricity", short_help="Check stops and limits from meter readings.")
@_window_options
@click.option("--interval", help="Reading interval, e.g. 15min or 1h. Default: inferred.")
def electricity_command(interval: str | None, **options: Any) -> None:
    """Check from electricity meter readings that each meter's measure was carried out.

    READINGS (CSV or Parquet): `meter`, `time` (interval start, ISO; local unless an offset is
    given), `energy_kwh` [kWh]. MEASURES: `enterprise`, `meter`, `kind` (stop | limit |
    load_cap), `fraction` (limit: share cut), `load_share` (load cap: approved / normal load),
    optional `standby_kw` [kW] and `level` (rows of other levels are skipped). The readings
    must cover the 14 baseline days before the order.
    """
    step = None
    if interval is not None:
        try:
            step = pd.Timedelta(interval)
        except ValueError:
            message = f"{interval!r} is not a duration"
            raise click.BadParameter(message, param_hint="--interval") from None
    _run("electricity", ("meter", "energy_kwh"), step, **options)


@comply.command("cems", short_help="Check stops and limits from hourly CEMS records.")
@_window_options
def cems_command(**options: Any) -> None:
    """Check from hourly CEMS records that each outlet's measure was carried out.

    READINGS (CSV or Parquet): `outlet`, `time` (hour start), `flow_m3_h` [m³/h] and any of
    `so2_mg_m3`, `nox_mg_m3`, `pm_mg_m3` [mg/m³]. MEASURES as for `electricity` with `outlet`
    instead of `meter`. A stopped outlet is judged on its flow, a limited one on each
    pollutant's mass emission; `data_flag` = constant marks values stuck for hours.
    """
    _run("cems", ("outlet", "flow_m3_h"), pd.Timedelta(hours=1), **options)


def _run(
    check: str,
    columns: tuple[str, str],
    interval: pd.Timedelta | None,
    *,
    readings_path: str,
    measures_path: str,
    level: str,
    order_time: str,
    until: str | None,
    excluded_days: tuple[dt.datetime, ...],
    thresholds_path: str | None,
    output: str,
    as_json: bool,
) -> None:
    id_column, value_column = columns
    ordered_at = _local_time(order_time, "--order-time")
    with _input_errors(readings_path, measures_path):
        thresholds = load_thresholds(Path(thresholds_path or THRESHOLDS_FILE))
        values = [value_column]
        if check == "cems":
            values += [f"{p}_mg_m3" for p in POLLUTANTS]
        readings = _readings(readings_path, id_column, values, required=values[:1])
        measures = _measures(measures_path, id_column, level)
        if check == "cems":
            _require_pollutant(readings, measures, readings_path)
        lifted_at = _local_time(until, "--until") if until else _end_of(readings, interval, check)
        if lifted_at <= ordered_at:
            raise click.BadParameter(
                f"{lifted_at} is not after the order time {ordered_at}", param_hint="--until"
            )
        window = AlertWindow(level, ordered_at, lifted_at, tuple(d.date() for d in excluded_days))
        if check == "electricity":
            findings = check_electricity(
                readings, measures, window, thresholds.electricity, interval=interval
            )
        else:
            findings = check_cems(readings, measures, window, thresholds)
        try:
            write_findings(findings, output)
        except OSError as error:
            raise click.ClickException(f"{output}: cannot write: {error.strerror}") from None
    _report(check, window, findings, id_column, output, as_json)


def _readings(path: str, id_column: str, values: list[str], required: list[str]) -> pd.DataFrame:
    """The readings with checked ids, times and numbers, indexed by their row in the file."""
    table = read_table(path)
    _require(table, path, [id_column, "time", *required])
    _ids(table, path, id_column)
    table["time"] = time_column(table, "time", [path])
    for column in values:
        if column in table.columns:
            # Negative values are left to the core, which names the row and column.
            table[column] = numeric_column(table, column, [path], negative_ok=True)
    return table.drop(columns=FILE).set_index(ROW)


def _measures(path: str, id_column: str, level: str) -> pd.DataFrame:
    """The measures in force at ``level``, indexed by their row in the file."""
    table = read_table(path)
    _require(table, path, ["enterprise", id_column, "kind"])
    _ids(table, path, id_column)
    for column in MEASURE_NUMBERS:
        if column in table.columns:
            table[column] = numeric_column(table, column, [path], negative_ok=True)
    if "level" in table.columns:
        levels = table["level"].astype("string").str.strip()
        unknown = ~levels.isin(LEVELS).fillna(False).to_numpy(dtype=bool)
        if unknown.any():
            position = int(np.argmax(unknown))
            cell = levels.iat[position]
            shown = "an empty level" if cell is pd.NA else repr(cell)
            message = f"{shown} is not one of {', '.join(LEVELS)}"
            raise table_error(table, [path], position, "level", message)
        table = table[(levels == level).to_numpy(dtype=bool)]
        if table.empty:
            raise TableError(path, HEADER_ROW, "level", f"no measure for level {level}")
    return table.drop(columns=FILE).set_index(ROW)


def _require(table: pd.DataFrame, path: str, columns: list[str]) -> None:
    for column in columns:
        if column not in table.columns:
            raise TableError(path, HEADER_ROW, column, "missing column")


def _require_pollutant(readings: pd.DataFrame, measures: pd.DataFrame, path: str) -> None:
    """A limited outlet is judged on mass emission (§8.2): it needs a concentration column."""
    columns = [f"{p}_mg_m3" for p in POLLUTANTS]
    limited = (measures["kind"].astype(str) != "stop").any()
    if limited and not any(column in readings.columns for column in columns):
        message = f"missing column: a limited outlet needs one of {', '.join(columns)}"
        raise TableError(path, HEADER_ROW, columns[0], message)


def _ids(table: pd.DataFrame, path: str, column: str) -> None:
    """Ids as text; an empty id is an error at its row."""
    blank = table[column].isna().to_numpy()
    if blank.any():
        raise table_error(table, [path], int(np.argmax(blank)), column, f"empty {column} id")
    table[column] = table[column].astype(str).str.strip()


def _end_of(readings: pd.DataFrame, interval: pd.Timedelta | None, check: str) -> dt.datetime:
    """The end of the last reading interval (``--until`` when not given)."""
    times = np.unique(readings["time"].to_numpy())
    if interval is None:
        gaps = np.diff(times)
        if not gaps.size:
            raise click.UsageError(f"{check}: give --until or --interval: one reading time only")
        interval = pd.Timedelta(gaps.min())
    end = pd.Timestamp(times[-1]) + interval
    return end.to_pydatetime()


@contextmanager
def _input_errors(readings_path: str, measures_path: str) -> Iterator[None]:
    """Name the file in the core's row-and-column messages; one line, exit code 2."""
    try:
        yield
    except (TableError, FileNotFoundError, ThresholdError) as error:
        raise InputError(str(error)) from error
    except ReadingsError as error:
        raise InputError(f"{readings_path}: {error}") from error
    except MeasuresError as error:
        raise InputError(f"{measures_path}: {error}") from error


def _report(
    check: str,
    window: AlertWindow,
    findings: pd.DataFrame,
    id_column: str,
    output: str,
    as_json: bool,
) -> None:
    """Days per status for each meter (each outlet and quantity), and the totals."""
    keys = ["enterprise", id_column, "measure"] + (["quantity"] if check == "cems" else [])
    if findings.empty:  # e.g. lifted before the grace period ended: no slot was judged
        counts = pd.DataFrame(columns=[*keys, *STATUSES])
    else:
        counts = (
            findings.groupby(keys, sort=True)["status"]
            .value_counts()
            .unstack(fill_value=0)
            .reindex(columns=list(STATUSES), fill_value=0)
            .reset_index()
        )
        counts.columns.name = None
    totals = {status: int(counts[status].sum()) for status in STATUSES}
    period = f"{window.ordered_at:%Y-%m-%d %H:%M} to {window.lifted_at:%Y-%m-%d %H:%M}"
    if as_json:
        payload = {
            "check": check,
            "level": window.level,
            "ordered_at": window.ordered_at.isoformat(),
            "lifted_at": window.lifted_at.isoformat(),
            "totals": totals,
            "rows": json.loads(counts.to_json(orient="records")),
            "findings": output,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    per = f"{id_column}, day and quantity" if check == "cems" else f"{id_column} and day"
    click.echo(
        f"{check} check, level {window.level}, {period}: {counts[id_column].nunique()} "
        f"{id_column}s, {len(findings)} findings (one per {per})"
    )
    if not counts.empty:
        click.echo(counts.to_string(index=False))
    click.echo("total: " + ", ".join(f"{status} {n}" for status, n in totals.items()))
    click.echo(f"wrote {output}")
