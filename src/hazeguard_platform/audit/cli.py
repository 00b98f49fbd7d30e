"""``hazeguard audit verify|export|archive``: the audit log's chain, the inspector's export and
retention, from the command line (the same functions as the worker and the pages)."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path

import click

from hazeguard_platform.cli import django_ready


@click.group()
def audit() -> None:
    """The audit log: verify its hash chain, export it, archive old records."""


@audit.command()
@click.option(
    "--archive",
    "archive_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check an archive file's chain instead of the database.",
)
def verify(archive_file: Path | None) -> None:
    """Recompute the chain; name every changed, deleted or unsealed record. Exit 1 if any."""
    django_ready()
    from hazeguard_platform.audit.archive import read_archive
    from hazeguard_platform.audit.chain import GENESIS, audit_verify, check_rows

    if archive_file is not None:
        rows = read_archive(archive_file)
        first = next(rows, None)
        if first is None:
            raise click.ClickException(f"{archive_file} holds no records")
        # The file's own chain from its first record (it links to the archive before it).
        records, days, problems, _ = check_rows(
            iter([first, *rows]), first["previous_hash"] or GENESIS
        )
    else:
        report = audit_verify()
        records, days, problems = report.records, report.days, list(report.problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{records} records over {days} days checked; {len(problems)} problems")
    if problems:
        sys.exit(1)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@audit.command()
@click.option("--from", "first", required=True, help="First day (China date, YYYY-MM-DD).")
@click.option("--to", "last", required=True, help="Last day, included (YYYY-MM-DD).")
@click.option("--actor", default=None, help="Only this user name's records.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export(first: str, last: str, actor: str | None, fmt: str, output: Path) -> None:
    """Export the records of a period (and actor) for an inspector; the export is audited."""
    django_ready()
    from hazeguard_platform.audit.export import audit_export

    try:
        text, count = audit_export(
            first=_date(first),
            last=_date(last),
            actor=actor,
            fmt="json" if fmt == "json" else "csv",
            exported_by_name=f"command line, system user {getpass.getuser()}",
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    output.write_text(text, encoding="utf-8")
    click.echo(f"{count} records written to {output}")


@audit.command()
def archive() -> None:
    """Move records older than the retention period to a file in the archive folder."""
    django_ready()
    from hazeguard_platform.audit.archive import ArchiveError, audit_archive

    try:
        done = audit_archive()
    except ArchiveError as error:
        raise click.ClickException(str(error)) from None
    if done is None:
        click.echo("nothing older than the retention period")
    else:
        click.echo(f"{done.count} records of {done.first_day}..{done.last_day} -> {done.file_name}")
