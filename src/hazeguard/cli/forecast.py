"""``hazeguard forecast``: train the statistical forecast, predict with it, verify it on history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import pandas as pd

    from hazeguard.forecast.verify import Verification
    from hazeguard.warnings.rules import WarningRules

NO_WEATHER = (
    "no weather given: the model uses the recent AQI, the concentrations and the calendar only"
)


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error))


def _history(path: str) -> pd.DataFrame:
    from hazeguard.io.daily import read_daily_history
    from hazeguard.io.tables import TableError

    try:
        return read_daily_history(path)
    except (TableError, FileNotFoundError) as error:
        raise _fail(error) from None


def _weather(path: str | None) -> pd.DataFrame | None:
    from hazeguard.io.daily_weather import read_daily_weather
    from hazeguard.io.tables import TableError

    if path is None:
        click.echo(NO_WEATHER, err=True)
        return None
    try:
        return read_daily_weather(path)
    except (TableError, FileNotFoundError) as error:
        raise _fail(error) from None


def _rules(plan_id: str | None) -> WarningRules | None:
    if plan_id is None:
        return None
    from hazeguard.plans import PlanError, load_plan
    from hazeguard.warnings.adapter import rules_from_plan

    try:
        return rules_from_plan(load_plan(plan_id))
    except PlanError as error:
        raise _fail(error) from None


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO date", param_hint=option) from None


HISTORY = click.option(
    "--history",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Daily AQI history: `hazeguard aqi daily` output, a date,aqi table or an aqistudy file.",
)
WEATHER = click.option(
    "--weather",
    type=click.Path(exists=True, dir_okay=False),
    help="Daily weather table (docs/forecast.md); without it the model runs without weather.",
)
PLAN = click.option("--plan", "plan_id", help="Plan ID, e.g. beijing-2016: adds P(level).")
LEADS = click.option(
    "--leads", type=click.IntRange(1, 7), default=7, show_default=True, help="Lead days to fit."
)
JOBS = click.option(
    "--jobs", type=click.IntRange(1, 8), default=2, show_default=True, help="Parallel fits."
)


@click.group()
def forecast() -> None:
    """The statistical AQI forecast: train, predict (with level probabilities), verify."""


@forecast.command("train")
@HISTORY
@WEATHER
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Model file.")
@click.option("--before", help="Train on the days before this date only (ISO).")
@LEADS
@JOBS
def train_command(
    history: str, weather: str | None, output: str, before: str | None, leads: int, jobs: int
) -> None:
    """Fit the forecast (lead days 1-7) on a daily history and write the model file."""
    import time

    import pandas as pd

    from hazeguard.forecast import ModelSettings, TrainingError, save_model, train

    days = _history(history)
    meteorology = _weather(weather)
    cutoff = pd.Timestamp(_day(before, "--before")) if before else None
    started = time.perf_counter()
    try:
        model = train(
            days, meteorology, before=cutoff, settings=ModelSettings(leads=leads, jobs=jobs)
        )
    except TrainingError as error:
        raise _fail(error) from None
    save_model(model, output)
    uses = f"weather ({', '.join(model.weather_names)})" if model.uses_weather else "no weather"
    click.echo(
        f"trained on {model.rows} days, {model.trained_from:%Y-%m-%d} to "
        f"{model.trained_to:%Y-%m-%d}, with {uses}, in {time.perf_counter() - started:.1f} s; "
        f"wrote {output}"
    )


@forecast.command("predict")
@click.option("--model", "model_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--recent",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Recent daily AQI up to the day before --from (same layouts as --history).",
)
@click.option(
    "--weather",
    type=click.Path(exists=True, dir_okay=False),
    help="Forecast weather of the days (and of the day before --from); a model trained with "
    "weather needs it.",
)
@click.option("--from", "first", required=True, help="First forecast day (ISO date).")
@click.option("--days", type=click.IntRange(1, 7), default=7, show_default=True, help="Days.")
@PLAN
@click.option("--samples", type=click.IntRange(100, 100_000), default=2000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the samples.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="CSV.")
def predict_command(
    model_path: str,
    recent: str,
    weather: str | None,
    first: str,
    days: int,
    plan_id: str | None,
    samples: int,
    seed: int,
    output: str,
) -> None:
    """Forecast DAYS days from --from: the 10/50/90 % AQI, primary pollutant and P(level).

    The CSV's aqi_low and aqi_high are the 10-90 % band that `hazeguard warn evaluate` reads.
    A p_<level> column on day d is the probability of the level the plan decides from the
    forecast of days 1 ... d; the last row is the whole forecast's.
    """
    from hazeguard.forecast import ForecastInputError, ModelFileError, forecast, load_model

    try:
        model = load_model(model_path)
    except ModelFileError as error:
        raise _fail(error) from None
    recent_days = _history(recent)
    meteorology = _weather(weather) if model.uses_weather else None
    if not model.uses_weather:
        unused = " (--weather is not used)" if weather else ""
        message = "this model was trained without weather: it uses the recent AQI, the "
        click.echo(f"{message}concentrations and the calendar only{unused}", err=True)
    try:
        result = forecast(
            model,
            recent_days,
            _day(first, "--from"),
            days,
            weather=meteorology,
            rules=_rules(plan_id),
            samples=samples,
            seed=seed,
        )
    except ForecastInputError as error:
        raise _fail(error) from None
    frame = result.to_frame()
    frame.to_csv(output, index=False)
    click.echo(frame.to_string(index=False))
    click.echo(f"wrote {output}", err=True)


@forecast.command("verify")
@HISTORY
@WEATHER
@click.option("--start", required=True, help="First issue day (ISO date).")
@click.option("--end", required=True, help="Last issue day (ISO date).")
@PLAN
@click.option("--samples", type=click.IntRange(100, 100_000), default=500, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@LEADS
@JOBS
def verify_command(
    history: str,
    weather: str | None,
    start: str,
    end: str,
    plan_id: str | None,
    samples: int,
    as_json: bool,
    leads: int,
    jobs: int,
) -> None:
    """Rolling-origin backtest beside persistence and climatology, retrained monthly.

    Each month's forecasts come from a model trained on the days before that month only. With
    --weather, the observed weather of the target days stands in for a weather forecast
    ("perfect prognosis").
    """
    import pandas as pd

    from hazeguard.forecast import ModelSettings, TrainingError, verify

    days = _history(history)
    meteorology = _weather(weather)
    first, last = _day(start, "--start"), _day(end, "--end")
    if last < first:
        raise click.BadParameter("--end is before --start", param_hint="--end")
    try:
        result = verify(
            days,
            pd.Timestamp(first),
            pd.Timestamp(last),
            weather=meteorology,
            rules=_rules(plan_id),
            settings=ModelSettings(leads=leads, jobs=jobs),
            samples=samples,
            on_retrain=lambda day: click.echo(f"retraining for {day:%Y-%m}", err=True),
        )
    except (TrainingError, ValueError) as error:
        raise _fail(error) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_verification(result))


@forecast.command("weather")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="CSV.")
def weather_command(inputs: tuple[str, ...], output: str) -> None:
    """Daily city weather from hourly station files (the Beijing multi-site data as they are).

    Columns read: TEMP, DEWP, PRES, WSPM, wd, RAIN, station, year, month, day, hour.
    """
    import pandas as pd

    from hazeguard.io.daily_weather import daily_weather_from_hourly
    from hazeguard.io.tables import TableError

    try:
        table = daily_weather_from_hourly([Path(p) for p in inputs])
    except (TableError, FileNotFoundError) as error:
        raise _fail(error) from None
    table.index = pd.DatetimeIndex(table.index).strftime("%Y-%m-%d")
    table.to_csv(output)
    click.echo(f"{len(table)} days from {len(inputs)} file(s); wrote {output}", err=True)


def render_verification(result: Verification) -> str:
    """The backtest as a text table: one block per lead day, one row per method."""
    data: dict[str, Any] = result.to_dict()
    names = ["mae", "rmse", "category_accuracy", "pod", "far", "csi"]
    if result.plan_id:
        names.append("brier")
    heads = {"category_accuracy": "category"}
    weather = "with weather (perfect prognosis)" if result.uses_weather else "without weather"
    lines = [
        f"backtest {data['start']} to {data['end']}, {data['issue_days']} issue days, {weather}"
        + (f", plan {result.plan_id}" if result.plan_id else ""),
        "lead  method       " + "".join(f"{heads.get(n, n):>10}" for n in names),
    ]
    for lead, methods in data["lead_days"].items():
        for method, values in methods.items():
            cells = "".join(
                f"{'-':>10}" if values[n] is None else f"{values[n]:>10.3f}" for n in names
            )
            lines.append(f"{lead:>4}  {method:<12} {cells}")
    return "\n".join(lines + _level_lines(data))


def _level_lines(data: dict[str, Any]) -> list[str]:
    """Per level: its Brier score by method, then the model's reliability table."""
    lines = []
    for level, rows in data["reliability"].items():
        briers = ", ".join(
            f"{method} {'-' if levels[level] is None else f'{levels[level]:.3f}'}"
            for method, levels in data["level_brier"].items()
        )
        lines += ["", f"{level}: Brier {briers}", "  P bin       count  mean P  observed"]
        lines += [
            f"  {row['from']:.1f}-{row['to']:.1f}  {row['count']:>8.0f}"
            f"  {row['forecast']:>6.3f}  {row['observed']:>8.3f}"
            for row in rows
        ]
    return lines
