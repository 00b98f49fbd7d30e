"""``hazeguard warn``: decide a warning from a forecast file, replay a plan over a history."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import click

from hazeguard.plans import Plan
from hazeguard.vocabulary import CHINA
from hazeguard.warnings import Decision, Forecast, decide
from hazeguard.warnings.io import ForecastFileError, read_daily, read_hourly
from hazeguard.warnings.rules import LEVEL_ORDER

LEVELS = click.Choice([level for level in LEVEL_ORDER if level not in ("none", "advisory")])


def _forecast(path: str) -> Forecast:
    """Daily when every row is a date one day apart, hourly when rows are hours."""
    try:
        return read_daily(path)
    except ForecastFileError as daily_error:
        try:
            return read_hourly(path)
        except ForecastFileError:
            raise click.ClickException(str(daily_error)) from None


def _default_at(forecast: Forecast) -> datetime:
    """16:00 the day before a daily forecast; the hour before an hourly one."""
    if forecast.kind == "daily":
        first_day = forecast.period(0)[0]
        return first_day - timedelta(days=1) + timedelta(hours=16)
    return forecast.period(0)[1] - timedelta(hours=1)


def _plan(plan_id: str) -> Plan:
    from hazeguard.plans import PlanError, load_plan

    try:
        return load_plan(plan_id)
    except PlanError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def warn() -> None:
    """Warning decisions: evaluate a forecast, replay a plan over a history."""


@warn.command("evaluate")
@click.option("--plan", "plan_id", required=True, help="Plan ID, e.g. liaocheng-2020.")
@click.argument("forecast_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--at",
    "at_text",
    help="Decision time (ISO; local unless an offset is given). Default: 16:00 the day before "
    "a daily forecast, the hour before the first row of an hourly one.",
)
@click.option("--current", type=LEVELS, help="Warning level in force locally.")
@click.option("--regional-floor", type=LEVELS, help="Level of a higher jurisdiction's warning.")
@click.option(
    "--observed",
    type=click.Path(exists=True, dir_okay=False),
    help="Observed recent values (same layout as the forecast).",
)
@click.option(
    "--county",
    "counties",
    multiple=True,
    metavar="CODE=FILE",
    help="A county forecast, for plans with a regional trigger (repeat per county).",
)
@click.option("--drill", is_flag=True, help="An exercise: decided as for real, marked as a drill.")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def evaluate_command(
    plan_id: str,
    forecast_file: str,
    at_text: str | None,
    current: str | None,
    regional_floor: str | None,
    observed: str | None,
    counties: tuple[str, ...],
    drill: bool,
    as_json: bool,
) -> None:
    """Decide the warning for FORECAST_FILE (rows = forecast days or hours, in order).

    With --county (plans with a regional trigger), the county files are decided on and
    FORECAST_FILE only sets the default decision time.
    """
    plan = _plan(plan_id)
    forecast = _forecast(forecast_file)
    try:
        at = datetime.fromisoformat(at_text) if at_text else _default_at(forecast)
    except ValueError:
        raise click.BadParameter(f"{at_text!r} is not an ISO time", param_hint="--at") from None
    target: Forecast | dict[str, Forecast] = forecast
    if counties:
        target = {}
        for item in counties:
            code, sep, path = item.partition("=")
            if not sep:
                raise click.BadParameter(f"{item!r}: write CODE=FILE", param_hint="--county")
            target[code] = _forecast(path)
    try:
        decision = decide(
            plan,
            target,
            at=at.astimezone(CHINA).replace(tzinfo=None) if at.tzinfo else at,
            regional_floor=regional_floor,
            current=current,
            observed=_forecast(observed) if observed else None,
            drill=drill,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    _echo(decision, as_json)


@warn.command("order")
@click.option("--plan", "plan_id", required=True, help="Plan ID, e.g. dalian-xigang-2023.")
@click.option(
    "--level",
    type=click.Choice(["none", *LEVELS.choices]),
    required=True,
    help="The level the parent command orders (none: lift).",
)
@click.option("--at", "at_text", required=True, help="When the order arrives (ISO, local).")
@click.option("--current", type=LEVELS, help="Warning level in force locally.")
@click.option("--primary", multiple=True, help="Primary pollutant of the episode (repeat).")
@click.option("--drill", is_flag=True, help="An exercise: marked as a drill.")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def order_command(
    plan_id: str,
    level: str,
    at_text: str,
    current: str | None,
    primary: tuple[str, ...],
    drill: bool,
    as_json: bool,
) -> None:
    """Issue, adjust or lift at the level a parent command orders, deciding none of one's own
    (Xigang on Dalian's order, 000 §3.2.1)."""
    from hazeguard.warnings import decide_on_order

    try:
        at = datetime.fromisoformat(at_text)
    except ValueError:
        raise click.BadParameter(f"{at_text!r} is not an ISO time", param_hint="--at") from None
    try:
        decision = decide_on_order(
            _plan(plan_id),
            level,
            at=at.astimezone(CHINA).replace(tzinfo=None) if at.tzinfo else at,
            current=current,
            primary=primary,
            drill=drill,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    _echo(decision, as_json)


def _echo(decision: Decision, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(decision))


def render(decision: Decision) -> str:
    """The decision as text a duty officer reads."""
    lines = [f"{decision.plan_id} at {decision.at:%Y-%m-%d %H:%M}: {decision.headline.en}"]
    for criterion in decision.criteria:
        periods = ", ".join(criterion.periods) or "-"
        lines.append(f"  because {criterion.description} [{criterion.clause}]: {periods}")
    if decision.earliest_start:
        lines.append(f"  earliest start: {decision.earliest_start:%Y-%m-%d %H:%M}")
    if decision.approver:
        lines.append(f"  approver: {decision.approver}")
    if decision.chain is not None:
        for number, step in enumerate(decision.chain.steps, start=1):
            roles = " or ".join(step.roles)
            lines.append(f"  step {number}: {step.kind} by {roles} [{step.clause}]")
    if decision.lead is not None and decision.lead.late:
        lines.append(f"  late release: record its reason [{decision.lead.clause}]")
    for rule in decision.rules:
        lines.append(f"  rule: {rule.rule} [{rule.clause or 'default'}]: {rule.detail}")
    for dust in decision.dust_excluded:
        lines.append(f"  left out: {dust.label} ({dust.source})")
    if decision.measures:
        lines.append(f"  measures: {len(decision.measures)} (see --json)")
    for measure in decision.measures:
        if measure.reason is not None:
            lines.append(f"    {measure.text[:30]}… [{measure.clause}]: {measure.reason.en}")
    return "\n".join(lines)


@warn.command("replay")
@click.option(
    "--plan",
    "plan_name",
    required=True,
    help="Plan ID, or a jurisdiction code (e.g. beijing) for the plan in force on each date.",
)
@click.argument("history_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="EPISODES.csv")
@click.option("--horizon", default=3, show_default=True, help="Days of perfect forecast.")
@click.option("--decide-at", default="16:00", show_default=True, help="Daily decision time.")
def replay_command(
    plan_name: str, history_file: str, output: str, horizon: int, decide_at: str
) -> None:
    """Operate the plan day by day over HISTORY_FILE; write one row per warning period."""
    from hazeguard.warnings.replay import replay, write_periods
    from hazeguard.warnings.schedule import schedule_for

    try:
        schedule = schedule_for(plan_name)
        clock = time.fromisoformat(decide_at)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    try:
        history = read_daily(history_file, history=True)
    except ForecastFileError as error:
        raise click.ClickException(str(error)) from None
    periods = replay(schedule, history, horizon=horizon, decide_at=clock)
    write_periods(periods, output)
    episodes = len({p.episode for p in periods})
    click.echo(f"{episodes} episodes, {len(periods)} periods -> {output}")
    for line in schedule.describe():
        click.echo(f"  plan {line}")


@warn.command("compare")
@click.argument("episodes_file", type=click.Path(exists=True, dir_okay=False))
@click.argument("history_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--city", required=True, help="City as written in the history file, e.g. Beijing.")
@click.option(
    "--data",
    "data_file",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="The daily data replayed (gives the days covered).",
)
def compare_command(episodes_file: str, history_file: str, city: str, data_file: str) -> None:
    """Compare replayed EPISODES_FILE with real warnings in HISTORY_FILE (Markdown)."""
    from hazeguard.warnings.compare import compare, episodes, read_history, report
    from hazeguard.warnings.replay import read_periods

    history = read_daily(data_file, history=True)
    real, undated = read_history(history_file, city)
    replayed = episodes(read_periods(Path(episodes_file)))
    result = compare(real, replayed, (history.dates[0], history.dates[-1]), undated)
    click.echo(report(result, f"{city}: replay vs real warnings"), nl=False)
