"""``hazeguard summary``: the episode summary report (总结报告) from a JSON file.

EPISODE.json holds the fields of :class:`hazeguard.documents.summary.EpisodeSummary` (schema:
``hazeguard summary --schema``; fields in docs/compliance.md §3). Bad input stops with one line
naming the file and the field (or line and column for malformed JSON), exit code 2.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click
import numpy as np

from hazeguard.compliance import STATUSES
from hazeguard.documents.summary import (
    EnterpriseCompliance,
    EpisodeSummary,
    compliance_by_enterprise,
    summary_docx,
    summary_markdown,
)
from hazeguard.documents.summary_json import SummaryDataError
from hazeguard.io.tables import TableError, read_table, table_error


class InputError(click.ClickException):
    """Bad input: one line on stderr and exit code 2, no traceback."""

    exit_code = 2


def _print_schema(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(json.dumps(EpisodeSummary.json_schema(), ensure_ascii=False, indent=2))
        ctx.exit()


@click.command()
@click.argument("episode_path", metavar="EPISODE.json", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .docx to write."
)
@click.option("--markdown", type=click.Path(dir_okay=False), help="Also write Markdown here.")
@click.option(
    "--findings",
    type=click.Path(dir_okay=False),
    help="Findings of `hazeguard comply electricity`: fill the enterprise table from them.",
)
@click.option(
    "--schema",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_schema,
    help="Print the JSON Schema of EPISODE.json and exit.",
)
def summary(episode_path: str, output: str, markdown: str | None, findings: str | None) -> None:
    """Write the summary report of one heavy-pollution episode as .docx (and Markdown).

    EPISODE.json: jurisdiction_zh, plan_id, prepared_by_zh, prepared_at and the timeline
    (issue / adjust / lift), optionally notices, measures, reports, compliance, inspections,
    aqi and reductions; dates and times in ISO 8601 (local Asia/Shanghai unless an offset is
    given).
    """
    episode = _episode(episode_path)
    if findings is not None:
        if episode.compliance:
            raise click.UsageError(
                f"{episode_path} already has compliance; drop it or --findings", ctx=None
            )
        episode = dataclasses.replace(episode, compliance=_compliance(findings))
    _write(output, summary_docx(episode))
    if markdown is not None:
        _write(markdown, summary_markdown(episode).encode("utf-8"))


def _write(path: str, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as error:
        raise click.ClickException(f"{path}: cannot write: {error.strerror}") from None
    click.echo(f"wrote {path}")


def _episode(path: str) -> EpisodeSummary:
    source = Path(path)
    if not source.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data: Any = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: line {error.lineno}, column {error.colno}: not JSON: {error.msg}"
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text: {error.reason}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object with the episode's fields")
    try:
        return EpisodeSummary.from_dict(data)
    except SummaryDataError as error:
        raise InputError(f"{path}: {error}") from None


def _compliance(path: str) -> tuple[EnterpriseCompliance, ...]:
    """Days per status and enterprise from a findings table."""
    try:
        table = read_table(path)
        for column in ("enterprise", "status"):
            if column not in table.columns:
                raise TableError(path, 1, column, "missing column")
        unknown = ~table["status"].isin(STATUSES).to_numpy(dtype=bool)
        if unknown.any():
            position = int(np.argmax(unknown))
            message = f"{table['status'].iat[position]!r} is not one of {', '.join(STATUSES)}"
            raise table_error(table, [path], position, "status", message)
    except (TableError, FileNotFoundError) as error:
        raise InputError(str(error)) from None
    return compliance_by_enterprise(table)
