"""``hazeguard plan``: list, show, check and compare the shipped plans; print their workflow."""

from __future__ import annotations

import json
import sys

import click

from hazeguard.plans import Plan, PlanError, list_plans, load_plan, load_plan_file
from hazeguard.plans.describe import diff, show
from hazeguard.vocabulary import Language


def _load(plan_id: str) -> Plan:
    try:
        return load_plan(plan_id)
    except PlanError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def plan() -> None:
    """Plans as data: list, show, check and compare them."""


@plan.command("list")
def list_command() -> None:
    """One plan per line: ID, year, completeness, levels, name."""
    for item in list_plans():
        levels = "/".join(item.level_names)
        click.echo(
            f"{item.id}\t{item.year}\t{item.completeness}\t{levels}\t"
            f"{item.jurisdiction.name_zh} {item.jurisdiction.name_en}"
        )


@plan.command("show")
@click.argument("plan_id")
@click.option("--full", is_flag=True, help="Print measures in full instead of cutting them.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan's snapshot (Plan.to_dict).")
def show_command(plan_id: str, full: bool, as_json: bool) -> None:
    """Criteria, approvers, targets, rules, deadlines and measures of PLAN_ID."""
    loaded = _load(plan_id)
    if as_json:
        click.echo(json.dumps(loaded.to_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(show(loaded, width=None if full else 60))


@plan.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def check_command(file: str) -> None:
    """Validate FILE against the plan schema: "OK" (exit 0) or file:line: error (exit 2)."""
    try:
        loaded = load_plan_file(file)
    except PlanError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    click.echo(f"OK {loaded.id}: {len(loaded.levels)} levels ({'/'.join(loaded.level_names)})")


@plan.command("diff")
@click.argument("old_id")
@click.argument("new_id")
def diff_command(old_id: str, new_id: str) -> None:
    """What changes from OLD_ID to NEW_ID: criteria, approvers, targets, deadlines, measures."""
    click.echo(diff(_load(old_id), _load(new_id)))


@plan.command("workflow")
@click.argument("plan_id")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the text (Chinese first).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def workflow_command(plan_id: str, lang: Language, as_json: bool) -> None:
    """Who proposes, reviews, agrees and approves each action at each level of PLAN_ID; lead
    time, merging, lifting, exclusions and drills, each with its clause."""
    from hazeguard.plans.workflow_text import workflow_data, workflow_lines

    loaded = _load(plan_id)
    if as_json:
        click.echo(json.dumps(workflow_data(loaded), ensure_ascii=False, indent=1))
        return
    click.echo("\n".join(workflow_lines(loaded, lang)))
